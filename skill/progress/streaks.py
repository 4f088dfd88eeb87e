"""Streak runs: consecutive active days, kept small enough to store with every day.

A store that reads only its newest day buckets still answers the longest streak
and the current one exactly: the days before its window are summed up as runs
(:class:`StreakRun`), and of those only the runs a longest or current streak can
still need are kept: each run longer than every later one, and the last one (it
may continue into the window). That is a handful for any history: each kept run
is shorter than the one before it.

Retention cuts runs from the front (:func:`clipped`): a run that was dropped for
a later, at least as long run never outlasts that run, so the kept runs still
give the longest streak within the retained days.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class StreakRun:
    """Consecutive local days with at least one snack: ``days`` long from ``start``."""

    start: date
    days: int

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)


@dataclass(frozen=True)
class StreakHistory:
    """The streak runs of the active days before ``until`` (see the module docstring)."""

    until: date
    runs: tuple[StreakRun, ...] = ()


def runs_of(days: Iterable[date]) -> list[StreakRun]:
    """The runs of consecutive days among ``days`` (any order, repeats allowed)."""
    runs: list[StreakRun] = []
    for day in sorted(set(days)):
        if runs and runs[-1].end + ONE_DAY == day:
            runs[-1] = StreakRun(runs[-1].start, runs[-1].days + 1)
        else:
            runs.append(StreakRun(day, 1))
    return runs


def joined(earlier: Sequence[StreakRun], later: Sequence[StreakRun]) -> list[StreakRun]:
    """``earlier`` then ``later`` (all of ``later`` after ``earlier``), touching runs merged."""
    runs = list(earlier)
    for run in later:
        if runs and runs[-1].end + ONE_DAY >= run.start:
            last = runs[-1]
            runs[-1] = StreakRun(last.start, (max(last.end, run.end) - last.start).days + 1)
        else:
            runs.append(run)
    return runs


def kept(runs: Sequence[StreakRun]) -> tuple[StreakRun, ...]:
    """The runs worth storing: each longer than every later run (the last one always)."""
    keep: list[StreakRun] = []
    longest_later = 0
    for run in reversed(runs):
        if run.days > longest_later or not keep:
            keep.append(run)
            longest_later = max(longest_later, run.days)
    return tuple(reversed(keep))


def clipped(runs: Iterable[StreakRun], first: date, last: date) -> list[StreakRun]:
    """``runs`` cut to the days from ``first`` to ``last`` (both included)."""
    cut = []
    for run in runs:
        start, end = max(run.start, first), min(run.end, last)
        if start <= end:
            cut.append(StreakRun(start, (end - start).days + 1))
    return cut


def current_and_longest(runs: Sequence[StreakRun], today: date) -> tuple[int, int]:
    """(current, longest) streak; today without a snack yet does not end the current one."""
    runs = clipped(runs, date.min, today)
    longest = max((run.days for run in runs), default=0)
    alive = bool(runs) and today - runs[-1].end <= ONE_DAY
    return (runs[-1].days if alive else 0), longest


def encode(history: StreakHistory) -> str:
    """``2026-11-25|2026-10-01+12,2026-11-20+3``: until, then each run's start and days."""
    runs = ",".join(f"{run.start.isoformat()}+{run.days}" for run in history.runs)
    return f"{history.until.isoformat()}|{runs}"


def decode(text: str) -> StreakHistory | None:
    """The history :func:`encode` wrote; None for anything else (never raises)."""
    try:
        until, _, runs = text.partition("|")
        parsed = []
        for part in filter(None, runs.split(",")):
            start, _, days = part.partition("+")
            parsed.append(StreakRun(date.fromisoformat(start), int(days)))
        if any(run.days < 1 for run in parsed):
            return None
        return StreakHistory(date.fromisoformat(until), tuple(parsed))
    except ValueError:
        return None
