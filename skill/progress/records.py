"""The records of one user's progress that a store keeps and a turn reads.

The value types of :mod:`skill.progress.store`'s protocol, apart from it: a paused
routine (:class:`Bookmark`), a completed set (:class:`Completion`), a pain check-in
(:class:`PainRating`) and a day's totals (:class:`DayTotal`). When a set counts,
and what a store does with them, is said in :mod:`skill.progress.store`, which
also exports these names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from skill.progress.snacks import snacks_of


@dataclass(frozen=True)
class Bookmark:
    """Where a paused routine stands, so "resume" continues at the same set."""

    routine_id: str | None
    exercise_ids: tuple[str, ...]
    index: int
    reps: int | None
    tempo: str
    # Where a hands-free routine track stopped, so a later "resume" streams on from there.
    offset_ms: int | None = None
    # A therapist's plan: the reps and tempo prescribed per exercise (empty: none).
    step_reps: tuple[int, ...] = ()
    step_tempos: tuple[str, ...] = ()


@dataclass(frozen=True)
class Completion:
    """One guided set the user completed.

    ``completion_id`` is derived from the Alexa request id, so a retried delivery
    of the same request is counted once. ``local_day`` is the day in the user's
    own time zone.
    """

    completion_id: str
    exercise_id: str
    routine_id: str | None
    reps: int
    seconds: int
    local_day: date
    at: datetime
    # The minute of ``local_day`` (0-1439, the user's time zone) the set was heard;
    # None for a set recorded before minutes were kept: it still counts as a set.
    minute: int | None = None


@dataclass(frozen=True)
class PainRating:
    """A 0-10 pain check-in; stored only when the deployment opts in (STORE_PAIN_RATINGS)."""

    rating_id: str
    rating: int
    local_day: date
    at: datetime


@dataclass(frozen=True)
class DayTotal:
    """What a user did on one local day.

    ``minutes`` holds the distinct local minutes of the day in which a counted set
    was heard (sets recorded before minutes were kept have none): snacks and hours
    are derived from them (:mod:`skill.progress.snacks`).
    """

    day: date
    sets: int
    seconds: int
    exercises: Mapping[str, int] = field(default_factory=dict)
    pain: tuple[int, ...] = ()
    minutes: tuple[int, ...] = ()

    @property
    def snacks(self) -> int:
        """Movement snacks (sittings) of the day: a day with sets has at least one."""
        return snacks_of(self.minutes) if self.minutes else min(self.sets, 1)

    @property
    def hours(self) -> int:
        """How many different hours of the day the user moved in (known minutes only)."""
        return len({minute // 60 for minute in self.minutes})

    def plus(self, completion: Completion) -> DayTotal:
        """These totals with ``completion`` counted too (a set this turn has not saved yet)."""
        exercises = dict(self.exercises)
        exercises[completion.exercise_id] = exercises.get(completion.exercise_id, 0) + 1
        minutes = self.minutes
        if completion.minute is not None:
            minutes = tuple(sorted({*minutes, completion.minute}))
        return replace(
            self,
            sets=self.sets + 1,
            seconds=self.seconds + completion.seconds,
            exercises=exercises,
            minutes=minutes,
        )
