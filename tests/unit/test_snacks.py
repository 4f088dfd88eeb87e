"""What counts as a movement snack: sets close together are one sitting, by the local clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from skill.progress.localtime import local_day_and_minute
from skill.progress.snacks import SNACK_GAP_MINUTES, snacks_of
from skill.progress.store import Completion, DayTotal


def minutes(*times: str) -> list[int]:
    return [int(t[:2]) * 60 + int(t[3:]) for t in times]


@pytest.mark.parametrize(
    ("times", "snacks"),
    [
        ((), 0),
        (("09:00",), 1),
        (("09:00", "09:02", "09:04"), 1),  # three sets in one sitting
        (("09:00", "10:00"), 2),  # two sittings an hour apart
        (("09:00", "09:20"), 1),  # exactly the gap: still the same sitting
        (("09:00", "09:21"), 2),  # a minute more: a new snack
        (("09:00", "09:15", "09:30", "09:45"), 1),  # each set close to the one before
        (("09:04", "09:00", "09:02", "09:02"), 1),  # order and repeats do not matter
        (("00:00", "23:59"), 2),
    ],
)
def test_sets_close_together_are_one_snack(times: tuple[str, ...], snacks: int) -> None:
    assert snacks_of(minutes(*times)) == snacks


def test_the_gap_is_twenty_minutes() -> None:
    assert SNACK_GAP_MINUTES == 20


def test_a_sitting_over_midnight_is_a_snack_on_each_day() -> None:
    """Each day's goal counts its own: 23:55 and 00:05 local fall on two days."""
    zone = "Europe/Berlin"
    late, early = (
        datetime(2026, 11, 24, 22, 55, tzinfo=UTC),
        datetime(2026, 11, 24, 23, 5, tzinfo=UTC),
    )

    assert local_day_and_minute(late, zone) == (date(2026, 11, 24), 23 * 60 + 55)
    assert local_day_and_minute(early, zone) == (date(2026, 11, 25), 5)


@pytest.mark.parametrize(
    ("utc", "zone", "minute"),
    [
        (datetime(2026, 11, 26, 7, 30, tzinfo=UTC), "America/Los_Angeles", 23 * 60 + 30),
        (datetime(2026, 11, 26, 7, 30, tzinfo=UTC), "Asia/Kolkata", 13 * 60),
        (datetime(2026, 11, 26, 7, 30, tzinfo=UTC), None, 7 * 60 + 30),
        # Fall back in New York: 01:30 happens twice; each is its own local minute 90.
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "America/New_York", 90),
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), "America/New_York", 90),
    ],
)
def test_minutes_follow_the_users_time_zone(utc: datetime, zone: str | None, minute: int) -> None:
    assert local_day_and_minute(utc, zone)[1] == minute


def test_a_day_stored_before_minutes_were_kept_is_one_snack() -> None:
    assert DayTotal(date(2026, 11, 25), sets=7, seconds=420).snacks == 1
    assert DayTotal(date(2026, 11, 25), sets=0, seconds=0, pain=(3,)).snacks == 0


def test_hours_are_the_different_clock_hours_moved_in() -> None:
    total = DayTotal(
        date(2026, 11, 25), 4, 240, minutes=tuple(minutes("09:00", "09:59", "10:00", "17:30"))
    )

    assert (total.snacks, total.hours) == (3, 3)


def test_a_set_not_yet_saved_joins_the_days_snacks() -> None:
    day = date(2026, 11, 25)
    total = DayTotal(day, 1, 60, {"pelvic_tilts": 1}, minutes=(540,))
    at = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

    later = total.plus(Completion("r1#0", "ankle_rolls", None, 8, 50, day, at, minute=600))

    assert (later.sets, later.seconds, later.snacks, later.hours) == (2, 110, 2, 2)
    assert later.exercises == {"pelvic_tilts": 1, "ankle_rolls": 1}
