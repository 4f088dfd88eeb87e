"""The SQLite store's schema and file: created on first use, migrated in place.

Kept apart from :mod:`skill.progress.sqlite_store` (the per-turn reads and
writes), as DynamoDB's table creation is kept apart from its store.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from skill.progress.store import DEFAULT_DAILY_GOAL, StoreUnavailableError

SCHEMA_VERSION = 3
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
    local_minute INTEGER,
    PRIMARY KEY (user_key, completion_id)
);
CREATE INDEX IF NOT EXISTS completions_by_day ON completions (user_key, local_day);
CREATE TABLE IF NOT EXISTS pain_ratings (
    user_key TEXT NOT NULL,
    rating_id TEXT NOT NULL,
    rating INTEGER NOT NULL,
    local_day TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (user_key, rating_id)
);
CREATE INDEX IF NOT EXISTS pain_ratings_by_day ON pain_ratings (user_key, local_day);
PRAGMA user_version = {SCHEMA_VERSION};
"""
TABLES = ("users", "completions", "pain_ratings")
# What a store of an older schema version lacks (CREATE IF NOT EXISTS keeps its
# tables as they are): each statement with the version that brought it. Sets stored
# before version 3 have no local minute: each of their days reads as one snack.
MIGRATIONS = (
    (2, "ALTER TABLE users ADD COLUMN bookmark_at TEXT"),
    (2, "ALTER TABLE users ADD COLUMN time_zone TEXT"),
    (3, "ALTER TABLE completions ADD COLUMN local_minute INTEGER"),
)

FILE_MODE, FOLDER_MODE = 0o600, 0o700


def create_schema(db: sqlite3.Connection) -> None:
    """Create the tables, or add what a store made by an older version lacks."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    tables = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'users'")
    if tables.fetchone()[0] and version < SCHEMA_VERSION:
        for introduced, statement in MIGRATIONS:
            if version < introduced:
                db.execute(statement)
    db.executescript(SCHEMA)


def owner_only_file(path: Path) -> None:
    """Make the database file (and a folder made for it) readable by its owner alone.

    SQLite gives its journal files the database file's mode, so they follow.
    """
    try:
        if not path.parent.exists():
            try:
                path.parent.mkdir(mode=FOLDER_MODE, parents=True)
            except FileExistsError:
                pass  # made meanwhile by another process: its mode is not ours to change
            else:
                path.parent.chmod(FOLDER_MODE)  # mkdir's mode passes through the umask
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE))
        if path.stat().st_mode & 0o777 != FILE_MODE:
            path.chmod(FILE_MODE)
    except OSError as exc:
        raise StoreUnavailableError(f"SQLite store file: {type(exc).__name__}") from exc


@contextmanager
def connected(path: str, name: str) -> Iterator[sqlite3.Connection]:
    """One transaction on the SQLite file at ``path`` (the progress store and the plan
    store share it); any SQLite failure is a StoreUnavailableError naming ``name`` and
    the error's type, never the query or its values."""
    try:
        with closing(sqlite3.connect(path, timeout=5)) as db, db:
            # Deleted health data must not linger in the file's free pages.
            db.execute("PRAGMA secure_delete = ON")
            yield db
    except sqlite3.Error as exc:
        raise StoreUnavailableError(f"{name}: {type(exc).__name__}") from exc
