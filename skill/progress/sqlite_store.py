"""The embedded SQLite store: the default for ``chat`` and local runs.

One row per user (goal, disclaimer, bookmark, time zone), one row per completed
set and per pain rating. The primary keys ``(user_key, completion_id)`` and
``(user_key, rating_id)`` make a retried request count once (INSERT OR IGNORE).
A load is one read transaction, a save one write transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from skill.progress.store import (
    BOOKMARK_MAX_AGE_DAYS,
    DEFAULT_DAILY_GOAL,
    PERSON_SEPARATOR,
    RETENTION_DAYS,
    Bookmark,
    DayTotal,
    StoreError,
    UserSnapshot,
    UserUpdate,
    _Keep,
)

SCHEMA_VERSION = 2
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS users (
    user_key TEXT PRIMARY KEY,
    disclaimer_heard INTEGER NOT NULL DEFAULT 0,
    daily_goal INTEGER NOT NULL DEFAULT {DEFAULT_DAILY_GOAL},
    bookmark TEXT,
    bookmark_at TEXT,
    time_zone TEXT
);
CREATE TABLE IF NOT EXISTS completions (
    user_key TEXT NOT NULL,
    completion_id TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    routine_id TEXT,
    reps INTEGER NOT NULL,
    seconds INTEGER NOT NULL,
    local_day TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (user_key, completion_id)
);
CREATE TABLE IF NOT EXISTS pain_ratings (
    user_key TEXT NOT NULL,
    rating_id TEXT NOT NULL,
    rating INTEGER NOT NULL,
    local_day TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (user_key, rating_id)
);
PRAGMA user_version = {SCHEMA_VERSION};
"""
TABLES = ("users", "completions", "pain_ratings")
# Stores made by the first skeleton lack these columns; CREATE IF NOT EXISTS keeps them.
MIGRATIONS = (
    "ALTER TABLE users ADD COLUMN bookmark_at TEXT",
    "ALTER TABLE users ADD COLUMN time_zone TEXT",
)

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SqliteStore:
    """A ProgressStore in one SQLite file; each save is one transaction."""

    def __init__(self, path: str | Path, clock: Clock = _utc_now) -> None:
        self.path = str(path)
        self.clock = clock

    def init(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with self._transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'users'")
            if tables.fetchone()[0] and version < SCHEMA_VERSION:
                for statement in MIGRATIONS:
                    db.execute(statement)
            db.executescript(SCHEMA)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            with closing(sqlite3.connect(self.path, timeout=5)) as db, db:
                # Deleted health data must not linger in the file's free pages.
                db.execute("PRAGMA secure_delete = ON")
                yield db
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite store: {exc}") from exc

    def load(self, user_key: str) -> UserSnapshot:
        oldest = (self.clock().date() - timedelta(days=RETENTION_DAYS)).isoformat()
        with self._transaction() as db:
            user = db.execute(
                "SELECT disclaimer_heard, daily_goal, bookmark, bookmark_at, time_zone"
                " FROM users WHERE user_key = ?",
                (user_key,),
            ).fetchone()
            sets = db.execute(
                "SELECT local_day, exercise_id, count(*), sum(seconds) FROM completions"
                " WHERE user_key = ? AND local_day >= ? GROUP BY local_day, exercise_id",
                (user_key, oldest),
            ).fetchall()
            pain = db.execute(
                "SELECT local_day, rating FROM pain_ratings"
                " WHERE user_key = ? AND local_day >= ? ORDER BY rowid",
                (user_key, oldest),
            ).fetchall()
        days = _day_totals(sets, pain)
        if user is None:
            return UserSnapshot(days=days)
        return UserSnapshot(
            disclaimer_heard=bool(user[0]),
            daily_goal=user[1],
            bookmark=self._fresh_bookmark(user[2], user[3]),
            time_zone=user[4],
            days=days,
        )

    def _fresh_bookmark(self, value: str | None, at: str | None) -> Bookmark | None:
        if not value or not at:
            return None
        if datetime.fromisoformat(at) < self.clock() - timedelta(days=BOOKMARK_MAX_AGE_DAYS):
            return None
        data = json.loads(value)
        return Bookmark(**{**data, "exercise_ids": tuple(data["exercise_ids"])})

    def save(self, user_key: str, update: UserUpdate) -> None:
        if update.is_empty:
            return
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO users (user_key) VALUES (?)", (user_key,))
            if update.disclaimer_heard:
                db.execute("UPDATE users SET disclaimer_heard = 1 WHERE user_key = ?", (user_key,))
            if update.daily_goal is not None:
                db.execute(
                    "UPDATE users SET daily_goal = ? WHERE user_key = ?",
                    (update.daily_goal, user_key),
                )
            if update.time_zone is not None:
                db.execute(
                    "UPDATE users SET time_zone = ? WHERE user_key = ?",
                    (update.time_zone, user_key),
                )
            if not isinstance(update.bookmark, _Keep):
                value = json.dumps(asdict(update.bookmark)) if update.bookmark else None
                db.execute(
                    "UPDATE users SET bookmark = ?, bookmark_at = ? WHERE user_key = ?",
                    (value, self.clock().isoformat(), user_key),
                )
            db.executemany(
                "INSERT OR IGNORE INTO completions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        user_key,
                        c.completion_id,
                        c.exercise_id,
                        c.routine_id,
                        c.reps,
                        c.seconds,
                        c.local_day.isoformat(),
                        c.at.isoformat(),
                    )
                    for c in update.completions
                ],
            )
            db.executemany(
                "INSERT OR IGNORE INTO pain_ratings VALUES (?, ?, ?, ?, ?)",
                [
                    (user_key, p.rating_id, p.rating, p.local_day.isoformat(), p.at.isoformat())
                    for p in update.pain_ratings
                ],
            )
            # Like DynamoDB's TTL: nothing of the user is kept past the retention window.
            oldest = (self.clock().date() - timedelta(days=RETENTION_DAYS)).isoformat()
            for table in ("completions", "pain_ratings"):
                db.execute(
                    f"DELETE FROM {table} WHERE user_key = ? AND local_day < ?", (user_key, oldest)
                )

    def delete_user(self, user_key: str) -> None:
        with self._transaction() as db:
            for table in TABLES:
                db.execute(f"DELETE FROM {table} WHERE user_key = ?", (user_key,))

    def delete_account(self, account_key: str) -> None:
        people = account_key + PERSON_SEPARATOR + "%"
        with self._transaction() as db:
            for table in TABLES:
                db.execute(
                    f"DELETE FROM {table} WHERE user_key = ? OR user_key LIKE ?",
                    (account_key, people),
                )


def _day_totals(
    sets: list[tuple[str, str, int, int]], pain: list[tuple[str, int]]
) -> tuple[DayTotal, ...]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    seconds: dict[str, int] = defaultdict(int)
    ratings: dict[str, list[int]] = defaultdict(list)
    for day, exercise_id, count, total_seconds in sets:
        counts[day][exercise_id] = count
        seconds[day] += total_seconds
    for day, rating in pain:
        ratings[day].append(rating)
    return tuple(
        DayTotal(
            day=date.fromisoformat(day),
            sets=sum(counts[day].values()),
            seconds=seconds[day],
            exercises=dict(counts[day]),
            pain=tuple(ratings[day]),
        )
        for day in sorted(counts.keys() | ratings.keys())
    )
