"""Reading a reminder request without guessing, and the RRULEs it becomes.

Prevents: "between 9 and 5" read as 9 p.m. to 5 a.m., "between 5 and 9" guessed
instead of asked, a window to midnight that spills into the next day, a one-off
time that has passed, and rules the Reminders API would fire at the wrong hours.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from skill.reminders.parse import MAX_TIMES_A_DAY, Unclear, merge, parse
from skill.reminders.rrule import RULES_PER_REMINDER, read_rules, rule, rule_groups
from skill.reminders.schedule import WEEKDAYS, ClockTime, Schedule

# A Wednesday morning, local time.
NOW = datetime(2026, 11, 25, 10, 15)


def hours(result: Schedule | Unclear) -> list[int]:
    assert isinstance(result, Schedule), result
    return [t.hour for t in result.times]


def asked(result: Schedule | Unclear) -> str:
    assert isinstance(result, Unclear), result
    return result.key


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("09:00", "05:00", list(range(9, 18))),  # "9 to 5": 9 am to 5 pm
        ("09:00", "17:00", list(range(9, 18))),
        ("11:00", "01:00", [11, 12, 13]),  # "11 to 1" crosses noon, not midnight
        ("17:00", "09:00", [17, 18, 19, 20, 21]),  # "5 pm to 9": 9 in the evening
        ("08:00", "12:00", [8, 9, 10, 11, 12]),
        ("18:00", "00:00", [18, 19, 20, 21, 22, 23]),  # to midnight: ends with 11 pm
        ("00:00", "03:00", [0, 1, 2, 3]),
    ],
)
def test_hourly_windows(start: str, end: str, expected: list[int]) -> None:
    result = parse({"every": "PT1H", "start": start, "end": end}, NOW)
    assert hours(result) == expected


def test_every_two_hours_keeps_the_start_and_its_minutes() -> None:
    result = parse({"every": "PT2H", "start": "09:30", "end": "17:00"}, NOW)
    assert isinstance(result, Schedule)
    assert result.times == tuple(ClockTime(h, 30) for h in (9, 11, 13, 15))


@pytest.mark.parametrize(("start", "end"), [("05:00", "09:00"), ("01:00", "11:00")])
def test_a_window_that_could_be_morning_or_evening_is_asked_about(start: str, end: str) -> None:
    result = parse({"every": "PT1H", "start": start, "end": end}, NOW)
    assert asked(result) == "reminders.ask_morning_or_evening"
    assert isinstance(result, Unclear) and result.keep_draft


@pytest.mark.parametrize(
    ("part", "expected"), [("evening", [17, 18, 19, 20, 21]), ("morning", [5, 6, 7, 8, 9])]
)
def test_the_answer_morning_or_evening_settles_it(part: str, expected: list[int]) -> None:
    result = parse({"every": "PT1H", "start": "05:00", "end": "09:00", "part": part}, NOW)
    assert hours(result) == expected


@pytest.mark.parametrize(("start", "end"), [("21:00", "06:00"), ("22:00", "02:00")])
def test_a_window_over_midnight_is_explained_not_guessed(start: str, end: str) -> None:
    result = parse({"every": "PT1H", "start": start, "end": end}, NOW)
    assert asked(result) == "reminders.overnight"
    assert isinstance(result, Unclear) and not result.keep_draft


@pytest.mark.parametrize(
    ("draft", "key"),
    [
        ({"every": "PT1H"}, "reminders.ask_window"),
        ({"start": "09:00", "end": "05:00"}, "reminders.ask_every"),
        ({"every": "PT30M", "start": "09:00", "end": "17:00"}, "reminders.interval_unsupported"),
        ({"every": "P1D", "start": "09:00", "end": "17:00"}, "reminders.interval_unsupported"),
        ({"every": "PT1H", "start": "EV", "end": "05:00"}, "reminders.ask_clock_window"),
        ({"every": "PT1H", "start": "06:00", "end": "00:00"}, "reminders.too_many"),
        ({"time": "EV"}, "reminders.ask_exact_time"),
        ({"time": "03:00"}, "reminders.ask_am_or_pm"),
        ({"time": "15:00", "date": "2026-W49"}, "reminders.ask_date"),
        ({"time": "09:00", "date": "2026-11-25"}, "reminders.in_the_past"),
        ({"time": "15:00", "days": "HOLIDAYS"}, "reminders.ask_days"),
        ({}, "reminders.ask_when"),
    ],
)
def test_what_cannot_be_read_is_asked_or_explained(draft: dict[str, str], key: str) -> None:
    assert asked(parse(draft, NOW)) == key


def test_fifteen_times_a_day_is_the_most() -> None:
    fits = parse({"every": "PT1H", "start": "07:00", "end": "21:00"}, NOW)
    assert len(hours(fits)) == MAX_TIMES_A_DAY


@pytest.mark.parametrize(
    ("draft", "once_on", "at"),
    [
        ({"time": "15:00"}, date(2026, 11, 25), ClockTime(15)),  # later today
        ({"time": "10:15"}, date(2026, 11, 26), ClockTime(10, 15)),  # now: tomorrow
        ({"time": "00:00"}, date(2026, 11, 26), ClockTime(0)),  # midnight is tonight's
        ({"time": "03:00", "part": "afternoon"}, date(2026, 11, 25), ClockTime(15)),
        ({"time": "08:00", "date": "2026-12-01"}, date(2026, 12, 1), ClockTime(8)),
    ],
)
def test_one_off_times(draft: dict[str, str], once_on: date, at: ClockTime) -> None:
    assert parse(draft, NOW) == Schedule((at,), once_on=once_on)


def test_days_make_a_time_recurring() -> None:
    assert parse({"time": "18:00", "days": "WEEKDAYS"}, NOW) == Schedule((ClockTime(18),), WEEKDAYS)
    assert parse({"time": "18:00", "days": "SA"}, NOW) == Schedule((ClockTime(18),), ("SA",))


def test_rules_per_day_set() -> None:
    assert rule(ClockTime(9), ()) == "FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0;INTERVAL=1"
    assert rule(ClockTime(17, 30), WEEKDAYS) == (
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=17;BYMINUTE=30;BYSECOND=0;INTERVAL=1"
    )


def test_nine_to_five_needs_two_reminders_and_every_rule_once() -> None:
    schedule = parse({"every": "PT1H", "start": "09:00", "end": "05:00", "days": "WEEKDAYS"}, NOW)
    assert isinstance(schedule, Schedule)
    groups = rule_groups(schedule)
    assert [len(g) for g in groups] == [RULES_PER_REMINDER, 9 - RULES_PER_REMINDER]
    flat = [r for g in groups for r in g]
    assert flat == [rule(ClockTime(h), WEEKDAYS) for h in range(9, 18)]


def test_rules_read_back_and_foreign_rules_are_refused() -> None:
    rules = [rule(ClockTime(h), WEEKDAYS) for h in (9, 10)]
    assert read_rules(rules) == ((ClockTime(9), ClockTime(10)), WEEKDAYS)
    assert read_rules(["FREQ=MONTHLY;BYHOUR=9"]) is None
    assert read_rules(["FREQ=DAILY;BYMINUTE=5"]) is None
    assert read_rules([rule(ClockTime(9), ()), rule(ClockTime(9), WEEKDAYS)]) is None


def test_the_session_round_trip_and_tampering() -> None:
    schedule = Schedule(
        (ClockTime(9), ClockTime(10)), WEEKDAYS, every_hours=1, window=(ClockTime(9), ClockTime(10))
    )
    assert Schedule.from_attributes(schedule.to_attributes()) == schedule
    once = Schedule((ClockTime(15),), once_on=date(2026, 11, 25))
    assert Schedule.from_attributes(once.to_attributes()) == once
    for forged in (
        None,
        {},
        {"times": [[25, 0]]},
        {"times": []},
        {"times": [[9, 0]], "days": ["XX"]},
    ):
        assert Schedule.from_attributes(forged) is None


def test_an_answer_joins_the_draft_and_a_new_kind_of_request_replaces_it() -> None:
    hourly = {"every": "PT1H", "days": "WEEKDAYS"}
    assert merge(hourly, {"start": "09:00", "end": "05:00"}) == {
        "every": "PT1H",
        "days": "WEEKDAYS",
        "start": "09:00",
        "end": "05:00",
    }
    assert merge(hourly, {"time": "15:00"}) == {"time": "15:00"}
    assert merge({"time": "03:00"}, {"part": "afternoon"}) == {"time": "03:00", "part": "afternoon"}
    assert merge({"time": "EV"}, {"every": "PT2H"}) == {"every": "PT2H"}
