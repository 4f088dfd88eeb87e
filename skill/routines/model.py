"""Frozen catalog types: what an exercise and a routine are, independent of any renderer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tempo(StrEnum):
    """How long each phase of a rep lasts; the user changes it with "slower" / "faster"."""

    SLOW = "slow"
    NORMAL = "normal"
    FAST = "fast"

    def slower(self) -> Tempo:
        return Tempo.SLOW if self is not Tempo.FAST else Tempo.NORMAL

    def faster(self) -> Tempo:
        return Tempo.FAST if self is not Tempo.SLOW else Tempo.NORMAL


@dataclass(frozen=True)
class Phase:
    """One timed part of a rep, e.g. "Tilt your pelvis back" for 3 s, then "Hold" for 2 s.

    ``cue`` teaches the movement on a side's first rep. On every later rep the
    phase keeps time in one of three ways: its ``short`` cue ("Tilt."); silence,
    when it is ``quiet`` (a hold, or a circle that flows on: taught once, its
    seconds trusted); or, when it is ``counted`` (the rep's last phase, whose
    movement is obvious, e.g. the release after a hold), the rep's count ("Two.")
    said at its start as its cue. ``breath`` ("Breathe out, tilt."), when given,
    takes the phase's place once per set, on the first side's second rep, when a
    therapist would remind it.
    """

    cue: str
    seconds: dict[Tempo, float]
    short: str = ""
    breath: str = ""
    quiet: bool = False
    counted: bool = False

    def duration_ms(self, tempo: Tempo) -> int:
        return round(self.seconds[tempo] * 1000)


@dataclass(frozen=True)
class CuePhrases:
    """The words around a set's phases, from the catalog: sides, counts, the end."""

    first_side: str  # "{side} side."
    switch_side: str  # "Now the {side} side."
    count: str  # "{number}."
    end: str  # "And relax."
    numbers: tuple[str, ...]  # "zero", "one", ... as spoken counts
    # Said once past the middle of a longer set, in rotation ("{remaining} more.").
    encouragements: tuple[str, ...]

    def side(self, side: str, switching: bool) -> str:
        return _sentence((self.switch_side if switching else self.first_side).format(side=side))

    def count_of(self, n: int) -> str:
        return _sentence(self.count.format(number=self.number(n)))

    def number(self, n: int) -> str:
        return self.numbers[n] if 0 <= n < len(self.numbers) else str(n)

    def encouragement(self, index: int, remaining: int) -> str:
        """The ``index``-th encouragement (in rotation), with ``{remaining}`` reps filled in."""
        text = self.encouragements[index % len(self.encouragements)]
        return _sentence(text.format(remaining=self.number(remaining)))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    synonyms: tuple[str, ...]
    areas: tuple[str, ...]
    setup: tuple[str, ...]
    safety: str
    phases: tuple[Phase, ...]
    reps: int
    max_reps: int
    cues: CuePhrases
    sides: tuple[str, ...] = ()

    @property
    def has_sides(self) -> bool:
        return bool(self.sides)


@dataclass(frozen=True)
class Step:
    """One exercise of a routine; ``reps`` shortens the exercise's default when set."""

    exercise_id: str
    reps: int | None = None


@dataclass(frozen=True)
class Routine:
    id: str
    name: str
    synonyms: tuple[str, ...]
    areas: tuple[str, ...]
    description: str
    steps: tuple[Step, ...]
