"""What to say about a schedule: times, days and dates, from the locale's sentences.

Every word comes from the ``[reminders]`` table of the locale file; this module only
picks the keys and fills their placeholders.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from skill.reminders.schedule import WEEK, WEEKDAYS, WEEKENDS, ClockTime, Schedule
from skill.speech.messages import Messages

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def clock_time(messages: Messages, at: ClockTime) -> str:
    """ "9 a.m.", "5:30 p.m.", "noon", "midnight"."""
    if at.minute == 0 and at.hour in (0, 12):
        return messages.say("reminders.midnight" if at.hour == 0 else "reminders.noon")
    hour = at.hour % 12 or 12
    half = "am" if at.hour < 12 else "pm"
    if at.minute == 0:
        return messages.say(f"reminders.clock_{half}", hour=hour)
    return messages.say(f"reminders.clock_{half}_minutes", hour=hour, minute=f"{at.minute:02d}")


def days_phrase(messages: Messages, days: tuple[str, ...]) -> str:
    if not days:
        return messages.say("reminders.days_daily")
    if days == WEEKDAYS:
        return messages.say("reminders.days_weekdays")
    if days == WEEKENDS:
        return messages.say("reminders.days_weekends")
    names = [messages.say(f"reminders.day_{code.lower()}") for code in days]
    return messages.say("reminders.days_on", days=messages.join(names, "and"))


def date_phrase(messages: Messages, on: date, today: date) -> str:
    if on == today:
        return messages.say("reminders.today")
    if on == today + timedelta(days=1):
        return messages.say("reminders.tomorrow")
    weekday = messages.say(f"reminders.day_{WEEK[on.weekday()].lower()}")
    month = messages.say(f"reminders.month_{MONTHS[on.month - 1]}")
    return messages.say("reminders.on_date", weekday=weekday, month=month, day=on.day)


def _evenly_spaced(times: tuple[ClockTime, ...]) -> int | None:
    """The step in hours of three or more times an equal number of hours apart."""
    if len(times) < 3 or len({t.minute for t in times}) != 1:
        return None
    steps = {b.hour - a.hour for a, b in pairwise(times)}
    step = steps.pop() if len(steps) == 1 else 0
    return step if step > 0 else None


def describe(messages: Messages, schedule: Schedule, today: date) -> str:
    """The schedule in a few words: "every hour from 9 a.m. to 5 p.m., on weekdays"."""
    times = tuple(sorted(schedule.times))
    if schedule.once_on is not None:
        return messages.say(
            "reminders.item_once",
            when=date_phrase(messages, schedule.once_on, today),
            time=clock_time(messages, times[0]),
        )
    days = days_phrase(messages, schedule.days)
    every = schedule.every_hours or _evenly_spaced(times)
    if every is not None:
        start, end = schedule.window or (times[0], times[-1])
        return messages.say(
            "reminders.item_window",
            every=messages.count("reminders.every_hours", every),
            start=clock_time(messages, start),
            end=clock_time(messages, end),
            days=days,
        )
    spoken = [clock_time(messages, at) for at in times]
    return messages.say("reminders.item_daily", days=days, times=messages.join(spoken, "and"))


def confirm(messages: Messages, schedule: Schedule, today: date) -> str:
    """The say-back before a yes: time and recurrence, as Alexa's guidelines ask."""
    key = "reminders.confirm_recurring" if schedule.recurring else "reminders.confirm_once"
    return messages.say(key, what=describe(messages, schedule, today))
