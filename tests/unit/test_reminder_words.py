"""What the skill says back about a schedule, word for word.

Prevents: a say-back that hides the recurrence or the time (Alexa's reminder
guidelines ask for both before the yes), or a time spoken wrongly at noon or midnight.
"""

from __future__ import annotations

from datetime import date

import pytest

from skill.reminders.schedule import WEEKDAYS, WEEKENDS, ClockTime, Schedule
from skill.reminders.words import clock_time, confirm, describe
from skill.speech.messages import messages_for

EN = messages_for("en-US")
TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("at", "said"),
    [
        (ClockTime(0), "midnight"),
        (ClockTime(12), "noon"),
        (ClockTime(9), "9 am"),
        (ClockTime(17), "5 pm"),
        (ClockTime(12, 30), "12:30 pm"),
        (ClockTime(0, 5), "12:05 am"),
    ],
)
def test_clock_times(at: ClockTime, said: str) -> None:
    assert clock_time(EN, at) == said


@pytest.mark.parametrize(
    ("schedule", "said"),
    [
        (Schedule((ClockTime(15),), once_on=TODAY), "today at 3 pm"),
        (Schedule((ClockTime(8),), once_on=date(2026, 11, 26)), "tomorrow at 8 am"),
        (Schedule((ClockTime(8),), once_on=date(2026, 12, 1)), "on Tuesday, December 1 at 8 am"),
        (Schedule((ClockTime(18),), WEEKENDS), "at weekends at 6 pm"),
        (
            Schedule((ClockTime(9), ClockTime(18)), ("MO", "TH")),
            "every Monday and Thursday at 9 am and 6 pm",
        ),
        (
            Schedule(tuple(ClockTime(h) for h in range(9, 14)), WEEKDAYS),
            "every hour from 9 am to 1 pm, on weekdays",
        ),
        (
            Schedule(tuple(ClockTime(h) for h in (9, 11, 13)), ()),
            "every 2 hours from 9 am to 1 pm, every day",
        ),
    ],
)
def test_schedules_in_a_few_words(schedule: Schedule, said: str) -> None:
    assert describe(EN, schedule, TODAY) == said


def test_the_say_back_names_the_window_not_just_the_hours() -> None:
    window = Schedule(
        tuple(ClockTime(h) for h in range(18, 24)),
        every_hours=1,
        window=(ClockTime(18), ClockTime(0)),
    )
    assert confirm(EN, window, TODAY) == (
        "I'll remind you to move every hour from 6 pm to midnight, every day, starting today."
        " Shall I set that up?"
    )
