"""The renderer puts every cue's speech on its planned millisecond (DESIGN.md section 2)."""

from __future__ import annotations

from array import array
from collections.abc import Callable

import pytest

from audio.analysis import cue_onsets_ms, largest_error_ms
from audio.mp3frames import summarize
from audio.pcm import ONSET_THRESHOLD, SAMPLES_PER_MS, decode
from audio.render import LEAD_MS, Layout, OverrunError, Renderer, split
from skill.routines.pacing import Cue, CueKind
from tests.audio.tones import MS_PER_WORD, ToneBackend


def layout_of(*cues: tuple[int, str], end_ms: int) -> Layout:
    return Layout(tuple(Cue(ms, text, CueKind.PHASE) for ms, text in cues), end_ms)


def test_each_cue_starts_on_its_millisecond_after_mp3_encoding(
    tone_backend: Callable[..., ToneBackend],
) -> None:
    # GIVEN cues at irregular times, with clips that start with 40 ms of silence
    renderer = Renderer(tone_backend().synthesize)
    layout = layout_of(
        (0, "one two"), (1234, "three"), (2001, "four five six"), (5555, "x"), end_ms=6000
    )
    # WHEN it is rendered and decoded like a player would
    track = renderer.render(layout)
    onsets = cue_onsets_ms(track.mp3, track.cues_ms, renderer.placed(layout))
    # THEN every cue is heard at lead + its planned time, within a millisecond
    assert list(track.cues_ms) == [LEAD_MS + c.start_ms for c in layout.cues]
    assert largest_error_ms(track.cues_ms, onsets) < 1.0


def test_the_measurement_reports_a_cue_that_is_not_where_planned_as_missing(
    tone_backend: Callable[..., ToneBackend],
) -> None:
    """Prevents: a benchmark that caps a missing or badly late cue at its search window."""
    renderer = Renderer(tone_backend().synthesize)
    layout = layout_of((0, "one two"), (2000, "three"), end_ms=4000)
    track = renderer.render(layout)
    # Claim the second cue sits 700 ms later than it does: nothing like it is there.
    claimed = [track.cues_ms[0], track.cues_ms[1] + 700]
    onsets = cue_onsets_ms(track.mp3, claimed, renderer.placed(layout))
    assert abs(onsets[0] - claimed[0]) < 1.0
    assert largest_error_ms(claimed, onsets) == float("inf")


def test_output_is_alexa_format_and_as_long_as_the_plan(
    tone_backend: Callable[..., ToneBackend],
) -> None:
    track = Renderer(tone_backend().synthesize).render(layout_of((0, "hello"), end_ms=3000))
    summary = summarize(track.mp3)
    assert summary.bitrates_kbps == {48} and summary.sample_rates == {24000}
    assert summary.channels == {1}
    # The encoder rounds up to whole 24 ms frames and flushes one more.
    assert LEAD_MS + 3000 <= track.duration_ms <= LEAD_MS + 3000 + 3 * 24


def test_between_cues_there_is_silence(tone_backend: Callable[..., ToneBackend]) -> None:
    renderer = Renderer(tone_backend().synthesize)
    track = renderer.render(layout_of((0, "one"), (2000, "two"), end_ms=3000))
    samples = decode(track.mp3)
    gap = samples[(LEAD_MS + MS_PER_WORD + 30) * SAMPLES_PER_MS : (LEAD_MS + 1970) * SAMPLES_PER_MS]
    assert max(abs(s) for s in gap) < ONSET_THRESHOLD // 4


def test_a_phrase_longer_than_its_slot_is_reported_not_shifted(
    tone_backend: Callable[..., ToneBackend],
) -> None:
    renderer = Renderer(tone_backend().synthesize)
    # "a b c d" lasts 800 ms but the next cue follows after 500 ms: 1.6 times too long
    with pytest.raises(OverrunError) as raised:
        renderer.render(layout_of((0, "a b c d"), (500, "e"), end_ms=1000))
    (overrun,) = raised.value.overruns
    assert (overrun.text, overrun.slot_ms, overrun.clip_ms) == ("a b c d", 500, 800)


def test_a_voice_that_cannot_speak_faster_is_compressed_in_time_to_fit(
    tone_backend: Callable[..., ToneBackend],
) -> None:
    backend = tone_backend()  # like gTTS: one speed only
    renderer = Renderer(backend.synthesize, max_speed=backend.max_speed)
    # "a b c" lasts 600 ms; its slot is 500 ms: 1.2 times, within MAX_STRETCH
    layout = layout_of((0, "a b c"), (500, "d"), end_ms=1000)
    track = renderer.render(layout)
    squeezed = renderer.placed(layout)[0]
    assert 490 * SAMPLES_PER_MS <= len(squeezed) <= 500 * SAMPLES_PER_MS
    assert renderer.stretched_phrases == {"a b c"}
    onsets = cue_onsets_ms(track.mp3, track.cues_ms, renderer.placed(layout))
    assert largest_error_ms(track.cues_ms, onsets) < 1.0


def test_compression_keeps_the_pitch_of_the_voice() -> None:
    import numpy as np

    from audio.stretch import compress

    rate = 24_000
    tone = array("h", np.round(8000 * np.sin(2 * np.pi * 220 * np.arange(rate) / rate)).astype(int))
    faster = np.asarray(compress(tone, 1.25), dtype=float)
    spectrum = np.abs(np.fft.rfft(faster * np.hanning(len(faster))))
    assert len(faster) == rate * 4 // 5
    assert np.argmax(spectrum) * rate / len(faster) == pytest.approx(220, abs=2)


def test_a_backend_that_can_speak_faster_fits_a_tight_slot(
    tone_backend: Callable[..., ToneBackend],
) -> None:
    backend = tone_backend(max_speed=1.3)
    renderer = Renderer(backend.synthesize, max_speed=backend.max_speed)
    layout = layout_of((0, "a b c"), (500, "d"), end_ms=1000)
    track = renderer.render(layout)
    # 600 ms at 1.1x is 545 ms, too long; 1.2x gives 500 ms, which fits
    assert ("a b c", 1.2) in backend.calls and ("a b c", 1.3) not in backend.calls
    onsets = cue_onsets_ms(track.mp3, track.cues_ms, renderer.placed(layout))
    assert largest_error_ms(track.cues_ms, onsets) < 1.0


def test_ticks_fall_on_whole_seconds_clear_of_speech(
    tone_backend: Callable[..., ToneBackend],
) -> None:
    renderer = Renderer(tone_backend().synthesize, tick=True)
    track = renderer.render(layout_of((0, "hold"), (4000, "release"), end_ms=5000))
    samples = decode(track.mp3)

    def loud(ms: int) -> bool:
        window = samples[(LEAD_MS + ms) * SAMPLES_PER_MS : (LEAD_MS + ms + 20) * SAMPLES_PER_MS]
        return max(abs(s) for s in window) > 300

    # ticks at 1 s, 2 s and 3 s into the hold; none at 3.5 s nor in the last 300 ms
    assert [loud(ms) for ms in (1000, 2000, 3000)] == [True, True, True]
    assert not loud(1500) and not loud(3500)


def test_a_long_plan_is_split_at_cue_boundaries_into_parts_under_the_limit() -> None:
    cues = [(i * 50_000, f"cue {i}") for i in range(12)]
    whole = layout_of(*cues, end_ms=600_000)
    parts = split(whole, max_ms=230_000)
    assert all(p.duration_ms <= 230_000 for p in parts)
    assert sum(p.duration_ms for p in parts) == whole.duration_ms
    assert [c.text for p in parts for c in p.cues] == [c.text for c in whole.cues]
    assert all(p.cues[0].start_ms == 0 for p in parts)


def test_a_single_cue_longer_than_the_limit_cannot_be_split() -> None:
    with pytest.raises(ValueError, match="alone is longer"):
        split(layout_of((0, "a"), (300_000, "b"), end_ms=301_000), max_ms=230_000)
