"""Where a user stands in a guided session: a small immutable plan kept between turns.

The plan lives in Alexa session attributes while the session is open, and as a
:class:`~skill.progress.store.Bookmark` in the store when the user pauses.

Beside it, the session attributes count the sets spoken this session
(:func:`next_in_session`): that count picks each set's encouragement, so two sets
in a row, of a routine or two single exercises, never hear the same words. It is
plain data in the request, no hidden state: the same request always says the same.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from skill.progress.store import Bookmark
from skill.routines.catalog import Catalog
from skill.routines.model import Exercise, Routine, Tempo

# Session attribute: how many sets this session has spoken so far.
SETS_HEARD_KEY = "sets_heard"


@dataclass(frozen=True)
class Plan:
    routine_id: str | None
    exercise_ids: tuple[str, ...]
    index: int = 0
    # The user's own rep count ("do five reps"); None keeps each step's default.
    reps: int | None = None
    tempo: Tempo = Tempo.NORMAL
    # Whether the current exercise's set has been spoken: only a delivered set
    # counts as done when the user moves on.
    delivered: bool = False
    # A therapist's plan prescribes reps and a tempo per exercise (empty: none prescribed).
    step_reps: tuple[int, ...] = ()
    step_tempos: tuple[str, ...] = ()
    # How many sets this session spoke before the current one (see next_in_session);
    # None for a plan no session has spoken, e.g. a routine track played hands-free.
    heard: int | None = None

    @classmethod
    def for_routine(cls, routine: Routine) -> Plan:
        return cls(routine.id, tuple(s.exercise_id for s in routine.steps))

    @classmethod
    def for_exercise(cls, exercise: Exercise) -> Plan:
        return cls(None, (exercise.id,))

    @property
    def exercise_id(self) -> str:
        return self.exercise_ids[self.index]

    @property
    def place(self) -> int:
        """The current set's place in the session's run of sets: it picks the set's
        encouragement. A plan no session spoke takes its step's index, as the routine
        track was rendered."""
        return self.index if self.heard is None else self.heard

    @property
    def is_last(self) -> bool:
        return self.index >= len(self.exercise_ids) - 1

    def reps_for(self, catalog: Catalog) -> int:
        exercise = catalog.exercise(self.exercise_id)
        if self.reps is not None:
            return min(self.reps, exercise.max_reps)
        if self.step_reps:
            return min(self.step_reps[self.index], exercise.max_reps)
        if self.routine_id is not None:
            step = catalog.routine(self.routine_id).steps[self.index]
            if step.reps is not None:
                return step.reps
        return exercise.reps

    def moved(self, step: int) -> Plan:
        index = min(max(self.index + step, 0), len(self.exercise_ids) - 1)
        return replace(self, index=index, delivered=False, tempo=self._tempo_at(index))

    def restarted(self) -> Plan:
        return replace(self, index=0, delivered=False, tempo=self._tempo_at(0))

    def _tempo_at(self, index: int) -> Tempo:
        """The prescribed tempo of exercise ``index``; else the current one, as chosen."""
        return Tempo(self.step_tempos[index]) if self.step_tempos else self.tempo

    def with_tempo(self, tempo: Tempo) -> Plan:
        return replace(self, tempo=tempo)

    def with_reps(self, reps: int) -> Plan:
        return replace(self, reps=reps)

    def delivered_now(self) -> Plan:
        return replace(self, delivered=True)

    def to_attributes(self) -> dict[str, Any]:
        data = asdict(self)
        data["exercise_ids"] = list(self.exercise_ids)
        data["tempo"] = self.tempo.value
        data["step_reps"] = list(self.step_reps)
        data["step_tempos"] = list(self.step_tempos)
        return data

    @classmethod
    def from_attributes(cls, data: Any, catalog: Catalog) -> Plan | None:
        """A plan from session attributes; anything malformed or stale gives None."""
        if not isinstance(data, dict):
            return None
        try:
            plan = cls(
                routine_id=data.get("routine_id"),
                exercise_ids=tuple(str(e) for e in data["exercise_ids"]),
                index=int(data.get("index", 0)),
                reps=None if data.get("reps") is None else int(data["reps"]),
                tempo=Tempo(data.get("tempo", Tempo.NORMAL.value)),
                delivered=bool(data.get("delivered", False)),
                step_reps=tuple(int(r) for r in data.get("step_reps") or ()),
                step_tempos=tuple(Tempo(t).value for t in data.get("step_tempos") or ()),
                heard=_count_or_none(data.get("heard")),
            )
        except (KeyError, TypeError, ValueError):
            return None
        return plan if plan.is_valid(catalog) else None

    def is_valid(self, catalog: Catalog) -> bool:
        """Whether this plan still fits the catalog (a saved one may predate a change)."""
        if not self.exercise_ids or not 0 <= self.index < len(self.exercise_ids):
            return False
        if self.reps is not None and self.reps < 1:
            return False
        prescribed = (self.step_reps, self.step_tempos)
        if any(p and len(p) != len(self.exercise_ids) for p in prescribed):
            return False
        if any(reps < 1 for reps in self.step_reps):
            return False
        if self.heard is not None and self.heard < 0:
            return False
        if self.routine_id is not None:
            routine = catalog.routines.get(self.routine_id)
            steps = tuple(s.exercise_id for s in routine.steps) if routine else None
            if steps != self.exercise_ids:
                return False
        return all(e in catalog.exercises for e in self.exercise_ids)

    def to_bookmark(self) -> Bookmark:
        return Bookmark(
            self.routine_id,
            self.exercise_ids,
            self.index,
            self.reps,
            self.tempo.value,
            step_reps=self.step_reps,
            step_tempos=self.step_tempos,
        )

    @classmethod
    def from_bookmark(cls, bookmark: Bookmark, catalog: Catalog) -> Plan | None:
        data = asdict(bookmark)
        data["exercise_ids"] = list(bookmark.exercise_ids)
        return cls.from_attributes(data, catalog)


def _count_or_none(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not a count")
    return value


def next_in_session(plan: Plan, session: MutableMapping[str, Any]) -> Plan:
    """``plan`` about to be spoken: stamped with how many sets this session spoke
    before it, and counted in ``session``. Every set spoken (a repeat too) moves the
    count on, so the next set hears the next encouragement of the rotation; a
    missing or malformed count starts again from zero."""
    heard = session.get(SETS_HEARD_KEY)
    if isinstance(heard, bool) or not isinstance(heard, int) or heard < 0:
        heard = 0
    session[SETS_HEARD_KEY] = heard + 1
    return replace(plan, heard=heard)
