"""How both stores write a paused routine (:class:`~skill.progress.store.Bookmark`) and read it.

One encoding for SQLite and DynamoDB: a compact JSON object of the bookmark's
fields. A therapist's plan adds its prescription (``step_reps``, ``step_tempos``);
a bookmark without one is written without those keys, exactly as before they
existed, and a stored value without them reads as no prescription. Reading trusts
nothing that is stored: a value that does not decode into a valid bookmark, or one
written more than :data:`BOOKMARK_MAX_AGE_DAYS` ago, is no bookmark at all (the
user is offered a fresh start instead of a crash).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from skill.progress.store import BOOKMARK_MAX_AGE_DAYS, Bookmark

# Fields left out of the encoding while empty: bookmarks stored before they existed
# lack them, and so does every bookmark of a routine or a single exercise.
_OPTIONAL = ("step_reps", "step_tempos")


def encode_bookmark(bookmark: Bookmark) -> str:
    data = asdict(bookmark)
    for name in _OPTIONAL:
        if not data[name]:
            del data[name]
    return json.dumps(data, separators=(",", ":"))


def decode_bookmark(value: str | None, written: datetime | None, now: datetime) -> Bookmark | None:
    """The bookmark stored as ``value`` at ``written``, or None when absent, stale or unreadable."""
    if not value or written is None:
        return None
    if written < now - timedelta(days=BOOKMARK_MAX_AGE_DAYS):
        return None
    try:
        data = json.loads(value)
        return _bookmark(data)
    except (TypeError, ValueError, KeyError):
        return None


def _bookmark(data: Any) -> Bookmark:
    exercise_ids = _texts(data["exercise_ids"])
    step_reps = tuple(_count(reps) for reps in _list(data.get("step_reps", [])))
    step_tempos = _texts(data.get("step_tempos", []))
    if any(steps and len(steps) != len(exercise_ids) for steps in (step_reps, step_tempos)):
        raise ValueError("a prescription for other exercises")
    return Bookmark(
        routine_id=None if data.get("routine_id") is None else _text(data["routine_id"]),
        exercise_ids=exercise_ids,
        index=_count(data["index"]),
        reps=None if data.get("reps") is None else _count(data["reps"]),
        tempo=_text(data["tempo"]),
        offset_ms=None if data.get("offset_ms") is None else _count(data["offset_ms"]),
        step_reps=step_reps,
        step_tempos=step_tempos,
    )


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(_text(item) for item in _list(value))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("not a count")
    return value
