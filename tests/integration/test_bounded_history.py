"""Reads that do not grow with history: the DynamoDB store reads one bounded page and
still gives the summary the whole history gives, and data stored in the older layout
(no streak runs) is migrated by the first turn that loads it."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from skill.progress import sqlite_store
from skill.progress.dynamodb_store import DynamoDbStore
from skill.progress.dynamodb_window import WINDOW_ITEMS
from skill.progress.sqlite_store import SqliteStore
from skill.progress.store import (
    RETENTION_DAYS,
    Completion,
    PainRating,
    ProgressStore,
    UserSnapshot,
    UserUpdate,
)
from skill.progress.summary import summarize
from tests.integration.conftest import FakeClock

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_dynamodb import DynamoDBClient

pytestmark = pytest.mark.integration

USER = "u-history"
EXERCISES = ("pelvic_tilts", "ankle_rolls", "heel_slides")


class Queries:
    """Every Query the store's client sends and the items each one returned."""

    def __init__(self, client: DynamoDBClient) -> None:
        self.sent: list[dict[str, Any]] = []
        self.items: list[list[dict[str, Any]]] = []
        self.operations: list[str] = []
        client.meta.events.register("before-call.dynamodb", self._operation)
        client.meta.events.register("provide-client-params.dynamodb.Query", self._sent)
        client.meta.events.register("after-call.dynamodb.Query", self._answered)

    def _operation(self, model: Any, **_: Any) -> None:
        self.operations.append(model.name)

    def writes(self) -> list[str]:
        operations, self.operations = self.operations, []
        return [name for name in operations if name != "Query"]

    def _sent(self, params: dict[str, Any], **_: Any) -> None:
        self.sent.append(dict(params))

    def _answered(self, parsed: dict[str, Any], **_: Any) -> None:
        self.items.append(parsed.get("Items", []))

    def take(self) -> list[dict[str, Any]]:
        sent, self.sent, self.items = self.sent, [], []
        return sent


def day_of_sets(day: date, rng: random.Random, tag: str) -> UserUpdate:
    """A day of 1-6 sets in sittings; sometimes a pain rating."""
    completions = []
    for n in range(rng.randint(1, 6)):
        at = datetime(day.year, day.month, day.day, 7 + 3 * (n // 2), 5 * n, tzinfo=UTC)
        minute = at.hour * 60 + at.minute
        exercise = EXERCISES[rng.randrange(3)]
        completions.append(Completion(f"{tag}-{day}-{n}", exercise, None, 8, 40, day, at, minute))
    ratings = ()
    if rng.random() < 0.3:
        ratings = (PainRating(f"{tag}-{day}-pain", rng.randint(0, 6), day, completions[0].at),)
    return UserUpdate(completions=tuple(completions), pain_ratings=ratings)


def seed_old_layout(stores: tuple[ProgressStore, ...], today: date, seed: int) -> None:
    """420 days with streaks of every length and gaps, saved without any load's carry:
    as the older layout left them (no streak runs anywhere)."""
    rng = random.Random(seed)
    active = rng.choice((0.6, 0.85, 0.97))
    for offset in range(420, 0, -1):
        day = today - timedelta(days=offset)
        if rng.random() < active:
            update = day_of_sets(day, rng, "seed")
            for store in stores:
                store.save(USER, update)


def whole_history(store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> UserSnapshot:
    """The reference: every retained day summed up, as stores read before this layout."""
    with monkeypatch.context() as patched:
        patched.setattr(sqlite_store, "WINDOW_DAYS", RETENTION_DAYS + 10)
        snapshot = store.load(USER)
    assert snapshot.history is None
    return snapshot


@pytest.fixture
def stores(
    dynamodb_client: DynamoDBClient, table_name: str, tmp_path: Path
) -> tuple[DynamoDbStore, SqliteStore, FakeClock, Queries]:
    clock = FakeClock(datetime(2026, 11, 25, 20, tzinfo=UTC))
    dynamo = DynamoDbStore(table_name, client=dynamodb_client, clock=clock, store_pain_ratings=True)
    reference = SqliteStore(tmp_path / "all.sqlite3", clock=clock, store_pain_ratings=True)
    return dynamo, reference, clock, Queries(dynamodb_client)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_the_migration_every_load_is_one_bounded_query_with_the_same_summary(
    stores: tuple[DynamoDbStore, SqliteStore, FakeClock, Queries],
    seed: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Prevents: a longest or current streak, a week total or a pain trend that changes
    when a turn reads only the newest buckets, and a migration that never finishes."""
    dynamo, reference, clock, queries = stores
    seed_old_layout((dynamo, reference), clock.now.date(), seed)
    rng = random.Random(seed)

    # GIVEN data of the older layout: the first load reads it all, once
    snapshot = dynamo.load(USER)
    assert len(queries.take()) == 2
    today = clock.now.date()
    expected = summarize(whole_history(reference, monkeypatch), today)
    assert summarize(snapshot, today) == expected
    assert summarize(reference.load(USER), today) == expected  # SQLite's bounded load
    # WHEN that turn saves (even with nothing else to write, the runs are due)
    dynamo.save(USER, UserUpdate(carry_forward=snapshot.carry_forward))

    # THEN for the next 40 days of use, each load is one bounded Query, summaries exact
    for _ in range(40):
        clock.now += timedelta(days=1)
        today = clock.now.date()
        snapshot = dynamo.load(USER)
        sent = queries.take()
        assert [q["Limit"] for q in sent] == [WINDOW_ITEMS]
        expected = summarize(whole_history(reference, monkeypatch), today)
        assert summarize(snapshot, today) == expected
        assert summarize(reference.load(USER), today) == expected
        if rng.random() < 0.8:
            update = day_of_sets(today, rng, "turn")
            # Some turns save sets without having loaded (later turns of a session).
            carry = snapshot.carry_forward if rng.random() < 0.5 else ()
            queries.writes()
            dynamo.save(USER, UserUpdate(update.completions, carry_forward=carry))
            assert queries.writes() == ["UpdateItem"]  # the runs ride in the same write
            reference.save(USER, UserUpdate(update.completions))
        else:
            queries.writes()
            dynamo.save(USER, UserUpdate(carry_forward=snapshot.carry_forward))
            assert len(queries.writes()) <= 1


def test_a_load_never_reads_back_the_counted_ids(
    stores: tuple[DynamoDbStore, SqliteStore, FakeClock, Queries],
) -> None:
    dynamo, _, clock, queries = stores
    seed_old_layout((dynamo,), clock.now.date(), 4)
    dynamo.save(USER, UserUpdate(carry_forward=dynamo.load(USER).carry_forward))
    queries.take()

    dynamo.load(USER)

    (items,) = queries.items
    assert 1 < len(items) <= WINDOW_ITEMS
    assert all("ids" not in item and "pk" not in item for item in items)
    assert "runs" in items[0]  # the profile, newest first, holds the migrated runs


def test_a_new_user_reads_everything_in_the_first_page_and_needs_no_runs(
    stores: tuple[DynamoDbStore, SqliteStore, FakeClock, Queries],
) -> None:
    dynamo, reference, clock, queries = stores
    rng = random.Random(5)
    today = clock.now.date()
    for offset in (6, 5, 4, 2, 1, 0):
        update = day_of_sets(today - timedelta(days=offset), rng, "new")
        for store in (dynamo, reference):
            store.save(USER, update)
    queries.take()

    snapshot = dynamo.load(USER)

    assert len(queries.take()) == 1 and snapshot.history is None
    assert summarize(snapshot, today) == summarize(reference.load(USER), today)
    # Nothing is due with so few buckets: the carry alone makes no write.
    assert UserUpdate(carry_forward=snapshot.carry_forward).is_empty


def test_runs_the_window_has_moved_past_are_not_used_but_read_around_once(
    stores: tuple[DynamoDbStore, SqliteStore, FakeClock, Queries],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Prevents: streaks from runs whose days after them are no longer all in the page
    (16 days of sets saved by turns that never loaded, e.g. the queue's replay)."""
    dynamo, reference, clock, queries = stores
    seed_old_layout((dynamo, reference), clock.now.date(), 6)
    dynamo.save(USER, UserUpdate(carry_forward=dynamo.load(USER).carry_forward))
    rng = random.Random(6)
    for _ in range(16):
        clock.now += timedelta(days=1)
        update = day_of_sets(clock.now.date(), rng, "replayed")
        for store in (dynamo, reference):
            store.save(USER, UserUpdate(update.completions))
    queries.take()

    snapshot = dynamo.load(USER)

    today = clock.now.date()
    assert len(queries.take()) == 2  # the page's runs are too old: read whole, once
    assert summarize(snapshot, today) == summarize(whole_history(reference, monkeypatch), today)
    dynamo.save(USER, UserUpdate(carry_forward=snapshot.carry_forward))
    dynamo.load(USER)
    assert len(queries.take()) == 1


def test_a_set_replayed_late_for_a_day_in_the_page_joins_the_streak(
    stores: tuple[DynamoDbStore, SqliteStore, FakeClock, Queries],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dynamo, reference, clock, _ = stores
    seed_old_layout((dynamo, reference), clock.now.date(), 7)
    rng = random.Random(7)
    today = clock.now.date()
    for offset in (5, 4, 2, 1, 0):  # three days ago: nothing yet
        update = day_of_sets(today - timedelta(days=offset), rng, "recent")
        for store in (dynamo, reference):
            store.save(USER, UserUpdate(update.completions))
    # GIVEN runs written by a turn that loaded today (the gap three days ago in them)
    dynamo.save(USER, UserUpdate(carry_forward=dynamo.load(USER).carry_forward))
    dynamo.save(USER, UserUpdate(carry_forward=dynamo.load(USER).carry_forward))

    # WHEN the fallback queue replays a set for three days ago
    late = day_of_sets(today - timedelta(days=3), rng, "late")
    for store in (dynamo, reference):
        store.save(USER, UserUpdate(late.completions))

    # THEN the streak runs through that day, as in the whole history
    summary = summarize(dynamo.load(USER), today)
    assert summary == summarize(whole_history(reference, monkeypatch), today)
    assert summary.current_streak >= 6


def test_another_item_among_the_buckets_never_costs_the_week_its_days(
    stores: tuple[DynamoDbStore, SqliteStore, FakeClock, Queries],
    dynamodb_client: DynamoDBClient,
    table_name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Prevents: an item of another feature sorting between the day buckets and the
    profile (e.g. "<who>#PLAN") pushing the 14th day out of the page unnoticed."""
    dynamo, reference, clock, queries = stores
    seed_old_layout((dynamo, reference), clock.now.date(), 8)
    dynamo.save(USER, UserUpdate(carry_forward=dynamo.load(USER).carry_forward))
    dynamodb_client.put_item(
        TableName=table_name, Item={"pk": {"S": f"USER#{USER}"}, "sk": {"S": "me#PLAN"}}
    )
    queries.take()

    snapshot = dynamo.load(USER)

    assert len(queries.take()) == 2  # read around, whole: correct before bounded
    today = clock.now.date()
    assert summarize(snapshot, today) == summarize(whole_history(reference, monkeypatch), today)
