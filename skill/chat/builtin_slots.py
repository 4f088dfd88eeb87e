"""Alexa's built-in time slots for typed chat: what a phrase sounds like, what Alexa sends.

AMAZON.TIME: "3 pm" -> "15:00", "9" -> "09:00" (no am or pm: Alexa sends the hour
as heard), "3 30 pm" -> "15:30", noon, midnight, and "in the morning" -> "MO" (the
part-of-day codes MO, AF, EV, NI). AMAZON.DURATION: "hour" -> "PT1H", "2 hours" ->
"PT2H", "30 minutes" -> "PT30M". AMAZON.DATE: today and tomorrow, as ISO dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta

Today = Callable[[], date]

_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}


def _number(words: Mapping[str, str]) -> str:
    return r"\d{1,2}|" + "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def time_regex(words: Mapping[str, str]) -> str:
    n = _number(words)
    return (
        rf"(?:{n})(?: (?:\d{{2}}|thirty|fifteen|forty five))?(?: (?:am|pm|a m|p m|o'clock))?"
        r"|noon|midnight|(?:in the |this )?(?:morning|afternoon|evening)|tonight|at night"
    )


def time_value(heard: str, words: Mapping[str, str]) -> str:
    if heard in ("noon", "midnight"):
        return "12:00" if heard == "noon" else "00:00"
    for word, code in {**_PARTS, "tonight": "EV"}.items():
        if heard.endswith(word):
            return code
    parts = heard.replace("a m", "am").replace("p m", "pm").split()
    hour = int(words.get(parts[0], parts[0]))
    minute = 0
    minutes = {"thirty": 30, "fifteen": 15, "forty five": 45}
    rest = " ".join(parts[1:])
    for word, value in minutes.items():
        if rest.startswith(word):
            minute, rest = value, rest[len(word) :].strip()
    if rest[:2].isdigit():
        minute, rest = int(rest[:2]), rest[2:].strip()
    if rest == "pm" and hour < 12:
        hour += 12
    elif rest == "am" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def duration_regex(words: Mapping[str, str]) -> str:
    return rf"(?:(?:{_number(words)}) )?(?:hours?|minutes?)|half an hour|half hour"


def duration_value(heard: str, words: Mapping[str, str]) -> str:
    if heard.startswith("half"):
        return "PT30M"
    parts = heard.split()
    count = int(words.get(parts[0], parts[0])) if len(parts) == 2 else 1
    return f"PT{count}H" if parts[-1].startswith("hour") else f"PT{count}M"


DATE_REGEX = r"today|tomorrow"


def date_value(heard: str, today: Today) -> str:
    day = today()
    return (day + timedelta(days=1 if heard == "tomorrow" else 0)).isoformat()
