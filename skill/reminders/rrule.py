"""RRULE strings for a schedule, grouped into as few reminders as the API allows.

Each time of day is one rule, in the shape Alexa's Reminders API reference shows
("FREQ=DAILY;BYHOUR=6;BYMINUTE=10;BYSECOND=0;INTERVAL=1"), and several rules ride
in one reminder's ``recurrenceRules``. The reference we could consult shows several
rules per reminder but states no maximum, so a reminder carries at most
:data:`RULES_PER_REMINDER` of them: too few costs one more API call, too many
would make every create fail. "Every hour from 9 to 5" (9 times) is 2 reminders.
"""

from __future__ import annotations

from collections.abc import Iterable

from skill.reminders.parse import MAX_TIMES_A_DAY
from skill.reminders.schedule import WEEK, ClockTime, Schedule

RULES_PER_REMINDER = 5
# The most reminders one schedule may need: each is one POST within Alexa's 8 s.
MAX_REMINDERS_PER_SCHEDULE = -(-MAX_TIMES_A_DAY // RULES_PER_REMINDER)


def rule(at: ClockTime, days: tuple[str, ...]) -> str:
    """>>> rule(ClockTime(9), ("MO", "FR"))
    'FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=9;BYMINUTE=0;BYSECOND=0;INTERVAL=1'
    """
    freq = f"FREQ=WEEKLY;BYDAY={','.join(days)}" if days else "FREQ=DAILY"
    return f"{freq};BYHOUR={at.hour};BYMINUTE={at.minute};BYSECOND=0;INTERVAL=1"


def rule_groups(schedule: Schedule) -> list[list[str]]:
    """The recurrence rules of each reminder the schedule needs, in time order."""
    rules = [rule(at, schedule.days) for at in sorted(schedule.times)]
    return [rules[i : i + RULES_PER_REMINDER] for i in range(0, len(rules), RULES_PER_REMINDER)]


def read_rules(rules: Iterable[str]) -> tuple[tuple[ClockTime, ...], tuple[str, ...]] | None:
    """The times and days of rules this module wrote; None for any other shape."""
    times: set[ClockTime] = set()
    days: set[tuple[str, ...]] = set()
    for text in rules:
        parts = dict(p.split("=", 1) for p in text.strip(";").split(";") if "=" in p)
        try:
            at = ClockTime(int(parts["BYHOUR"]), int(parts.get("BYMINUTE", "0")))
        except (KeyError, ValueError):
            return None
        by_day = tuple(d for d in parts.get("BYDAY", "").split(",") if d)
        if parts.get("FREQ") not in ("DAILY", "WEEKLY") or any(d not in WEEK for d in by_day):
            return None
        times.add(at)
        days.add(by_day)
    if len(days) != 1:
        return None
    return tuple(sorted(times)), days.pop()
