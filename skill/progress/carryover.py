"""Progress the store could not take yet, carried in the Alexa session attributes.

If a write fails past its retries, the turn's sets, pain ratings and a new daily
goal ride along in the session and are written with the next turn's update; the
ids keep that exactly-once.
Session attributes come back from the device, so decoding trusts nothing: anything
malformed is dropped, and at most :data:`MAX_CARRIED` events are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from skill.progress.pain import MAX_PAIN
from skill.progress.snacks import MINUTES_PER_DAY
from skill.progress.store import (
    MAX_DAILY_GOAL,
    MIN_DAILY_GOAL,
    Completion,
    PainRating,
    UserUpdate,
)

MAX_CARRIED = 50


@dataclass(frozen=True)
class Carried:
    completions: list[Completion] = field(default_factory=list)
    ratings: list[PainRating] = field(default_factory=list)
    daily_goal: int | None = None


def worth_carrying(update: UserUpdate) -> bool:
    return bool(update.completions or update.pain_ratings or update.daily_goal is not None)


def to_attributes(update: UserUpdate) -> dict[str, Any]:
    completions, ratings = update.completions, update.pain_ratings
    return {
        "goal": update.daily_goal,
        "sets": [
            {
                "id": c.completion_id,
                "exercise": c.exercise_id,
                "routine": c.routine_id,
                "reps": c.reps,
                "seconds": c.seconds,
                "day": c.local_day.isoformat(),
                "at": c.at.isoformat(),
                "minute": c.minute,
            }
            for c in completions[-MAX_CARRIED:]
        ],
        "pain": [
            {
                "id": p.rating_id,
                "rating": p.rating,
                "day": p.local_day.isoformat(),
                "at": p.at.isoformat(),
            }
            for p in ratings[-MAX_CARRIED:]
        ],
    }


def from_attributes(data: Any) -> Carried:
    """What was carried; malformed or forged entries are skipped, never raised."""
    if not isinstance(data, dict):
        return Carried()
    completions = [c for c in map(_completion, _entries(data.get("sets"))) if c is not None]
    ratings = [p for p in map(_rating, _entries(data.get("pain"))) if p is not None]
    return Carried(completions, ratings, _goal(data.get("goal")))


def _goal(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if MIN_DAILY_GOAL <= value <= MAX_DAILY_GOAL else None
    return None


def _entries(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [entry for entry in value[-MAX_CARRIED:] if isinstance(entry, dict)]


def _completion(entry: dict[str, Any]) -> Completion | None:
    try:
        completion = Completion(
            completion_id=_text(entry["id"]),
            exercise_id=_text(entry["exercise"]),
            routine_id=None if entry.get("routine") is None else _text(entry["routine"]),
            reps=_count(entry["reps"]),
            seconds=_count(entry["seconds"]),
            local_day=date.fromisoformat(_text(entry["day"])),
            at=datetime.fromisoformat(_text(entry["at"])),
            minute=_minute(entry.get("minute")),
        )
    except (KeyError, TypeError, ValueError):
        return None
    return completion


def _minute(value: Any) -> int | None:
    """A local minute of the day; entries written before minutes were kept have none."""
    if value is None:
        return None
    if _count(value) >= MINUTES_PER_DAY:
        raise ValueError("not a minute of a day")
    return int(value)


def _rating(entry: dict[str, Any]) -> PainRating | None:
    try:
        rating = _count(entry["rating"])
        if rating > MAX_PAIN:
            return None
        return PainRating(
            rating_id=_text(entry["id"]),
            rating=rating,
            local_day=date.fromisoformat(_text(entry["day"])),
            at=datetime.fromisoformat(_text(entry["at"])),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise ValueError("not a short string")
    return value


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100_000:
        raise ValueError("not a small count")
    return value
