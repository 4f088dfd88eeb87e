"""DynamoDB items of the progress table: keys, the day-bucket update, decoding.

Kept apart from :mod:`skill.progress.dynamodb_store` (the calls and their
error handling) so the item layout documented there reads in one place.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from skill.progress.store import (
    RETENTION_DAYS,
    Completion,
    DayTotal,
    PainRating,
    split_user_key,
)

PROFILE = "PROFILE"
DAY_PREFIX = "DAY#"
ACCOUNT_SELF = "me"
EXERCISE_PREFIX = "x:"
# The local minutes of the day's counted sets: a number set, so two sets heard in the
# same minute are one entry (they are one sitting anyway), and ADD keeps it atomic.
MINUTES = "mins"

Item = dict[str, Any]


def event_id(kind: str, raw_id: str) -> str:
    """A short, stable id for a counted event; raw request ids never reach the table."""
    return kind + hashlib.sha256(raw_id.encode()).hexdigest()[:20]


@dataclass
class DayWrite:
    """Everything one save adds to one day bucket."""

    day: date
    completions: list[Completion] = field(default_factory=list)
    ratings: list[PainRating] = field(default_factory=list)

    def events(self) -> list[tuple[str, Completion | PainRating]]:
        """Each event once: a string set rejects duplicates, which would fail the write."""
        events: dict[str, Completion | PainRating] = {}
        for completion in self.completions:
            events.setdefault(event_id("c", completion.completion_id), completion)
        for rating in self.ratings:
            events.setdefault(event_id("p", rating.rating_id), rating)
        return list(events.items())


class DayExpression:
    """Builds one UpdateItem for a day bucket: ADD counters, SET the rest, exactly-once guard."""

    def __init__(self, day: date) -> None:
        self.day = day
        self.sets = 0
        self.seconds = 0
        self.exercises: dict[str, int] = defaultdict(int)
        self.pain: list[int] = []
        self.minutes: set[int] = set()
        self.ids: list[str] = []
        self.extra: dict[str, Item] = {}

    def add_event(self, eid: str, event: Completion | PainRating) -> None:
        self.ids.append(eid)
        if isinstance(event, Completion):
            self.sets += 1
            self.seconds += event.seconds
            self.exercises[event.exercise_id] += 1
            if event.minute is not None:
                self.minutes.add(event.minute)
        else:
            self.pain.append(event.rating)

    def set_values(self, values: Mapping[str, Item]) -> None:
        self.extra.update(values)

    def build(self) -> dict[str, Any]:
        last_kept = self.day + timedelta(days=RETENTION_DAYS + 1)
        expires = datetime(last_kept.year, last_kept.month, last_kept.day, tzinfo=UTC)
        names: dict[str, str] = {"#ids": "ids", "#exp": "expires_at"}
        values: dict[str, Item] = {
            ":ids": {"SS": self.ids},
            ":exp": {"N": str(int(expires.timestamp()))},
        }
        adds = ["#ids :ids"]
        sets = ["#exp = :exp"]
        if self.sets:
            names |= {"#sets": "sets", "#secs": "secs"}
            values |= {":sets": {"N": str(self.sets)}, ":secs": {"N": str(self.seconds)}}
            adds += ["#sets :sets", "#secs :secs"]
        if self.minutes:
            names["#mins"] = MINUTES
            values[":mins"] = {"NS": [str(minute) for minute in sorted(self.minutes)]}
            adds.append("#mins :mins")
        for i, (exercise_id, count) in enumerate(sorted(self.exercises.items())):
            names[f"#x{i}"] = EXERCISE_PREFIX + exercise_id
            values[f":x{i}"] = {"N": str(count)}
            adds.append(f"#x{i} :x{i}")
        if self.pain:
            names["#pain"] = "pain"
            values[":pain"] = {"L": [{"N": str(r)} for r in self.pain]}
            values[":none"] = {"L": []}
            sets.append("#pain = list_append(if_not_exists(#pain, :none), :pain)")
        for i, (name, value) in enumerate(self.extra.items()):
            names[f"#e{i}"] = name
            values[f":e{i}"] = value
            sets.append(f"#e{i} = :e{i}")
        guard = []
        for i, eid in enumerate(self.ids):
            values[f":id{i}"] = {"S": eid}
            guard.append(f"NOT contains(#ids, :id{i})")
        return {
            "UpdateExpression": f"ADD {', '.join(adds)} SET {', '.join(sets)}",
            "ConditionExpression": " AND ".join(guard),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }


def group_by_day(
    completions: Iterable[Completion], ratings: Iterable[PainRating]
) -> list[DayWrite]:
    writes: dict[date, DayWrite] = {}
    for completion in completions:
        writes.setdefault(completion.local_day, DayWrite(completion.local_day))
        writes[completion.local_day].completions.append(completion)
    for rating in ratings:
        writes.setdefault(rating.local_day, DayWrite(rating.local_day))
        writes[rating.local_day].ratings.append(rating)
    return [writes[day] for day in sorted(writes)]


def day_total(item: Item) -> DayTotal:
    exercises = {
        name[len(EXERCISE_PREFIX) :]: int(number(value))
        for name, value in item.items()
        if name.startswith(EXERCISE_PREFIX)
    }
    return DayTotal(
        day=date.fromisoformat(item["sk"]["S"].rpartition("#")[2]),
        sets=int(number(item.get("sets", {"N": "0"}))),
        seconds=int(number(item.get("secs", {"N": "0"}))),
        exercises=exercises,
        pain=tuple(int(number(r)) for r in item.get("pain", {}).get("L", [])),
        minutes=tuple(sorted(int(m) for m in item.get(MINUTES, {}).get("NS", []))),
    )


def number(value: Item) -> float:
    return float(value["N"])


def partition_key(user_key: str) -> str:
    return f"USER#{split_user_key(user_key)[0]}"


def sort_key(user_key: str, rest: str) -> str:
    person = split_user_key(user_key)[1]
    return f"{ACCOUNT_SELF if person is None else 'P' + person}#{rest}"


def day_sort_key(user_key: str, day: date) -> str:
    return sort_key(user_key, DAY_PREFIX + day.isoformat())


def item_key(user_key: str, sk: str) -> dict[str, Item]:
    return {"pk": {"S": partition_key(user_key)}, "sk": {"S": sk}}
