"""The records of a prescribed plan: what the therapist wrote, its code, who linked it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skill.routines.model import Tempo


@dataclass(frozen=True)
class PlanExercise:
    """One prescribed exercise: a catalog id, its reps and tempo."""

    id: str
    reps: int
    tempo: Tempo = Tempo.NORMAL


@dataclass(frozen=True)
class PrescribedPlan:
    """A plan file's content (DESIGN.md section 4): spoken title and clinic, snacks a day."""

    title: str
    clinic: str
    per_day: int
    exercises: tuple[PlanExercise, ...]
    note: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "title": self.title,
                "clinic": self.clinic,
                "per_day": self.per_day,
                "note": self.note,
                "exercises": [
                    {"id": e.id, "reps": e.reps, "tempo": e.tempo.value} for e in self.exercises
                ],
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> PrescribedPlan:
        data: dict[str, Any] = json.loads(text)
        return cls(
            title=str(data["title"]),
            clinic=str(data["clinic"]),
            per_day=int(data["per_day"]),
            note=data.get("note"),
            exercises=tuple(
                PlanExercise(str(e["id"]), int(e["reps"]), Tempo(e.get("tempo", "normal")))
                for e in data["exercises"]
            ),
        )


@dataclass(frozen=True)
class StoredPlan:
    """A plan under its code. A revoked or expired plan cannot be linked any more."""

    code: str
    plan: PrescribedPlan
    created_at: datetime
    expires_at: datetime
    revoked: bool = False

    def is_live(self, now: datetime) -> bool:
        return not self.revoked and now < self.expires_at


@dataclass(frozen=True)
class Link:
    """A user's link to a plan. ``number`` is the linking order ("patient 2" in the
    report); ``sharing`` None means the user has not answered the sharing question."""

    code: str
    number: int
    user_key: str
    linked_at: datetime
    sharing: bool | None = None
    # The user's own daily goal before the plan's per_day replaced it, for "remove my plan".
    previous_goal: int | None = None


@dataclass(frozen=True)
class Attempts:
    """Wrong codes a user said in a row, and until when linking is locked for them."""

    tries: int = 0
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until
