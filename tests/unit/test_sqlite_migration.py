"""A progress file made by the first release keeps its data, upgraded by `store init` or
on first use."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

from skill.progress.sqlite_store import SqliteStore
from skill.progress.store import UserUpdate

FIRST_RELEASE_SCHEMA = """
CREATE TABLE users (user_key TEXT PRIMARY KEY, disclaimer_heard INTEGER NOT NULL DEFAULT 0,
    daily_goal INTEGER NOT NULL DEFAULT 5, bookmark TEXT);
CREATE TABLE completions (user_key TEXT NOT NULL, completion_id TEXT NOT NULL,
    exercise_id TEXT NOT NULL, routine_id TEXT, reps INTEGER NOT NULL, seconds INTEGER NOT NULL,
    local_day TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (user_key, completion_id));
INSERT INTO users VALUES ('u1', 1, 7, NULL);
INSERT INTO completions VALUES ('u1', 'r1', 'pelvic_tilts', NULL, 8, 60, '2026-11-25',
    '2026-11-25T09:00:00+00:00');
"""


def test_an_old_progress_file_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(FIRST_RELEASE_SCHEMA)

    store = SqliteStore(path, clock=lambda: datetime(2026, 11, 25, 12, tzinfo=UTC))
    store.init()
    store.init()  # running it again changes nothing
    store.save("u1", UserUpdate(time_zone="Europe/Berlin"))

    snapshot = store.load("u1")
    assert (snapshot.daily_goal, snapshot.disclaimer_heard, snapshot.time_zone) == (
        7,
        True,
        "Europe/Berlin",
    )
    assert snapshot.day(date(2026, 11, 25)).sets == 1


def test_an_old_progress_file_is_upgraded_on_first_use_without_store_init(
    tmp_path: Path,
) -> None:
    """Prevents: an upgraded `serve` or Lambda failing every turn on an old file that
    nobody ran `store init` on."""
    path = tmp_path / "progress.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(FIRST_RELEASE_SCHEMA)

    store = SqliteStore(path, clock=lambda: datetime(2026, 11, 25, 12, tzinfo=UTC))
    snapshot = store.load("u1")

    assert (snapshot.daily_goal, snapshot.disclaimer_heard, snapshot.time_zone) == (7, True, None)
    store.save("u1", UserUpdate(time_zone="Europe/Berlin"))
    assert store.load("u1").time_zone == "Europe/Berlin"


def test_rows_past_retention_are_removed_from_the_file(tmp_path: Path) -> None:
    """Prevents: the embedded store keeping health data longer than DynamoDB's TTL would."""
    from datetime import timedelta

    from skill.progress.store import RETENTION_DAYS, Completion

    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    store = SqliteStore(tmp_path / "p.sqlite3", clock=lambda: now)
    store.init()

    def done(completion_id: str, day: date) -> Completion:
        return Completion(completion_id, "pelvic_tilts", None, 8, 60, day, now)

    old_day = now.date() - timedelta(days=RETENTION_DAYS + 1)
    store.save("u1", UserUpdate(completions=(done("old", old_day),)))
    store.save("u1", UserUpdate(completions=(done("new", now.date()),)))
    with closing(sqlite3.connect(tmp_path / "p.sqlite3")) as db:
        days = [row[0] for row in db.execute("SELECT local_day FROM completions")]
    assert days == [now.date().isoformat()]
