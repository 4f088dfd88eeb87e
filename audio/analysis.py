"""Measure where cues really start in a rendered MP3 (tests and benchmarks).

Decodes the file as a plain decoder would and finds each cue's onset: the first
sample louder than :data:`~audio.pcm.ONSET_THRESHOLD` after the previous cue's
speech has ended (and no earlier than ``SEARCH_BEFORE_MS`` before the plan).
"""

from __future__ import annotations

from collections.abc import Sequence

from audio.pcm import SAMPLES_PER_MS, decode, first_onset

SEARCH_BEFORE_MS = 100


def cue_onsets_ms(mp3: bytes, cues_ms: Sequence[int], speech_ms: Sequence[float]) -> list[float]:
    """Onset of each cue, in ms into the decoded file; ``speech_ms`` are the clips' lengths."""
    samples = decode(mp3)
    onsets = []
    previous_end_ms = 0.0
    for planned_ms, length_ms in zip(cues_ms, speech_ms, strict=True):
        search_ms = max(previous_end_ms, planned_ms - SEARCH_BEFORE_MS, 0)
        found = first_onset(samples, start=round(search_ms * SAMPLES_PER_MS))
        if found is None:
            raise ValueError(
                f"no sound after {search_ms:.0f} ms for the cue planned at {planned_ms}"
            )
        onsets.append(found / SAMPLES_PER_MS)
        previous_end_ms = planned_ms + length_ms
    return onsets


def largest_error_ms(planned: Sequence[int], measured: Sequence[float]) -> float:
    return max(abs(m - p) for p, m in zip(planned, measured, strict=True))
