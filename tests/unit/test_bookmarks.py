"""The one bookmark encoding both stores use (skill/progress/bookmarks.py).

Prevents: a stored paused routine that cannot be read (an old or damaged value)
crashing every load of that user, and the two stores drifting apart in how they
read it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from skill.progress.bookmarks import decode_bookmark, encode_bookmark
from skill.progress.store import BOOKMARK_MAX_AGE_DAYS, Bookmark

NOW = datetime(2026, 11, 25, 18, tzinfo=UTC)
PAUSED = Bookmark("morning", ("pelvic_tilts", "ankle_circles"), 1, 8, "slow", offset_ms=4500)
# A therapist's plan paused at its second exercise, with its prescription.
PLAN = Bookmark(
    None,
    ("heel_slides", "quad_sets"),
    1,
    None,
    "fast",
    step_reps=(10, 12),
    step_tempos=("slow", "fast"),
)
# How a bookmark was stored before prescriptions were kept (the keys of that release).
OLD_ENCODING = (
    '{"routine_id":null,"exercise_ids":["heel_slides","quad_sets"],'
    '"index":1,"reps":null,"tempo":"normal","offset_ms":null}'
)


def test_a_bookmark_reads_back_as_written() -> None:
    assert decode_bookmark(encode_bookmark(PAUSED), NOW, NOW) == PAUSED
    plain = Bookmark(None, ("pelvic_tilts",), 0, None, "normal")
    assert decode_bookmark(encode_bookmark(plain), NOW, NOW) == plain


def test_a_plans_prescription_reads_back_as_written() -> None:
    assert decode_bookmark(encode_bookmark(PLAN), NOW, NOW) == PLAN


def test_a_bookmark_stored_before_prescriptions_still_reads() -> None:
    """Prevents: every user with a routine paused before this release losing it."""
    old = decode_bookmark(OLD_ENCODING, NOW, NOW)
    assert old == Bookmark(None, ("heel_slides", "quad_sets"), 1, None, "normal")
    assert old is not None and old.step_reps == () and old.step_tempos == ()


def test_a_bookmark_without_a_prescription_keeps_the_old_encoding() -> None:
    """Prevents: a rolled-back release (or the other store) reading keys it does not know."""
    plain = Bookmark(None, ("heel_slides", "quad_sets"), 1, None, "normal")
    assert encode_bookmark(plain) == OLD_ENCODING


def test_a_bookmark_older_than_the_limit_is_not_offered() -> None:
    limit = NOW - timedelta(days=BOOKMARK_MAX_AGE_DAYS)
    assert decode_bookmark(encode_bookmark(PAUSED), limit, NOW) == PAUSED
    assert decode_bookmark(encode_bookmark(PAUSED), limit - timedelta(seconds=1), NOW) is None


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "",
        "{not json",
        "[]",
        json.dumps({"routine_id": None}),
        json.dumps({**json.loads(encode_bookmark(PAUSED)), "exercise_ids": "pelvic_tilts"}),
        json.dumps({**json.loads(encode_bookmark(PAUSED)), "index": -1}),
        json.dumps({**json.loads(encode_bookmark(PAUSED)), "reps": "8"}),
        json.dumps({**json.loads(encode_bookmark(PAUSED)), "tempo": 3}),
        json.dumps({**json.loads(encode_bookmark(PLAN)), "step_reps": [10]}),
        json.dumps({**json.loads(encode_bookmark(PLAN)), "step_reps": ["10", "12"]}),
        json.dumps({**json.loads(encode_bookmark(PLAN)), "step_reps": 10}),
        json.dumps({**json.loads(encode_bookmark(PLAN)), "step_tempos": ["slow", 3]}),
    ],
)
def test_an_unreadable_bookmark_is_no_bookmark(stored: str | None) -> None:
    assert decode_bookmark(stored, NOW, NOW) is None


def test_a_bookmark_without_its_write_time_is_no_bookmark() -> None:
    assert decode_bookmark(encode_bookmark(PAUSED), None, NOW) is None
