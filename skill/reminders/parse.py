"""Slot values -> a :class:`~skill.reminders.schedule.Schedule`, or what to ask instead.

Alexa fills AMAZON.TIME with "HH:MM" (24-hour) for clock times, or "MO", "AF",
"EV", "NI" for a part of the day; a bare "five" arrives as "05:00", so "between 9
and 5" is "09:00" and "05:00". The rules, never a guess:

- a window that ends before it starts reads its end 12 hours later when that makes
  it a window within the day ("9 to 5" is 9 a.m. to 5 p.m., "5 pm to 9" ends at
  9 p.m.); one that still crosses midnight ("10 pm to 2") is explained, as reminders
  stay within a day;
- a window whose ends are both between 1 and 11 ("between 5 and 9") could be the
  morning or the evening: the user is asked, and the answer (a part of the day)
  completes the same request;
- a one-off hour between 1 and 6 without a part of the day ("at 3") is asked about;
- a part of the day alone ("this evening") is not a time: the user is asked for one;
- nothing is set after the window's end; a window to midnight ends with the 11 p.m.
  reminder (the day's last hour).

What the user said so far is a :data:`Draft` (slot name -> value), kept in the
session while a question is open, so the answer joins what came before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from skill.reminders.schedule import WEEK, WEEKDAYS, WEEKENDS, ClockTime, Schedule

Draft = dict[str, str]
SLOTS = ("time", "date", "start", "end", "every", "days", "part")

# Hours a reminder must fall in to be "the evening reminder"; the night wraps midnight.
PARTS_OF_DAY: dict[str, tuple[int, ...]] = {
    "morning": tuple(range(5, 12)),
    "afternoon": tuple(range(12, 17)),
    "evening": tuple(range(17, 21)),
    "night": (21, 22, 23, 0, 1, 2, 3, 4),
}
# AMAZON.TIME's words for a part of the day.
TIME_PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"}
DAY_SETS: dict[str, tuple[str, ...]] = {"DAILY": (), "WEEKDAYS": WEEKDAYS, "WEEKENDS": WEEKENDS}
# Hours 1 to 6 alone ("at 3") are as likely the afternoon as the small hours.
AMBIGUOUS_ONE_OFF_HOURS = range(1, 7)
# Beyond this many times a day the schedule needs more reminders than the API
# calls Alexa's answer time allows (see skill.reminders.rrule).
MAX_TIMES_A_DAY = 15

_CLOCK = re.compile(r"^(\d{2}):(\d{2})$")
_HOURS = re.compile(r"^PT(?:(\d{1,2})H)?(?:(\d{1,2})M)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Unclear:
    """What to say instead of guessing: a question (the draft is kept for the answer)
    or a plain explanation (``keep_draft`` False: the request ends here)."""

    key: str
    params: dict[str, object] = field(default_factory=dict)
    keep_draft: bool = True


# A new request of the other kind replaces the draft rather than joining it.
_WINDOW_SLOTS = frozenset({"every", "start", "end"})
_AT_SLOTS = frozenset({"time", "date"})


def merge(draft: Draft, heard: Draft) -> Draft:
    """The answer ``heard`` joined to the open question's ``draft``.

    "At 3 pm" after "every hour ... between which hours?" is a new request, not
    hours for the old one: slots of the other kind start afresh.
    """
    if (heard.keys() & _AT_SLOTS and draft.keys() & _WINDOW_SLOTS) or (
        heard.keys() & _WINDOW_SLOTS and draft.keys() & _AT_SLOTS
    ):
        return dict(heard)
    return {**draft, **heard}


def clock(value: str | None) -> ClockTime | None:
    match = _CLOCK.match(value or "")
    if not match:
        return None
    try:
        return ClockTime(int(match.group(1)), int(match.group(2)))
    except ValueError:
        return None


def in_part(hour: int, part: str) -> int:
    """``hour`` read in ``part`` of the day: 5 in the evening is 17."""
    if part in ("afternoon", "evening") and hour < 12:
        return hour + 12
    if part == "night" and 6 <= hour < 12:
        return hour + 12
    return hour


def parse(draft: Draft, now: datetime) -> Schedule | Unclear:
    """The schedule ``draft`` asks for, at local time ``now``, or what to ask."""
    days = draft.get("days")
    if days is not None and days not in DAY_SETS and days not in WEEK:
        return Unclear("reminders.ask_days")
    if draft.get("every"):
        return _repeating(draft, now)
    if draft.get("time"):
        return _at_time(draft, now)
    if draft.get("start") or draft.get("end"):
        return Unclear("reminders.ask_every")
    return Unclear("reminders.ask_when")


def _days(draft: Draft) -> tuple[str, ...]:
    value = draft.get("days") or "DAILY"
    return DAY_SETS.get(value, (value,))


def _every_hours(value: str) -> int | Unclear:
    match = _HOURS.match(value)
    hours = int(match.group(1) or 0) if match else 0
    minutes = int(match.group(2) or 0) if match else 0
    if not match or minutes or not 1 <= hours <= 12:
        return Unclear("reminders.interval_unsupported", keep_draft=False)
    return hours


def _repeating(draft: Draft, now: datetime) -> Schedule | Unclear:
    every = _every_hours(draft["every"])
    if isinstance(every, Unclear):
        return every
    if not (draft.get("start") and draft.get("end")):
        return Unclear("reminders.ask_window")
    window = _window(draft)
    if isinstance(window, Unclear):
        return window
    start, end_hour, end = window
    # Nothing after the end; a window to midnight ends with the day's last hour.
    last = (end_hour, end.minute) if end_hour < 24 else (23, 59)
    hours = range(start.hour, min(end_hour, 23) + 1, every)
    times = tuple(ClockTime(h, start.minute) for h in hours if (h, start.minute) <= last)
    if len(times) > MAX_TIMES_A_DAY:
        return Unclear("reminders.too_many", {"most": MAX_TIMES_A_DAY}, keep_draft=False)
    return Schedule(times, _days(draft), every_hours=every, window=(start, end))


def _window(draft: Draft) -> tuple[ClockTime, int, ClockTime] | Unclear:
    """Start, end hour (24 for midnight) and end as said back, of an hourly window."""
    start, end = clock(draft.get("start")), clock(draft.get("end"))
    if start is None or end is None:
        return Unclear("reminders.ask_clock_window")
    s, e = start.hour, end.hour
    part = draft.get("part")
    if part in PARTS_OF_DAY:
        s, e = in_part(s, part), in_part(e, part)
    elif 1 <= s <= 11 and 1 <= e <= 11 and s < e:
        return Unclear("reminders.ask_morning_or_evening", {"start": s, "end": e})
    if e == 0 and end.minute == 0:
        e = 24  # "until midnight"
    elif s > e and e < 12 and e + 12 > s:
        e += 12  # "9 to 5": the end is in the afternoon
    if e <= s:
        return Unclear("reminders.overnight", keep_draft=False)
    return ClockTime(s, start.minute), e, ClockTime(e % 24, end.minute)


def _at_time(draft: Draft, now: datetime) -> Schedule | Unclear:
    value = draft["time"]
    if value in TIME_PARTS:
        return Unclear("reminders.ask_exact_time", {"part": TIME_PARTS[value]})
    at = clock(value)
    if at is None:
        return Unclear("reminders.ask_exact_time", {"part": ""})
    part = draft.get("part")
    if part in PARTS_OF_DAY:
        at = ClockTime(in_part(at.hour, part), at.minute)
    elif at.hour in AMBIGUOUS_ONE_OFF_HOURS:
        return Unclear("reminders.ask_am_or_pm", {"hour": at.hour})
    if draft.get("days"):
        return Schedule((at,), _days(draft))
    return _once(at, draft.get("date"), now)


def _once(at: ClockTime, day: str | None, now: datetime) -> Schedule | Unclear:
    today = now.date()
    if day is None:
        passed = (at.hour, at.minute) <= (now.hour, now.minute)
        return Schedule((at,), once_on=today + timedelta(days=1) if passed else today)
    if not _DATE.match(day):
        return Unclear("reminders.ask_date")
    try:
        on = date.fromisoformat(day)
    except ValueError:
        return Unclear("reminders.ask_date")
    if on < today or (on == today and (at.hour, at.minute) <= (now.hour, now.minute)):
        return Unclear("reminders.in_the_past", keep_draft=False)
    return Schedule((at,), once_on=on)
