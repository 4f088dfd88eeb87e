"""How both stores write a paused routine (:class:`~skill.progress.store.Bookmark`) and read it.

One encoding for SQLite and DynamoDB: a compact JSON object of the bookmark's
fields. Reading trusts nothing that is stored: a value that does not decode into
a valid bookmark, or one written more than :data:`BOOKMARK_MAX_AGE_DAYS` ago, is
no bookmark at all (the user is offered a fresh start instead of a crash).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from skill.progress.store import BOOKMARK_MAX_AGE_DAYS, Bookmark


def encode_bookmark(bookmark: Bookmark) -> str:
    return json.dumps(asdict(bookmark), separators=(",", ":"))


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
    exercise_ids = data["exercise_ids"]
    if not isinstance(exercise_ids, list) or not all(isinstance(e, str) for e in exercise_ids):
        raise ValueError("exercise ids")
    return Bookmark(
        routine_id=None if data.get("routine_id") is None else _text(data["routine_id"]),
        exercise_ids=tuple(exercise_ids),
        index=_count(data["index"]),
        reps=None if data.get("reps") is None else _count(data["reps"]),
        tempo=_text(data["tempo"]),
        offset_ms=None if data.get("offset_ms") is None else _count(data["offset_ms"]),
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("not a count")
    return value
