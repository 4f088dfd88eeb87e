"""The embedded SQLite store: the default for ``chat`` and local runs.

One row per user (goal, disclaimer, bookmark, time zone), one row per completed
set (with its local minute of the day) and per pain rating, indexed by user and
day. A load sums up the newest :data:`WINDOW_DAYS` days and reads only the dates
of the days before (for streaks, from the index alone). The primary keys
``(user_key, completion_id)`` and ``(user_key, rating_id)`` make a retried request
count once (INSERT OR IGNORE).
A load is one read transaction, a save one write transaction.

The store is embedded: it creates (or migrates) its schema on first use, under
every entry point (``chat``, ``serve``, Lambda, ``store init``). The file holds
health data, so it is made readable by its owner alone (0600), and a folder the
store creates for it too (0700); a folder that already exists is left as it is.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from skill.progress.bookmarks import decode_bookmark, encode_bookmark
from skill.progress.sqlite_schema import TABLES, connected, create_schema, owner_only_file
from skill.progress.store import (
    PERSON_SEPARATOR,
    RETENTION_DAYS,
    DayTotal,
    Keep,
    UserSnapshot,
    UserUpdate,
)
from skill.progress.streaks import StreakHistory, kept, runs_of

MEMORY = ":memory:"
# A load sums up each of these newest days (more than the 14 local days the week and
# the pain trend need, whatever the user's zone); earlier days only as streak runs.
WINDOW_DAYS = 15

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SqliteStore:
    """A ProgressStore in one SQLite file; each save is one transaction.

    ``store_pain_ratings`` is the deployment's policy (STORE_PAIN_RATINGS): without
    it no pain rating is ever written, whichever way an update came.
    """

    def __init__(
        self, path: str | Path, clock: Clock = _utc_now, *, store_pain_ratings: bool = False
    ) -> None:
        self.path = str(path)
        self.clock = clock
        self.store_pain_ratings = store_pain_ratings
        self._ready = False
        self._ready_lock = threading.Lock()

    def init(self) -> None:
        """Create or migrate the schema (idempotent); the first load or save does it too."""
        with self._ready_lock:
            self._create_schema()

    def _create_schema(self) -> None:
        """Called holding ``_ready_lock``."""
        if self.path != MEMORY:
            owner_only_file(Path(self.path))
        with self._connected() as db:
            create_schema(db)
        # An in-memory database lives as long as one connection: each needs the schema.
        self._ready = self.path != MEMORY

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            with self._ready_lock:
                if not self._ready:  # another thread may have made it meanwhile
                    self._create_schema()
        with self._connected() as db:
            yield db

    def _connected(self) -> AbstractContextManager[sqlite3.Connection]:
        return connected(self.path, "SQLite store")

    def load(self, user_key: str) -> UserSnapshot:
        return self._load(user_key, WINDOW_DAYS)

    def load_whole_history(self, user_key: str) -> UserSnapshot:
        return self._load(user_key, RETENTION_DAYS + 1)

    def _load(self, user_key: str, window_days: int) -> UserSnapshot:
        today = self.clock().date()
        oldest = (today - timedelta(days=RETENTION_DAYS)).isoformat()
        # Day totals of the newest days only (the week and the pain trend); the days
        # before are read as a list of dates, summed up into streak runs.
        until = today - timedelta(days=window_days)
        recent = (user_key, max(until.isoformat(), oldest))
        with self._transaction() as db:
            user = db.execute(
                "SELECT disclaimer_heard, daily_goal, bookmark, bookmark_at, time_zone"
                " FROM users WHERE user_key = ?",
                (user_key,),
            ).fetchone()
            sets = db.execute(
                "SELECT local_day, exercise_id, count(*), sum(seconds) FROM completions"
                " WHERE user_key = ? AND local_day >= ? GROUP BY local_day, exercise_id",
                recent,
            ).fetchall()
            pain = db.execute(
                "SELECT local_day, rating FROM pain_ratings"
                " WHERE user_key = ? AND local_day >= ? ORDER BY rowid",
                recent,
            ).fetchall()
            minutes = db.execute(
                "SELECT DISTINCT local_day, local_minute FROM completions"
                " WHERE user_key = ? AND local_day >= ? AND local_minute IS NOT NULL",
                recent,
            ).fetchall()
            earlier = db.execute(
                "SELECT DISTINCT local_day FROM completions"
                " WHERE user_key = ? AND local_day >= ? AND local_day < ?",
                (user_key, oldest, until.isoformat()),
            ).fetchall()
        days = _day_totals(sets, pain, minutes)
        runs = kept(runs_of(date.fromisoformat(row[0]) for row in earlier))
        # Without earlier sets, the days read are all a summary needs: no history.
        history = StreakHistory(until, runs) if runs else None
        if user is None:
            return UserSnapshot(days=days, history=history)
        written = datetime.fromisoformat(user[3]) if user[3] else None
        return UserSnapshot(
            disclaimer_heard=bool(user[0]),
            daily_goal=user[1],
            bookmark=decode_bookmark(user[2], written, self.clock()),
            time_zone=user[4],
            days=days,
            history=history,
        )

    def save(self, user_key: str, update: UserUpdate) -> None:
        # The users row never expires: nothing needs carrying forward (update.carry_forward).
        update = update.kept_by(self.store_pain_ratings)
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
            if not isinstance(update.bookmark, Keep):
                value = encode_bookmark(update.bookmark) if update.bookmark else None
                db.execute(
                    "UPDATE users SET bookmark = ?, bookmark_at = ? WHERE user_key = ?",
                    (value, self.clock().isoformat(), user_key),
                )
            db.executemany(
                "INSERT OR IGNORE INTO completions (user_key, completion_id, exercise_id,"
                " routine_id, reps, seconds, local_day, at, local_minute)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                        c.minute,
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
    sets: list[tuple[str, str, int, int]],
    pain: list[tuple[str, int]],
    minutes: list[tuple[str, int]],
) -> tuple[DayTotal, ...]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    seconds: dict[str, int] = defaultdict(int)
    ratings: dict[str, list[int]] = defaultdict(list)
    heard: dict[str, set[int]] = defaultdict(set)
    for day, minute in minutes:
        heard[day].add(minute)
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
            minutes=tuple(sorted(heard[day])),
        )
        for day in sorted(counts.keys() | ratings.keys())
    )
