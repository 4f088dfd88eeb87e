"""Plans in the embedded SQLite store's own file: three tables beside the progress ones.

The file's mode (0600) and first-use creation follow the progress store
(:func:`skill.progress.sqlite_schema.owner_only_file`). Each method is one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path

from skill.plans.model import Attempts, Link, PrescribedPlan, StoredPlan
from skill.plans.store import CodeTakenError, PlanNotFoundError
from skill.progress.sqlite_schema import connected, owner_only_file
from skill.progress.store import PERSON_SEPARATOR, StoreUnavailableError

SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    code TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    links INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS plan_links (
    user_key TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    number INTEGER NOT NULL,
    linked_at TEXT NOT NULL,
    sharing INTEGER,
    previous_goal INTEGER
);
CREATE TABLE IF NOT EXISTS plan_attempts (
    user_key TEXT PRIMARY KEY,
    tries INTEGER NOT NULL,
    locked_until TEXT
);
"""
LINK_COLUMNS = "code, number, user_key, linked_at, sharing, previous_goal"


class SqlitePlanStore:
    """A PlanStore in the progress store's SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._ready = False

    def init(self) -> None:
        if self.path != ":memory:":
            owner_only_file(Path(self.path))
        with self._connected() as db:
            db.executescript(SCHEMA)
        self._ready = self.path != ":memory:"

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self.init()
        with self._connected() as db:
            yield db

    def _connected(self) -> AbstractContextManager[sqlite3.Connection]:
        return connected(self.path, "SQLite plan store")

    def create(self, stored: StoredPlan) -> None:
        try:
            with self._transaction() as db:
                db.execute(
                    "INSERT INTO plans (code, body, created_at, expires_at) VALUES (?, ?, ?, ?)",
                    (
                        stored.code,
                        stored.plan.to_json(),
                        stored.created_at.isoformat(),
                        stored.expires_at.isoformat(),
                    ),
                )
        except StoreUnavailableError as exc:
            if isinstance(exc.__cause__, sqlite3.IntegrityError):
                raise CodeTakenError(f"code {stored.code} is taken") from exc
            raise

    def find(self, code: str) -> StoredPlan | None:
        with self._transaction() as db:
            return _plan(db, code)

    def revoke(self, code: str) -> None:
        with self._transaction() as db:
            if db.execute("UPDATE plans SET revoked = 1 WHERE code = ?", (code,)).rowcount == 0:
                raise PlanNotFoundError(f"no plan {code}")

    def patients(self, code: str) -> tuple[StoredPlan | None, tuple[Link, ...]]:
        with self._transaction() as db:
            rows = db.execute(
                f"SELECT {LINK_COLUMNS} FROM plan_links WHERE code = ? ORDER BY number", (code,)
            ).fetchall()
            return _plan(db, code), tuple(_link(row) for row in rows)

    def user_state(self, user_key: str) -> tuple[Link | None, Attempts]:
        with self._transaction() as db:
            row = db.execute(
                f"SELECT {LINK_COLUMNS} FROM plan_links WHERE user_key = ?", (user_key,)
            ).fetchone()
            tries = db.execute(
                "SELECT tries, locked_until FROM plan_attempts WHERE user_key = ?", (user_key,)
            ).fetchone()
        attempts = Attempts()
        if tries is not None:
            until = datetime.fromisoformat(tries[1]) if tries[1] else None
            attempts = Attempts(tries[0], until)
        return (_link(row) if row else None), attempts

    def set_attempts(self, user_key: str, attempts: Attempts) -> None:
        until = attempts.locked_until.isoformat() if attempts.locked_until else None
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO plan_attempts VALUES (?, ?, ?)",
                (user_key, attempts.tries, until),
            )

    def add_link(self, user_key: str, code: str, now: datetime, previous_goal: int | None) -> Link:
        with self._transaction() as db:
            updated = db.execute("UPDATE plans SET links = links + 1 WHERE code = ?", (code,))
            if updated.rowcount == 0:
                raise PlanNotFoundError(f"no plan {code}")
            number = db.execute("SELECT links FROM plans WHERE code = ?", (code,)).fetchone()[0]
            link = Link(code, number, user_key, now, None, previous_goal)
            db.execute(
                f"INSERT OR REPLACE INTO plan_links ({LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                (code, number, user_key, now.isoformat(), None, previous_goal),
            )
            db.execute("DELETE FROM plan_attempts WHERE user_key = ?", (user_key,))
        return link

    def set_sharing(self, link: Link, sharing: bool) -> Link:
        with self._transaction() as db:
            db.execute(
                "UPDATE plan_links SET sharing = ? WHERE user_key = ? AND code = ?",
                (int(sharing), link.user_key, link.code),
            )
        return Link(
            link.code, link.number, link.user_key, link.linked_at, sharing, link.previous_goal
        )

    def remove_link(self, link: Link) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM plan_links WHERE user_key = ?", (link.user_key,))

    def forget_user(self, user_key: str) -> None:
        with self._transaction() as db:
            for table in ("plan_links", "plan_attempts"):
                db.execute(f"DELETE FROM {table} WHERE user_key = ?", (user_key,))

    def forget_account(self, account_key: str) -> None:
        people = account_key + PERSON_SEPARATOR + "%"
        with self._transaction() as db:
            for table in ("plan_links", "plan_attempts"):
                db.execute(
                    f"DELETE FROM {table} WHERE user_key = ? OR user_key LIKE ?",
                    (account_key, people),
                )


def _plan(db: sqlite3.Connection, code: str) -> StoredPlan | None:
    row = db.execute(
        "SELECT body, created_at, expires_at, revoked FROM plans WHERE code = ?", (code,)
    ).fetchone()
    if row is None:
        return None
    return StoredPlan(
        code,
        PrescribedPlan.from_json(row[0]),
        datetime.fromisoformat(row[1]),
        datetime.fromisoformat(row[2]),
        bool(row[3]),
    )


def _link(row: tuple[str, int, str, str, int | None, int | None]) -> Link:
    sharing = None if row[4] is None else bool(row[4])
    return Link(row[0], row[1], row[2], datetime.fromisoformat(row[3]), sharing, row[5])
