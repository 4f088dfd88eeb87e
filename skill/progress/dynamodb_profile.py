"""Profile fields in DynamoDB items: write stamps, the newest value, carrying forward.

A profile field (goal, disclaimer, time zone, bookmark) is written with its write
stamp (milliseconds), into the profile item or, in a turn with a set, into that
set's day bucket. A load takes, per field, the value with the newest stamp.
Because day buckets expire, a load lists every field whose newest value lives only
in a bucket as a :class:`~skill.progress.store.CarriedValue`; the turn hands those
back in its update, and the save writes them again with their original stamps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from skill.progress.bookmarks import decode_bookmark, encode_bookmark
from skill.progress.dynamodb_items import Item, number
from skill.progress.store import (
    DEFAULT_DAILY_GOAL,
    Bookmark,
    CarriedValue,
    Keep,
    ProfileField,
    UserUpdate,
)

# Each carried profile field: its attribute, the attribute of its write stamp, its type.
ATTRIBUTES: dict[ProfileField, tuple[str, str, str]] = {
    "disclaimer_heard": ("disclaimer", "dis_at", "BOOL"),
    "daily_goal": ("goal", "goal_at", "N"),
    "time_zone": ("tz", "tz_at", "S"),
}
STAMPS = tuple(stamp for _, stamp, _ in ATTRIBUTES.values())


def newest(items: Iterable[Item], name: str, stamp: str) -> Item:
    """The item holding the newest ``name`` by its ``stamp`` (a missing stamp is oldest);
    on a tie the later item in key order, the profile (``PROFILE`` sorts after ``DAY#``).
    An empty item when none holds it."""
    best: Item = {}
    for item in items:
        if name in item and number(item.get(stamp, {"N": "0"})) >= number(
            best.get(stamp, {"N": "-1"})
        ):
            best = item
    return best


def carry_forward(profile: Item, items: list[Item]) -> tuple[CarriedValue, ...]:
    """The fields whose newest value the profile item lacks (it lives only in a bucket)."""
    carried = []
    for field, (name, stamp, kind) in ATTRIBUTES.items():
        value = newest(items, name, stamp)
        if name in value and value[name] != profile.get(name):
            raw = value[name][kind]
            typed = int(raw) if kind == "N" else raw
            carried.append(CarriedValue(field, typed, int(number(value.get(stamp, {"N": "0"})))))
    return tuple(carried)


def carried_values(carried: Iterable[CarriedValue]) -> dict[str, Item]:
    """The attributes (value and original stamp) that write ``carried`` again."""
    values: dict[str, Item] = {}
    for value in carried:
        name, stamp, kind = ATTRIBUTES[value.name]
        raw = str(value.value) if kind == "N" else value.value
        values |= {name: {kind: raw}, stamp: {"N": str(value.stamp)}}
    return values


def written_values(update: UserUpdate, stamp: Item) -> dict[str, Item]:
    """The attributes a turn's own profile changes set, each with ``stamp``."""
    values: dict[str, Item] = {}
    if update.disclaimer_heard:
        values |= {"disclaimer": {"BOOL": True}, "dis_at": stamp}
    if update.daily_goal is not None:
        values |= {"goal": {"N": str(update.daily_goal)}, "goal_at": stamp}
    if update.time_zone is not None:
        values |= {"tz": {"S": update.time_zone}, "tz_at": stamp}
    if update.bookmark is None:
        values |= {"bm": {"NULL": True}, "bm_at": stamp}
    elif not isinstance(update.bookmark, Keep):
        values |= {"bm": {"S": encode_bookmark(update.bookmark)}, "bm_at": stamp}
    return values


def stamps_of(values: Mapping[str, Item]) -> dict[str, Item]:
    """The write stamps among ``values``: what a guarded copy must be newer than."""
    return {stamp: values[stamp] for stamp in STAMPS if stamp in values}


def disclaimer_in(items: Iterable[Item]) -> bool:
    """Heard once is heard for good, whichever item says so."""
    return any(item.get("disclaimer", {}).get("BOOL", False) for item in items)


def goal_in(items: Iterable[Item]) -> int:
    value = newest(items, "goal", "goal_at").get("goal", {"N": str(DEFAULT_DAILY_GOAL)})
    return int(number(value))


def time_zone_in(items: Iterable[Item]) -> str | None:
    zone: str | None = newest(items, "tz", "tz_at").get("tz", {}).get("S")
    return zone


def bookmark_in(items: Iterable[Item], now: datetime) -> Bookmark | None:
    """The newest bookmark of ``items`` (a cleared one is None), through the shared decoding."""
    item = newest(items, "bm", "bm_at")
    if "S" not in item.get("bm", {}):
        return None
    written = datetime.fromtimestamp(number(item["bm_at"]) / 1000, UTC)
    return decode_bookmark(item["bm"]["S"], written, now)
