"""A real DynamoDB-compatible server for the integration tier: dynalite from npm.

The session fixture installs dynalite (see dynalite.py) and starts one in-memory
server per pytest-xdist worker on a free loopback port; each test gets a fresh table.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from skill.progress.dynamodb_store import DynamoDbStore
from skill.progress.sqlite_store import SqliteStore
from skill.progress.store import ProgressStore
from tests.integration import dynalite
from tests.integration.dynalite import local_client

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from skill.plans.model import StoredPlan
    from skill.plans.store import PlanStore


@pytest.fixture(scope="session")
def dynalite_endpoint() -> Iterator[str]:
    """One dynalite per test worker, on its own free loopback port."""
    with dynalite.running() as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def dynamodb_client(dynalite_endpoint: str) -> DynamoDBClient:
    return local_client(dynalite_endpoint)


@pytest.fixture
def table_name(dynamodb_client: DynamoDBClient) -> str:
    """A fresh table per test, created exactly as `movement-snacks store init` does."""
    name = f"progress-{uuid.uuid4().hex[:12]}"
    DynamoDbStore(name, client=dynamodb_client).init()
    return name


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, dynalite_endpoint: str) -> str:
    """Point boto3's own configuration at the local server, as a developer would."""
    for name, value in {
        "AWS_ENDPOINT_URL_DYNAMODB": dynalite_endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return dynalite_endpoint


class FakeClock:
    """The stores' notion of now (retention, bookmark age), moved by the tests."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Backend:
    """One store implementation under the shared contract, plus a look at its raw storage.

    The store keeps pain ratings (a deployment that opted in), unless a test says otherwise.

    ``raw_rows(key)`` counts everything stored under a user key or account key
    (voice profiles included), bypassing the store's own reading code.
    """

    name: str
    store: ProgressStore
    clock: FakeClock
    raw_rows: Callable[[str], int]
    # The same storage opened by a deployment with STORE_PAIN_RATINGS off.
    without_pain_ratings: ProgressStore


def _sqlite_backend(tmp_path: Path, clock: FakeClock) -> Backend:
    path = tmp_path / "progress.sqlite3"
    store = SqliteStore(path, clock=clock, store_pain_ratings=True)
    store.init()  # as `movement-snacks store init` does; first use is tested on its own

    def raw_rows(user_key: str) -> int:
        with closing(sqlite3.connect(path)) as db:
            return sum(
                db.execute(
                    f"SELECT count(*) FROM {table} WHERE user_key = ? OR user_key LIKE ?",
                    (user_key, user_key + "/%"),
                ).fetchone()[0]
                for table in ("users", "completions", "pain_ratings")
            )

    return Backend("sqlite", store, clock, raw_rows, SqliteStore(path, clock=clock))


def _dynamodb_backend(client: DynamoDBClient, table: str, clock: FakeClock) -> Backend:
    def raw_rows(user_key: str) -> int:
        # A full scan, on purpose: nothing of the user may be left anywhere in the table.
        items = client.scan(TableName=table)["Items"]
        return sum(1 for item in items if user_key in item["pk"]["S"])

    store = DynamoDbStore(table, client=client, clock=clock, store_pain_ratings=True)
    opted_out = DynamoDbStore(table, client=client, clock=clock)
    return Backend("dynamodb", store, clock, raw_rows, opted_out)


START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("dynamodb", marks=pytest.mark.integration)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Each contract test runs once per store: the embedded SQLite file and DynamoDB."""
    clock = FakeClock(START)
    if request.param == "sqlite":
        return _sqlite_backend(tmp_path, clock)
    client = request.getfixturevalue("dynamodb_client")
    return _dynamodb_backend(client, request.getfixturevalue("table_name"), clock)


@pytest.fixture
def plans(backend: Backend) -> PlanStore:
    """The plan store beside the backend's progress store (same file or table)."""
    from skill.plans.store import plan_store_for

    return plan_store_for(backend.store)


@pytest.fixture
def knee(plans: PlanStore, backend: Backend) -> StoredPlan:
    """The example knee plan, created on the backend's clock."""
    from tests.integration.plan_helpers import example_plan

    return example_plan(plans, backend)
