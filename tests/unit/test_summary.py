"""Pure summaries: today against the goal, the week, streaks, the favourite, one cheer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from skill.progress.localtime import local_day
from skill.progress.store import DayTotal, UserSnapshot
from skill.progress.summary import (
    PainTrend,
    Summary,
    spoken_spread,
    spoken_summary,
    streaks,
    summarize,
    welcome_greeting,
)
from skill.speech.messages import messages_for

TODAY = date(2026, 11, 25)
EN = messages_for("en-US")
NAMES = {"pelvic_tilts": "pelvic tilts", "ankle_circles": "ankle circles"}


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def day(days_ago: int, sets: int, pain: tuple[int, ...] = (), **exercises: int) -> DayTotal:
    """A day as stored before minutes were kept: its sets read as one snack."""
    return DayTotal(ago(days_ago), sets, sets * 60, exercises or {"pelvic_tilts": sets}, pain)


def at(*times: str) -> tuple[int, ...]:
    """Local minutes of the day of sets heard at "HH:MM"."""
    return tuple(int(t[:2]) * 60 + int(t[3:]) for t in times)


def today_with(sets: int, minutes: tuple[int, ...]) -> DayTotal:
    return DayTotal(TODAY, sets, sets * 60, {"pelvic_tilts": sets}, (), minutes)


@pytest.mark.parametrize(
    ("active", "expected"),
    [
        ([], (0, 0)),
        ([0], (1, 1)),
        ([1, 2, 3], (3, 3)),  # nothing yet today: yesterday's streak is still alive
        ([2, 3], (0, 2)),  # a whole day missed: the streak is over
        ([0, 1, 5, 6, 7, 8], (2, 4)),
        ([0, 0, 1], (2, 2)),
    ],
)
def test_streaks(active: list[int], expected: tuple[int, int]) -> None:
    assert streaks((ago(n) for n in active), TODAY) == expected


def test_a_summary_counts_only_the_last_seven_local_days() -> None:
    snapshot = UserSnapshot(
        daily_goal=4,
        days=(
            day(9, 5),
            day(6, 2, ankle_circles=2),
            day(1, 1),
            day(0, 2, pelvic_tilts=1, ankle_circles=1),
        ),
    )

    assert summarize(snapshot, TODAY) == Summary(
        today_sets=2,
        today_snacks=1,
        today_hours=0,
        daily_goal=4,
        week_sets=5,
        week_days=3,
        week_minutes=5,
        current_streak=2,
        longest_streak=2,
        top_exercise="ankle_circles",
        pain_trend=None,
    )


def test_the_spoken_summary_reads_naturally() -> None:
    snapshot = UserSnapshot(
        days=(day(3, 2), day(2, 1, ankle_circles=1), day(1, 3), day(0, 1, ankle_circles=1)),
    )

    text = spoken_summary(summarize(snapshot, TODAY), EN, NAMES.__getitem__)

    assert text == [
        "Today you've had 1 of your 5 movement snacks, with 1 set in all.",
        "Over the last seven days you did 7 sets on 4 days, about 7 minutes of gentle movement.",
        "You're on a 4 day streak, your longest yet.",
        "Your most practised exercise this week is pelvic tilts.",
        "Small, steady movements add up. Keep the streak going!",
    ]


def test_a_new_user_hears_an_invitation_not_zeros_everywhere() -> None:
    text = spoken_summary(summarize(UserSnapshot(), TODAY), EN, NAMES.__getitem__)

    assert text == [
        "You haven't had a movement snack yet today; your daily goal is 5 movement snacks.",
        "You haven't done any sets in the last seven days.",
        "Whenever you're ready, a two minute snack is a great first step.",
    ]


def test_reaching_the_goal_and_a_past_streak_are_acknowledged() -> None:
    snapshot = UserSnapshot(daily_goal=1, days=(day(9, 1), day(8, 1), day(7, 1), day(0, 1)))

    text = spoken_summary(summarize(snapshot, TODAY), EN, NAMES.__getitem__)

    assert (
        text[0]
        == "Today you've had 1 movement snack, with 1 set in all, so you've reached your goal"
        " of 1 movement snack."
    )
    assert "Your longest streak so far is 3 days." in text
    assert text[-1] == "Frequency, not intensity: that's exactly how it's done."


def test_pain_trend_is_spoken_only_when_the_deployment_keeps_ratings() -> None:
    snapshot = UserSnapshot(
        days=(day(9, 1, pain=(6, 5)), day(1, 1, pain=(3,)), day(0, 1, pain=(4,)))
    )
    summary = summarize(snapshot, TODAY)

    assert summary.pain_trend is PainTrend.LOWER
    lower = "Your pain check-ins are lower than the week before."
    assert lower in spoken_summary(summary, EN, NAMES.__getitem__, include_pain=True)
    assert lower not in spoken_summary(summary, EN, NAMES.__getitem__)


def test_launch_greeting_counts_todays_snacks_and_a_streak_of_two_days_or_more() -> None:
    two_days = summarize(UserSnapshot(days=(day(1, 1), day(0, 1))), TODAY)
    alive = summarize(UserSnapshot(days=(day(2, 1), day(1, 1))), TODAY)
    first_day = summarize(UserSnapshot(days=(today_with(4, at("09:00", "09:05", "15:00")),)), TODAY)

    assert welcome_greeting(two_days, EN) == (
        "Welcome back, that's 2 days in a row, and 1 of your 5 movement snacks today."
    )
    assert welcome_greeting(alive, EN) == (
        "Welcome back. You're on a 2 day streak, and a snack today keeps it going."
    )
    assert welcome_greeting(first_day, EN) == (
        "Welcome back. You've had 2 of your 5 movement snacks today."
    )
    assert welcome_greeting(summarize(UserSnapshot(days=(day(1, 3),)), TODAY), EN) is None


def test_today_counts_snacks_with_their_sets_and_hours() -> None:
    minutes = at("09:00", "09:02", "09:04", "11:40", "11:42", "11:44", "12:01")
    summary = summarize(UserSnapshot(days=(today_with(7, minutes),)), TODAY)

    assert (summary.today_snacks, summary.today_sets, summary.today_hours) == (2, 7, 3)
    assert spoken_summary(summary, EN, NAMES.__getitem__)[0] == (
        "Today you've had 2 of your 5 movement snacks, with 7 sets in all, spread over 3 hours."
    )


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (
            at("09:00", "09:02", "09:04"),
            "So far today you've moved within one hour, with"
            " 1 movement snack. Another snack later in the day spreads it out.",
        ),
        (
            at("08:10", "10:00", "13:30", "16:59"),
            "Today you moved in 4 different hours, with"
            " 4 movement snacks in all. Frequency, not intensity.",
        ),
        ((), "Today you've had 1 movement snack."),  # sets stored before minutes were kept
    ],
)
def test_how_spread_out_was_i_today(minutes: tuple[int, ...], expected: str) -> None:
    summary = summarize(UserSnapshot(days=(today_with(len(minutes) or 3, minutes),)), TODAY)

    assert spoken_spread(summary, EN) == expected


def test_how_spread_out_before_any_snack_today() -> None:
    summary = summarize(UserSnapshot(days=(day(1, 3),)), TODAY)

    assert spoken_spread(summary, EN).startswith("You haven't had a movement snack yet today.")


@pytest.mark.parametrize(
    ("utc", "zone", "expected"),
    [
        # 23:30 in Los Angeles is already tomorrow in UTC: it counts for the local day.
        (datetime(2026, 11, 26, 7, 30, tzinfo=UTC), "America/Los_Angeles", date(2026, 11, 25)),
        # Local midnight belongs to the new day.
        (datetime(2026, 11, 24, 23, 0, tzinfo=UTC), "Europe/Berlin", date(2026, 11, 25)),
        (datetime(2026, 11, 24, 22, 59, 59, tzinfo=UTC), "Europe/Berlin", date(2026, 11, 24)),
        # Spring forward in Berlin (02:00 -> 03:00): 23:30 local is 21:30 UTC, not 22:30.
        (datetime(2026, 3, 29, 21, 30, tzinfo=UTC), "Europe/Berlin", date(2026, 3, 29)),
        (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), "Europe/Berlin", date(2026, 3, 30)),
        # Fall back in New York: 23:30 local on Nov 1 is 04:30 UTC on Nov 2.
        (datetime(2026, 11, 2, 4, 30, tzinfo=UTC), "America/New_York", date(2026, 11, 1)),
        # Unknown or missing zones fall back to UTC instead of failing the turn.
        (datetime(2026, 11, 26, 7, 30, tzinfo=UTC), "Mars/Olympus_Mons", date(2026, 11, 26)),
        (datetime(2026, 11, 26, 7, 30, tzinfo=UTC), None, date(2026, 11, 26)),
    ],
)
def test_local_day_follows_the_users_time_zone(
    utc: datetime, zone: str | None, expected: date
) -> None:
    assert local_day(utc, zone) == expected
