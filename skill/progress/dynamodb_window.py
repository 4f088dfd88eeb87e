"""The bounded read of the DynamoDB store: the newest day buckets and their streak runs.

A load reads one page, newest first: the profile and the :data:`WINDOW_BUCKETS`
newest day buckets (``sk BETWEEN <who>#DAY# AND <who>#PROFILE``), projected to the
attributes a turn uses (never ``ids``, the counted event ids: they are written and
guarded, never read back). That is more than the 14 local days the week and the
pain trend need, whatever the history's length.

The days before the window live on as streak runs (:mod:`skill.progress.streaks`)
in the ``runs`` attribute, ``<until>|<start>+<days>,...``: the runs of the active
days before ``until``. A save writes them with whatever it writes (the day bucket of
its sets, else the profile), computed from the turn's load: ``until`` is the newest
day bucket the load saw. A load uses the runs with the newest ``until`` that its
page covers (every bucket from ``until`` on was read), cut to the days before the
oldest bucket read: the buckets say what their days hold now, so a set replayed
late for one of them still counts for the streak. Once
:data:`REFRESH_AFTER_BUCKETS` buckets are newer than that, the runs are *due*: the
next save of a turn that loaded writes them even if nothing else changed, long
before the window moves past them.

Migration from the layout without runs: when no item of a full page holds usable
runs, the load falls back once to the whole partition (as before this layout) and
marks the runs due, so that turn's save writes them and the next load is bounded.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from skill.progress.dynamodb_items import DAY_PREFIX, EXERCISE_PREFIX, MINUTES, PROFILE, Item
from skill.progress.store import Carried, CarriedRuns, DayTotal
from skill.progress.streaks import (
    ONE_DAY,
    StreakHistory,
    clipped,
    decode,
    encode,
    joined,
    kept,
    runs_of,
)

# 15 buckets are at least the 14 local days the week and the pain trend need, and the
# profile. Other items of the user must sort outside the range (not "<who>#E..." to
# "<who>#PR..."): each one in it takes a bucket's place, and a full page with fewer
# than 15 buckets is read around, whole.
WINDOW_BUCKETS = 15
WINDOW_ITEMS = WINDOW_BUCKETS + 1
REFRESH_AFTER_BUCKETS = 8
RUNS = "runs"
# What a turn reads of an item; the exercise counters are added by name (x:<id>).
READ_ATTRIBUTES = (
    "sk",
    "sets",
    "secs",
    "pain",
    MINUTES,
    RUNS,
    "disclaimer",
    "dis_at",
    "goal",
    "goal_at",
    "tz",
    "tz_at",
    "bm",
    "bm_at",
)


def projection(exercise_ids: Collection[str]) -> tuple[str, dict[str, str]]:
    """The ProjectionExpression and its names: every attribute a load uses, no ``ids``."""
    attributes = [*READ_ATTRIBUTES, *(EXERCISE_PREFIX + e for e in sorted(exercise_ids))]
    names = {f"#p{i}": name for i, name in enumerate(attributes)}
    return ", ".join(names), names


def is_bucket(item: Item) -> bool:
    return item["sk"]["S"].partition("#")[2].startswith(DAY_PREFIX)


def is_profile(item: Item) -> bool:
    return item["sk"]["S"].partition("#")[2] == PROFILE


def bucket_day(item: Item) -> date:
    return date.fromisoformat(item["sk"]["S"].rpartition("#")[2])


@dataclass(frozen=True)
class Window:
    """What one load read: items newest first; ``complete`` when no older item is left."""

    items: Sequence[Item]
    complete: bool

    @property
    def bucket_days(self) -> list[date]:
        return [bucket_day(item) for item in self.items if is_bucket(item)]

    def history(self) -> StreakHistory | None:
        """The stored runs with the newest ``until`` that this window covers; None when
        the window is complete (its days are all there is) or covers none."""
        days = self.bucket_days
        if self.complete or len(days) < WINDOW_BUCKETS:
            # Complete: its days are all there is. Too few buckets (other items took
            # their places): the page may not hold the last 14 days, so none is usable.
            return None
        first = min(days, default=date.max)
        usable = [h for h in map(stored_runs, self.items) if h is not None and h.until >= first]
        return max(usable, key=lambda h: h.until, default=None)

    def newest_stored_until(self) -> date | None:
        stored = [h.until for h in map(stored_runs, self.items) if h is not None]
        return max(stored, default=None)


def stored_runs(item: Item) -> StreakHistory | None:
    text = item.get(RUNS, {}).get("S")
    return decode(text) if isinstance(text, str) else None


def rebased(history: StreakHistory, days: Sequence[DayTotal], oldest: date) -> StreakHistory:
    """``history`` cut to the days before the oldest bucket read, and to retention: the
    buckets read say what their days hold now (a set replayed late for one of them
    included), and the cut keeps every streak (the days cut off are all read)."""
    first = min([history.until, *(d.day for d in days)])
    return StreakHistory(first, tuple(clipped(history.runs, oldest, first - ONE_DAY)))


def runs_to_write(
    window: Window, history: StreakHistory | None, days: Sequence[DayTotal], oldest: date
) -> CarriedRuns | None:
    """The runs the next save writes: those of every active day before the newest bucket
    read (``days`` are the retained buckets read, ``history`` the runs before them)."""
    if not days:
        return None
    until = max(d.day for d in days)
    start = history.until if history is not None else date.min
    earlier = history.runs if history is not None else ()
    later = runs_of(d.day for d in days if d.sets and start <= d.day < until)
    runs = kept(clipped(joined(earlier, later), oldest, date.max))
    stored = window.newest_stored_until()
    newer = sum(1 for d in days if stored is None or d.day >= stored)
    return CarriedRuns(encode(StreakHistory(until, runs)), due=newer >= REFRESH_AFTER_BUCKETS)


def runs_values(carried: Iterable[Carried]) -> dict[str, Item]:
    """The attribute that writes the carried streak runs again (none if none carried)."""
    runs = [c.encoded for c in carried if isinstance(c, CarriedRuns)]
    return {RUNS: {"S": runs[-1]}} if runs else {}
