"""Pure progress summaries: what "how am I doing?" answers, computed from a snapshot.

Deterministic: the same snapshot and day give the same words. "This week" means
the seven local days ending today. A streak counts consecutive local days with at
least one completed set; today without a set yet does not break it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from skill.progress.store import UserSnapshot

WEEK_DAYS = 7
# Average ratings a whole point apart are a change worth mentioning; less is "about the same".
PAIN_TREND_STEP = 1.0


class PainTrend(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"
    STEADY = "steady"


@dataclass(frozen=True)
class Summary:
    today_sets: int
    daily_goal: int
    week_sets: int
    week_days: int
    week_minutes: int
    current_streak: int
    longest_streak: int
    top_exercise: str | None
    pain_trend: PainTrend | None


def summarize(snapshot: UserSnapshot, today: date) -> Summary:
    """The summary of ``snapshot`` as seen on the user's local day ``today``."""
    week_start = today - timedelta(days=WEEK_DAYS - 1)
    week = [d for d in snapshot.days if week_start <= d.day <= today and d.sets]
    exercises: Counter[str] = Counter()
    for total in week:
        exercises.update(total.exercises)
    current, longest = streaks((d.day for d in snapshot.days if d.sets), today)
    seconds = sum(d.seconds for d in week)
    return Summary(
        today_sets=snapshot.day(today).sets,
        daily_goal=snapshot.daily_goal,
        week_sets=sum(d.sets for d in week),
        week_days=len(week),
        week_minutes=(seconds + 59) // 60 if seconds else 0,
        current_streak=current,
        longest_streak=longest,
        # Ties go to the exercise id first in alphabetical order, so the answer is stable.
        top_exercise=min(exercises, key=lambda e: (-exercises[e], e)) if exercises else None,
        pain_trend=_pain_trend(snapshot, today),
    )


def streaks(active_days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive active days; today may still be to come."""
    days = sorted(set(d for d in active_days if d <= today))
    longest = run = 0
    previous: date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    alive = previous is not None and today - previous <= timedelta(days=1)
    return (run if alive else 0), longest


def _pain_trend(snapshot: UserSnapshot, today: date) -> PainTrend | None:
    this_start = today - timedelta(days=WEEK_DAYS - 1)
    last_start = this_start - timedelta(days=WEEK_DAYS)
    this_week = [r for d in snapshot.days if this_start <= d.day <= today for r in d.pain]
    last_week = [r for d in snapshot.days if last_start <= d.day < this_start for r in d.pain]
    if not this_week or not last_week:
        return None
    change = sum(this_week) / len(this_week) - sum(last_week) / len(last_week)
    if change <= -PAIN_TREND_STEP:
        return PainTrend.LOWER
    if change >= PAIN_TREND_STEP:
        return PainTrend.HIGHER
    return PainTrend.STEADY


class Sayer(Protocol):
    """What the summary needs from the speech layer: a sentence by message key."""

    def say(self, key: str, **params: object) -> str: ...

    def count(self, key: str, n: int, **params: object) -> str: ...


def _count(messages: Sayer, noun: str, n: int) -> str:
    return messages.count(f"progress.count.{noun}", n)


def spoken_summary(
    summary: Summary,
    messages: Sayer,
    exercise_name: Callable[[str], str],
    include_pain: bool = False,
) -> list[str]:
    """The sentences of a spoken summary: today, this week, streaks, favourite, one cheer."""
    say = messages.say
    sentences = [_today(summary, messages)]
    if summary.week_sets:
        sentences.append(
            say(
                "progress.week",
                sets=_count(messages, "sets", summary.week_sets),
                days=_count(messages, "days", summary.week_days),
                minutes=_count(messages, "minutes", summary.week_minutes),
            )
        )
    else:
        sentences.append(say("progress.week_none"))
    if summary.current_streak >= 2:
        key = (
            "progress.streak_best"
            if summary.current_streak >= summary.longest_streak
            else "progress.streak"
        )
        sentences.append(
            say(
                key,
                current=summary.current_streak,
                longest=_count(messages, "days", summary.longest_streak),
            )
        )
    elif summary.longest_streak >= 2:
        sentences.append(
            say("progress.streak_past", longest=_count(messages, "days", summary.longest_streak))
        )
    if summary.top_exercise:
        sentences.append(say("progress.top", exercise=exercise_name(summary.top_exercise)))
    if include_pain and summary.pain_trend:
        sentences.append(say(f"progress.pain_{summary.pain_trend.value}"))
    sentences.append(say(f"progress.cheer.{_cheer(summary)}"))
    return sentences


def _today(summary: Summary, messages: Sayer) -> str:
    goal = _count(messages, "snacks", summary.daily_goal)
    if summary.today_sets == 0:
        return messages.say("progress.today_none", goal=goal)
    if summary.today_sets >= summary.daily_goal:
        return messages.say(
            "progress.today_goal_met",
            sets=_count(messages, "snacks", summary.today_sets),
            goal=goal,
        )
    return messages.say("progress.today", sets=summary.today_sets, goal=goal)


def _cheer(summary: Summary) -> str:
    if summary.today_sets >= summary.daily_goal:
        return "goal_met"
    if summary.current_streak >= 2:
        return "streak"
    if summary.today_sets:
        return "started"
    if summary.week_sets:
        return "come_back"
    return "first"


def streak_greeting(summary: Summary, messages: Sayer) -> str | None:
    """The launch greeting's streak, e.g. "Welcome back, that's 3 days in a row."; None if < 2."""
    if summary.current_streak < 2:
        return None
    key = "launch.streak_today" if summary.today_sets else "launch.streak_alive"
    return messages.say(key, days=summary.current_streak)
