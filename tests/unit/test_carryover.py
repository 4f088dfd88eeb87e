"""Unsaved sets carried in session attributes: round trip, and nothing forged gets through."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from skill.progress.carryover import MAX_CARRIED, Carried, from_attributes, to_attributes
from skill.progress.store import Completion, PainRating, UserUpdate

AT = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
SET = Completion(
    "amzn1.echo-api.request.1#0", "pelvic_tilts", "back_care", 8, 64, date(2026, 11, 24), AT
)
RATING = PainRating("amzn1.echo-api.request.2#pain", 3, date(2026, 11, 24), AT)


def carried(completions: tuple[Completion, ...] = (), ratings: tuple[PainRating, ...] = ()) -> Any:
    return to_attributes(UserUpdate(completions=completions, pain_ratings=ratings))


def test_unsaved_progress_survives_the_session_round_trip() -> None:
    update = UserUpdate(completions=(SET,), pain_ratings=(RATING,), daily_goal=7)

    assert from_attributes(to_attributes(update)) == Carried([SET], [RATING], 7)


def test_only_the_latest_sets_are_carried() -> None:
    many = tuple(
        Completion(f"r{n}", "pelvic_tilts", None, 8, 60, SET.local_day, AT) for n in range(80)
    )

    kept = from_attributes(carried(many)).completions

    assert [c.completion_id for c in kept] == [f"r{n}" for n in range(80 - MAX_CARRIED, 80)]


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "sets",
        {"sets": "x", "pain": 3},
        {"sets": [1, None, "x"]},
        {"sets": [{"id": "a"}]},
        {"sets": [{**carried((SET,))["sets"][0], "reps": -1}]},
        {"sets": [{**carried((SET,))["sets"][0], "seconds": True}]},
        {"sets": [{**carried((SET,))["sets"][0], "day": "yesterday"}]},
        {"sets": [{**carried((SET,))["sets"][0], "id": "x" * 500}]},
        {"pain": [{**carried(ratings=(RATING,))["pain"][0], "rating": 11}]},
        {"goal": 0},
        {"goal": True},
        {"goal": "8"},
    ],
)
def test_forged_or_broken_entries_are_dropped_not_raised(forged: Any) -> None:
    assert from_attributes(forged) == Carried()
