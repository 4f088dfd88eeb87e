"""The embedded SQLite store: the default for ``chat`` and local runs."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import asdict
from pathlib import Path

from skill.progress.store import (
    DEFAULT_DAILY_GOAL,
    Bookmark,
    StoreError,
    UserSnapshot,
    UserUpdate,
    _Keep,
)

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS users (
    user_key TEXT PRIMARY KEY,
    disclaimer_heard INTEGER NOT NULL DEFAULT 0,
    daily_goal INTEGER NOT NULL DEFAULT {DEFAULT_DAILY_GOAL},
    bookmark TEXT
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
"""


class SqliteStore:
    """A ProgressStore in one SQLite file; each save is one transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)

    def init(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        try:
            return sqlite3.connect(self.path, timeout=5)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the SQLite store: {exc}") from exc

    def load(self, user_key: str) -> UserSnapshot:
        try:
            with closing(self._connect()) as db:
                row = db.execute(
                    "SELECT disclaimer_heard, daily_goal, bookmark FROM users WHERE user_key = ?",
                    (user_key,),
                ).fetchone()
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc
        if row is None:
            return UserSnapshot()
        bookmark = None
        if row[2]:
            data = json.loads(row[2])
            bookmark = Bookmark(**{**data, "exercise_ids": tuple(data["exercise_ids"])})
        return UserSnapshot(disclaimer_heard=bool(row[0]), daily_goal=row[1], bookmark=bookmark)

    def save(self, user_key: str, update: UserUpdate) -> None:
        if update.is_empty:
            return
        try:
            with closing(self._connect()) as db, db:
                db.execute("INSERT OR IGNORE INTO users (user_key) VALUES (?)", (user_key,))
                if update.disclaimer_heard:
                    db.execute(
                        "UPDATE users SET disclaimer_heard = 1 WHERE user_key = ?", (user_key,)
                    )
                if update.daily_goal is not None:
                    db.execute(
                        "UPDATE users SET daily_goal = ? WHERE user_key = ?",
                        (update.daily_goal, user_key),
                    )
                if not isinstance(update.bookmark, _Keep):
                    value = json.dumps(asdict(update.bookmark)) if update.bookmark else None
                    db.execute(
                        "UPDATE users SET bookmark = ? WHERE user_key = ?", (value, user_key)
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
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc

    def delete_user(self, user_key: str) -> None:
        try:
            with closing(self._connect()) as db, db:
                db.execute("DELETE FROM users WHERE user_key = ?", (user_key,))
                db.execute("DELETE FROM completions WHERE user_key = ?", (user_key,))
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc
