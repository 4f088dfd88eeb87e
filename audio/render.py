"""Timeline -> MP3 with every cue's speech starting on its planned millisecond.

Each phrase clip is decoded to PCM, its silence trimmed (so the clip starts at the
voice's onset) and copied into exact digital silence at its cue's time. The MP3
codec delays everything by :data:`~audio.pcm.CODEC_DELAY_SAMPLES`; the PCM is laid
out that much earlier, behind a fixed lead of :data:`LEAD_MS`, so a decoder plays
cue ``c`` at exactly ``LEAD_MS + c.start_ms`` (the times the manifest records).

A clip longer than its slot (the time until the next cue) is first asked of the
backend again, spoken faster (up to the backend's ``max_speed``; eSpeak NG can,
gTTS cannot), then compressed in time without changing its pitch (WSOLA, up to
:data:`MAX_STRETCH`). If it still does not fit it is not squeezed in: the next
cue would be late, or voices would overlap, and the timeline would lie. The renderer raises
:class:`OverrunError` naming every such cue, and the build leaves that variant out
of the manifest, so the skill speaks it with SSML breaks instead.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from audio.mp3frames import summarize
from audio.pcm import (
    CODEC_DELAY_SAMPLES,
    SAMPLES_PER_MS,
    decode,
    encode_mp3,
    soft_tick,
    trim_silence,
)
from audio.stretch import compress
from audio.tts import Clip
from skill.routines.pacing import Cue, Timeline
from skill.speech.alexa_limits import MAX_AUDIO_MS

# Whole milliseconds of lead that cover the codec delay (1105 samples = 46.04 ms).
LEAD_MS = math.ceil(CODEC_DELAY_SAMPLES / SAMPLES_PER_MS)
# One set's part must fit a response's audio; leave room for the lead and the
# encoder's final partial frame.
MAX_PART_MS = MAX_AUDIO_MS - LEAD_MS - 100
# Speeds tried, in order, for a phrase that does not fit its slot.
SPEED_STEP = 0.1
# The most a clip is compressed in time; beyond this, speech sounds hurried.
MAX_STRETCH = 1.3
# Ticks keep clear of speech by this much on either side.
TICK_CLEARANCE_MS = 300


@dataclass(frozen=True)
class Layout:
    """What to render: cues at exact times, and when the track ends."""

    cues: tuple[Cue, ...]
    duration_ms: int

    @classmethod
    def of(cls, timeline: Timeline) -> Layout:
        return cls(timeline.cues, timeline.duration_ms)

    def slot_ms(self, index: int) -> int:
        """Time from cue ``index`` to the next cue (or to the end of the track)."""
        following = (
            self.cues[index + 1].start_ms if index + 1 < len(self.cues) else self.duration_ms
        )
        return following - self.cues[index].start_ms


@dataclass(frozen=True)
class Overrun:
    text: str
    start_ms: int
    clip_ms: int
    slot_ms: int

    def __str__(self) -> str:
        return f"{self.text!r} at {self.start_ms} ms needs {self.clip_ms} ms, has {self.slot_ms} ms"


class OverrunError(ValueError):
    def __init__(self, overruns: Sequence[Overrun]) -> None:
        super().__init__("; ".join(map(str, overruns)))
        self.overruns = tuple(overruns)


@dataclass(frozen=True)
class Track:
    mp3: bytes
    cues_ms: tuple[int, ...]  # where each cue's speech starts, as a decoder plays the file
    duration_ms: int


def split(layout: Layout, max_ms: int = MAX_PART_MS) -> list[Layout]:
    """Cut a layout at cue boundaries into parts of at most ``max_ms`` each."""
    parts: list[Layout] = []
    start_index = 0
    for index in range(1, len(layout.cues) + 1):
        end_ms = layout.cues[index].start_ms if index < len(layout.cues) else layout.duration_ms
        part_start = layout.cues[start_index].start_ms
        if end_ms - part_start > max_ms:
            if index - 1 == start_index:
                raise ValueError(f"cue at {part_start} ms alone is longer than {max_ms} ms")
            parts.append(_part(layout, start_index, index - 1))
            start_index = index - 1
    parts.append(_part(layout, start_index, len(layout.cues)))
    return parts


def _part(layout: Layout, first: int, stop: int) -> Layout:
    offset = layout.cues[first].start_ms
    end = layout.cues[stop].start_ms if stop < len(layout.cues) else layout.duration_ms
    cues = tuple(c.shifted(-offset) for c in layout.cues[first:stop])
    return Layout(cues, end - offset)


def _speeds(max_speed: float) -> list[float]:
    steps = math.floor(round((max_speed - 1.0) / SPEED_STEP, 6))
    return [round(1.0 + SPEED_STEP * step, 3) for step in range(steps + 1)]


class Renderer:
    """Renders layouts with clips from ``clips(text, speed)``, usually ``ClipCache.clip``."""

    def __init__(
        self,
        clips: Callable[[str, float], Clip],
        *,
        max_speed: float = 1.0,
        tick: bool = False,
    ) -> None:
        self._clips = clips
        self._speeds = _speeds(max_speed)
        self._tick = soft_tick() if tick else None
        self._pcm: dict[tuple[str, float], array[int]] = {}
        self._stretched: dict[tuple[str, int], array[int]] = {}
        self._faster: set[str] = set()

    def speech(self, text: str, slot_ms: int | None = None) -> array[int]:
        """The trimmed PCM of a phrase, at the slowest speed that fits ``slot_ms``.

        Each (phrase, speed) is decoded once per renderer. When no speed of the
        backend fits, the fastest is compressed in time (at most
        :data:`MAX_STRETCH`); when even that does not fit, the fastest is
        returned as it is and :meth:`overruns` reports it.
        """
        for speed in self._speeds:
            if (text, speed) not in self._pcm:
                self._pcm[text, speed] = trim_silence(decode(self._clips(text, speed).data))
            pcm = self._pcm[text, speed]
            if slot_ms is None or len(pcm) <= slot_ms * SAMPLES_PER_MS:
                if speed > 1.0:
                    self._faster.add(text)
                return pcm
        assert slot_ms is not None
        factor = len(pcm) / (slot_ms * SAMPLES_PER_MS)
        if factor > MAX_STRETCH:
            return pcm
        if (text, slot_ms) not in self._stretched:
            # A hair more than needed, so rounding never leaves it a sample too long.
            self._stretched[text, slot_ms] = compress(pcm, factor * 1.002)
        return self._stretched[text, slot_ms]

    @property
    def stretched_phrases(self) -> set[str]:
        """Phrases compressed in time to fit a slot somewhere (reported by the build)."""
        return {text for text, _slot in self._stretched}

    @property
    def hurried_phrases(self) -> set[str]:
        """Phrases said faster than the voice's own rate somewhere, to fit a slot.

        The pacing leaves each cue room by a conservative estimate, so with an
        honest voice this stays empty: tempo changes the silences, not the speech.
        """
        return self._faster | self.stretched_phrases

    def placed(self, layout: Layout) -> list[array[int]]:
        """The (trimmed) speech that :meth:`pcm` places at each cue."""
        return [self.speech(cue.text, layout.slot_ms(i)) for i, cue in enumerate(layout.cues)]

    def overruns(self, layout: Layout) -> list[Overrun]:
        found = []
        for index, cue in enumerate(layout.cues):
            slot_ms = layout.slot_ms(index)
            clip_ms = math.ceil(len(self.speech(cue.text, slot_ms)) / SAMPLES_PER_MS)
            if clip_ms > slot_ms:
                found.append(Overrun(cue.text, cue.start_ms, clip_ms, slot_ms))
        return found

    def pcm(self, layout: Layout) -> array[int]:
        """The layout laid out as PCM, shifted for the codec delay; raises :class:`OverrunError`."""
        if overruns := self.overruns(layout):
            raise OverrunError(overruns)
        total = (LEAD_MS + layout.duration_ms) * SAMPLES_PER_MS - CODEC_DELAY_SAMPLES
        samples = array("h", bytes(2 * total))
        for index, cue in enumerate(layout.cues):
            clip = self.speech(cue.text, layout.slot_ms(index))
            at = self._position(cue.start_ms)
            samples[at : at + len(clip)] = clip
            if self._tick is not None:
                self._add_ticks(samples, cue.start_ms, len(clip), layout.slot_ms(index))
        return samples

    def render(self, layout: Layout) -> Track:
        mp3 = encode_mp3(self.pcm(layout))
        cues_ms = tuple(LEAD_MS + cue.start_ms for cue in layout.cues)
        return Track(mp3, cues_ms, round(summarize(mp3).duration_ms))

    @staticmethod
    def _position(plan_ms: int) -> int:
        return (LEAD_MS + plan_ms) * SAMPLES_PER_MS - CODEC_DELAY_SAMPLES

    def _add_ticks(self, samples: array[int], start_ms: int, clip_len: int, slot_ms: int) -> None:
        """Soft ticks on each whole second of the slot that is clear of speech."""
        assert self._tick is not None
        tick_ms = len(self._tick) // SAMPLES_PER_MS
        speech_end_ms = math.ceil(clip_len / SAMPLES_PER_MS)
        for beat_ms in range(1000, slot_ms, 1000):
            clear_of_speech = beat_ms >= speech_end_ms + TICK_CLEARANCE_MS
            clear_of_next = beat_ms + tick_ms <= slot_ms - TICK_CLEARANCE_MS
            if clear_of_speech and clear_of_next:
                at = self._position(start_ms + beat_ms)
                samples[at : at + len(self._tick)] = self._tick
