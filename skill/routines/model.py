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
    """One timed part of a rep, e.g. "Tilt your pelvis back" for 3 s, then "Hold" for 2 s."""

    cue: str
    seconds: dict[Tempo, float]

    def duration_ms(self, tempo: Tempo) -> int:
        return round(self.seconds[tempo] * 1000)


@dataclass(frozen=True)
class CuePhrases:
    """The words around a set's phases, from the catalog: sides, counts, the end."""

    first_side: str  # "{side} side."
    switch_side: str  # "Now switch to your {side} side."
    count: str  # "{number}."
    end: str  # "And relax."
    numbers: tuple[str, ...]  # "zero", "one", ... as spoken counts

    def side(self, side: str, switching: bool) -> str:
        text = (self.switch_side if switching else self.first_side).format(side=side)
        return text[:1].upper() + text[1:]

    def count_of(self, n: int) -> str:
        word = self.numbers[n] if 0 <= n < len(self.numbers) else str(n)
        text = self.count.format(number=word)
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
