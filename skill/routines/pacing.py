"""One timeline per guided set: the single source of the set's pacing.

Speech (SSML breaks), audio (MP3 with each cue at its millisecond) and text all
render the same :class:`Timeline`, so the three can never disagree about tempo.

>>> from skill.routines.catalog import load_catalog
>>> tilts = load_catalog("en-US").exercise("pelvic_tilts")
>>> timeline = compile_set(tilts, reps=2, tempo=Tempo.NORMAL)
>>> [(c.start_ms, c.text) for c in timeline.cues][:3]  # doctest: +ELLIPSIS
[(0, '...'), ...]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from skill.routines.model import Exercise, Tempo

# A calm speaking rate: used to leave room for a cue before the next one starts.
MS_PER_WORD = 380
# Breathing room after the last cue of one rep before the count of the next.
REP_GAP_MS = 600
# Time to switch sides (reposition a leg or an arm) before the next side starts.
SIDE_SWITCH_MS = 3000


class CueKind(StrEnum):
    SIDE = "side"  # "Left side." / "Now switch to your right side."
    COUNT = "count"  # "Two."
    PHASE = "phase"  # "Tilt your pelvis back." / "Hold." / "And release."
    END = "end"  # "And relax." closing the set


@dataclass(frozen=True)
class Cue:
    start_ms: int
    text: str
    kind: CueKind
    rep: int = 0
    side: str | None = None


@dataclass(frozen=True)
class Timeline:
    """Immutable, ordered cues with exact start times; ``duration_ms`` ends the set."""

    exercise_id: str
    reps: int
    tempo: Tempo
    cues: tuple[Cue, ...]
    duration_ms: int

    @property
    def key(self) -> str:
        """Stable name of this variant, used by the audio manifest."""
        return f"{self.exercise_id}-{self.tempo.value}-{self.reps}"


def estimated_speech_ms(text: str) -> int:
    """A conservative estimate of how long a voice takes to say ``text``."""
    return max(1, len(text.split())) * MS_PER_WORD


def compile(
    exercise: Exercise,
    reps: int,
    tempo: Tempo,
    side: str | None = None,
    switching: bool = False,
) -> Timeline:
    """Compile the reps of one side (or of a sideless exercise) into a timeline.

    ``switching`` announces the side as a switch and leaves time to reposition.
    """
    cues: list[Cue] = []
    now = 0
    if side is not None:
        text = exercise.cues.side(side, switching)
        cues.append(Cue(now, text, CueKind.SIDE, side=side))
        settle_ms = SIDE_SWITCH_MS if switching else REP_GAP_MS
        now += estimated_speech_ms(text) + settle_ms
    for rep in range(1, reps + 1):
        if rep > 1:
            text = exercise.cues.count_of(rep)
            cues.append(Cue(now, text, CueKind.COUNT, rep=rep, side=side))
            now += estimated_speech_ms(text)
        for phase in exercise.phases:
            cues.append(Cue(now, phase.cue, CueKind.PHASE, rep=rep, side=side))
            # A phase lasts its planned time, but never less than it takes to say it.
            now += max(phase.duration_ms(tempo), estimated_speech_ms(phase.cue))
        now += REP_GAP_MS
    return Timeline(exercise.id, reps, tempo, tuple(cues), now)


def compile_set(exercise: Exercise, reps: int, tempo: Tempo) -> Timeline:
    """The whole guided set: every side in turn, closed by a short "and relax"."""
    sides: Sequence[str | None] = exercise.sides or (None,)
    cues: list[Cue] = []
    offset = 0
    for index, side in enumerate(sides):
        part = compile(exercise, reps, tempo, side, switching=index > 0)
        cues.extend(Cue(offset + c.start_ms, c.text, c.kind, c.rep, c.side) for c in part.cues)
        offset += part.duration_ms
    end_text = exercise.cues.end
    cues.append(Cue(offset, end_text, CueKind.END))
    duration = offset + estimated_speech_ms(end_text)
    return Timeline(exercise.id, reps, tempo, tuple(cues), duration)
