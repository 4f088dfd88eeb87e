"""Completed sets the store could not take yet, carried in the Alexa session attributes.

If a write fails past its retries, the turn's sets and ratings ride along in the
session and are written with the next turn's update; the ids keep that exactly-once.
Session attributes come back from the device, so decoding trusts nothing: anything
malformed is dropped, and at most :data:`MAX_CARRIED` events are kept.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from skill.progress.store import Completion, PainRating

MAX_CARRIED = 50


def to_attributes(
    completions: tuple[Completion, ...], ratings: tuple[PainRating, ...]
) -> dict[str, list[dict[str, Any]]]:
    return {
        "sets": [
            {
                "id": c.completion_id,
                "exercise": c.exercise_id,
                "routine": c.routine_id,
                "reps": c.reps,
                "seconds": c.seconds,
                "day": c.local_day.isoformat(),
                "at": c.at.isoformat(),
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


def from_attributes(data: Any) -> tuple[list[Completion], list[PainRating]]:
    """The carried events; malformed or forged entries are skipped, never raised."""
    if not isinstance(data, dict):
        return [], []
    completions = [c for c in map(_completion, _entries(data.get("sets"))) if c is not None]
    ratings = [p for p in map(_rating, _entries(data.get("pain"))) if p is not None]
    return completions, ratings


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
        )
    except (KeyError, TypeError, ValueError):
        return None
    return completion


def _rating(entry: dict[str, Any]) -> PainRating | None:
    try:
        rating = _count(entry["rating"])
        if rating > 10:
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
