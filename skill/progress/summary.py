"""Pure progress summaries: what "how am I doing?" answers, computed from a snapshot.

Deterministic: the same snapshot and day give the same words. "This week" means
the seven local days ending today. Today counts movement snacks against the goal
(sittings, :mod:`skill.progress.snacks`), with its sets and the different hours of
the day moved in. A streak counts consecutive local days with at least one snack;
today without a snack yet does not break it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from skill.progress.store import UserSnapshot
from skill.progress.streaks import current_and_longest, joined, runs_of

WEEK_DAYS = 7
# Average ratings a whole point apart are a change worth mentioning; less is "about the same".
PAIN_TREND_STEP = 1.0


class PainTrend(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"
    STEADY = "steady"


@dataclass(frozen=True)
class Summary:
    """``today_snacks`` is what the daily goal counts; ``today_hours`` how many different
    hours of today the user moved in (0 when only sets without a known minute)."""

    today_sets: int
    today_snacks: int
    today_hours: int
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
    current, longest = streaks_of(snapshot, today)
    seconds = sum(d.seconds for d in week)
    today_total = snapshot.day(today)
    return Summary(
        today_sets=today_total.sets,
        today_snacks=today_total.snacks,
        today_hours=today_total.hours,
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
    return current_and_longest(runs_of(active_days), today)


def streaks_of(snapshot: UserSnapshot, today: date) -> tuple[int, int]:
    """(current, longest) streak of the snapshot: its stored history, then its days."""
    history = snapshot.history
    if history is None:
        return streaks((d.day for d in snapshot.days if d.sets), today)
    later = runs_of(d.day for d in snapshot.days if d.sets and d.day >= history.until)
    return current_and_longest(joined(history.runs, later), today)


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
    if summary.today_snacks == 0:
        return messages.say("progress.today_none", goal=goal)
    # "Spread over 1 hour" says nothing a single snack does not: only 2 hours and more.
    spread = "_spread" if summary.today_hours >= 2 else ""
    sets = _count(messages, "sets", summary.today_sets)
    if summary.today_snacks >= summary.daily_goal:
        return messages.say(
            f"progress.today_goal_met{spread}",
            snacks=_count(messages, "snacks", summary.today_snacks),
            sets=sets,
            hours=summary.today_hours,
            goal=goal,
        )
    return messages.say(
        f"progress.today{spread}",
        snacks=summary.today_snacks,
        sets=sets,
        hours=summary.today_hours,
        goal=goal,
    )


def spoken_spread(summary: Summary, messages: Sayer) -> str:
    """ "How spread out was I today?": the different hours of today the user moved in."""
    snacks = _count(messages, "snacks", summary.today_snacks)
    if summary.today_snacks == 0:
        return messages.say("progress.spread_none")
    if summary.today_hours == 0:
        return messages.say("progress.spread_unknown", snacks=snacks)
    if summary.today_hours == 1:
        return messages.say("progress.spread_one", snacks=snacks)
    return messages.say("progress.spread", hours=summary.today_hours, snacks=snacks)


def _cheer(summary: Summary) -> str:
    if summary.today_snacks >= summary.daily_goal:
        return "goal_met"
    if summary.current_streak >= 2:
        return "streak"
    if summary.today_sets:
        return "started"
    if summary.week_sets:
        return "come_back"
    return "first"


def welcome_greeting(summary: Summary, messages: Sayer) -> str | None:
    """The launch greeting's progress: today's snacks against the goal and the streak,
    e.g. "Welcome back, that's 3 days in a row, and 2 of your 5 movement snacks today.";
    None when there is neither a streak nor a snack today."""
    goal = _count(messages, "snacks", summary.daily_goal)
    if summary.current_streak >= 2:
        if summary.today_snacks:
            return messages.say(
                "launch.streak_today",
                days=summary.current_streak,
                snacks=summary.today_snacks,
                goal=goal,
            )
        return messages.say("launch.streak_alive", days=summary.current_streak)
    if summary.today_snacks:
        return messages.say("launch.snacks_today", snacks=summary.today_snacks, goal=goal)
    return None
