"""The progress screen ("how am I doing?") and the Alexa app's weekly card.

Bars per day for the seven local days ending today, against the daily goal; the
streak and today's count from the same :class:`~skill.progress.summary.Summary`
the spoken answer uses, so screen, card and voice agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from skill.progress.store import UserSnapshot
from skill.progress.summary import WEEK_DAYS, Summary
from skill.screens.screen import Rendered
from skill.speech.messages import Messages

DOCUMENT = "progress"
TOKEN = "movement-snacks-progress"
# Message keys of the weekdays, Monday first (date.weekday()).
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The tallest bar fills this share of its column, leaving room for its count above it.
BAR_ROOM_PERCENT = 80


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


def week_counts(snapshot: UserSnapshot, today: date) -> list[DayCount]:
    """What each bar counts, oldest day first, today last.

    The one place that decides a day's number on screen and on the card: the day's
    movement snacks (sittings), as ``Summary.today_snacks`` and the daily goal count them.
    """
    days = (today - timedelta(days=back) for back in range(WEEK_DAYS - 1, -1, -1))
    return [DayCount(day, snapshot.day(day).snacks) for day in days]


@dataclass(frozen=True)
class ProgressScreen:
    data: dict[str, Any]

    def render(self, lead_in_ms: int | None) -> Rendered:
        return Rendered(DOCUMENT, TOKEN, {"progress": self.data})


def day_label(messages: Messages, day: date) -> str:
    return messages.say(f"screen.day.{WEEKDAY_KEYS[day.weekday()]}")


def progress_screen(messages: Messages, summary: Summary, week: list[DayCount]) -> ProgressScreen:
    goal = summary.daily_goal
    scale = max([goal, *(d.count for d in week)])
    today = week[-1].day if week else None

    def percent(n: int) -> int:
        return round(BAR_ROOM_PERCENT * n / scale) if scale else 0

    streak = (
        messages.count("screen.streak", summary.current_streak)
        if summary.current_streak
        else messages.say("screen.no_streak")
    )
    return ProgressScreen(
        {
            "title": messages.say("screen.progress_title"),
            "today": messages.say("screen.today", sets=summary.today_snacks, goal=goal),
            "goal": messages.say("screen.goal", goal=goal),
            "goalPercent": percent(goal),
            "streak": streak,
            "days": [
                {
                    "label": day_label(messages, d.day),
                    "count": str(d.count),
                    "percent": percent(d.count),
                    "metGoal": d.count >= goal,
                    "isToday": d.day == today,
                }
                for d in week
            ],
        }
    )


def card_text(messages: Messages, sentences: list[str], week: list[DayCount]) -> str:
    """The weekly card: the spoken summary's sentences, then one line per day."""
    days = [
        messages.say("screen.card_day", day=day_label(messages, d.day), count=d.count) for d in week
    ]
    return "\n".join([*sentences, *days])
