"""An SQLite file written by the previous schema (version 2) opens, keeps every set,
and reads each active day as at least one snack; new sets keep their minute."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

from skill.progress.sqlite_store import SqliteStore
from skill.progress.store import Completion, UserUpdate

# The schema as version 2 created it (before local minutes and the day indexes).
VERSION_2 = """
CREATE TABLE users (user_key TEXT PRIMARY KEY, disclaimer_heard INTEGER NOT NULL DEFAULT 0,
    daily_goal INTEGER NOT NULL DEFAULT 5, bookmark TEXT, bookmark_at TEXT, time_zone TEXT);
CREATE TABLE completions (user_key TEXT NOT NULL, completion_id TEXT NOT NULL,
    exercise_id TEXT NOT NULL, routine_id TEXT, reps INTEGER NOT NULL,
    seconds INTEGER NOT NULL, local_day TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (user_key, completion_id));
CREATE TABLE pain_ratings (user_key TEXT NOT NULL, rating_id TEXT NOT NULL,
    rating INTEGER NOT NULL, local_day TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (user_key, rating_id));
PRAGMA user_version = 2;
"""
DAY = date(2026, 11, 25)


def clock() -> datetime:
    return datetime(2026, 11, 25, 20, tzinfo=UTC)


def test_a_version_2_file_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(VERSION_2)
        db.executemany(
            "INSERT INTO completions VALUES (?, ?, ?, NULL, 8, 60, ?, ?)",
            [
                ("u1", "a", "pelvic_tilts", "2026-11-24", "2026-11-24T09:00:00+00:00"),
                ("u1", "b", "pelvic_tilts", "2026-11-25", "2026-11-25T09:00:00+00:00"),
                ("u1", "c", "ankle_rolls", "2026-11-25", "2026-11-25T15:00:00+00:00"),
            ],
        )
        db.execute("INSERT INTO users (user_key, daily_goal) VALUES ('u1', 3)")
    store = SqliteStore(path, clock=clock)

    before = store.load("u1")
    at = datetime(2026, 11, 25, 18, tzinfo=UTC)
    store.save(
        "u1", UserUpdate(completions=(Completion("d", "heel_slides", None, 8, 60, DAY, at, 1080),))
    )
    after = store.load("u1")

    assert before.daily_goal == 3
    assert [(d.sets, d.snacks) for d in before.days] == [(1, 1), (2, 1)]
    assert (after.day(DAY).sets, after.day(DAY).minutes, after.day(DAY).snacks) == (3, (1080,), 1)
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
        indexes = {row[1] for row in db.execute("PRAGMA index_list(completions)")}
    assert "completions_by_day" in indexes
