"""Measure where cues really start in a rendered MP3 (tests and benchmarks).

Decodes the file as a plain decoder does, then finds each cue in two steps: its
clip's loudness envelope is matched against the track's within ``SEARCH_MS`` of
the plan (1 ms steps; robust against the previous phrase's MP3 smear), then the
onset is the first sample louder than :data:`~audio.pcm.ONSET_THRESHOLD` just
around that match (sample precision).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence

from audio.pcm import SAMPLES_PER_MS, decode, first_onset

SEARCH_MS = 60
# Below this likeness (cosine of the loudness envelopes) the cue is not there at all:
# reported as NaN rather than as an error capped at SEARCH_MS.
MIN_LIKENESS = 0.8
MATCH_MS = 300  # how much of a clip's start is matched
# Silence expected just before a cue: it pins the match to the onset edge, even
# for a steady sound whose envelope alone would match at many lags.
QUIET_BEFORE_MS = 30
FINE_BEFORE_MS = 3
FINE_WINDOW_MS = 8


def _envelope(samples: array[int], start_ms: int, length_ms: int) -> list[float]:
    """Mean absolute level of each millisecond from ``start_ms`` (zeros outside the track)."""
    levels = []
    for ms in range(start_ms, start_ms + length_ms):
        chunk = samples[max(ms, 0) * SAMPLES_PER_MS : max(ms + 1, 0) * SAMPLES_PER_MS]
        levels.append(sum(map(abs, chunk)) / SAMPLES_PER_MS if ms >= 0 else 0.0)
    return levels


def _coarse_ms(samples: array[int], clip: array[int], planned_ms: int) -> int | None:
    length = max(1, min(len(clip) // SAMPLES_PER_MS, MATCH_MS))
    reference = [0.0] * QUIET_BEFORE_MS + _envelope(clip, 0, length)
    length += QUIET_BEFORE_MS
    start_ms = planned_ms - SEARCH_MS - QUIET_BEFORE_MS
    track = _envelope(samples, start_ms, length + 2 * SEARCH_MS)
    best_lag, best_score = 0, -1.0
    for lag in range(2 * SEARCH_MS + 1):
        window = track[lag : lag + length]
        energy = math.sqrt(sum(v * v for v in window)) or 1.0
        score = sum(r * w for r, w in zip(reference, window, strict=True)) / energy
        if score > best_score:
            best_lag, best_score = lag, score
    norm = math.sqrt(sum(r * r for r in reference)) or 1.0
    if best_score / norm < MIN_LIKENESS:
        return None
    return start_ms + QUIET_BEFORE_MS + best_lag


def cue_onsets_ms(mp3: bytes, cues_ms: Sequence[int], clips: Sequence[array[int]]) -> list[float]:
    """Onset of each cue in ms into the decoded file; ``clips`` are the placed (trimmed) PCMs.

    A cue whose sound is not found within ``SEARCH_MS`` of its plan is NaN.
    """
    samples = decode(mp3)
    onsets = []
    previous_end = 0
    for planned_ms, clip in zip(cues_ms, clips, strict=True):
        coarse = _coarse_ms(samples, clip, planned_ms)
        previous_end_next = planned_ms * SAMPLES_PER_MS + len(clip)
        if coarse is None:
            onsets.append(math.nan)
            previous_end = previous_end_next
            continue
        # Never before the previous phrase has ended: two phrases may touch.
        start = max((coarse - FINE_BEFORE_MS) * SAMPLES_PER_MS, previous_end)
        found = first_onset(samples, start=start)
        near = found is not None and found < start + FINE_WINDOW_MS * SAMPLES_PER_MS
        onsets.append(found / SAMPLES_PER_MS if near and found is not None else float(coarse))
        previous_end = previous_end_next
    return onsets


def largest_error_ms(planned: Sequence[int], measured: Sequence[float]) -> float:
    """The largest distance from plan; infinite when a cue was not found at all."""
    return max(
        math.inf if math.isnan(m) else abs(m - p) for p, m in zip(planned, measured, strict=True)
    )
