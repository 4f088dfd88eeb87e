"""Pain ratings are stored only where the deployment opts in (STORE_PAIN_RATINGS), on
every path: a turn's own rating, one carried in the session, one replayed from the
fallback queue, on SQLite and on DynamoDB.

Prevents: the opt-in being checked where a rating is heard, but not where a rating
comes back (session attributes, the queue), so a deployment that keeps no health
data stored some anyway.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from skill.builder import build_skill
from skill.progress import replay
from skill.progress.dynamodb_store import DynamoDbStore
from skill.progress.factory import store_from_settings
from skill.progress.fallback import encode
from skill.progress.sqlite_store import SqliteStore
from skill.progress.store import Completion, PainRating, UserUpdate
from skill.settings import Settings
from skill.turn.identity import user_key
from tests.conftest import Talk

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

ASK = "alexa ask movement snacks to "
DAY = date(2026, 11, 25)
AT = datetime(2026, 11, 25, 12, tzinfo=UTC)
USER = "0" * 32
POLICIES = [pytest.param(False, id="opted-out"), pytest.param(True, id="opted-in")]


def clock() -> datetime:
    return datetime(2026, 11, 25, 18, tzinfo=UTC)


def stored_ratings(path: Path) -> list[int]:
    with closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute("SELECT rating FROM pain_ratings")]


def stored_sets(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        count: int = db.execute("SELECT count(*) FROM completions").fetchone()[0]
        return count


def queued_event(*bodies: str) -> dict[str, Any]:
    return {"Records": [{"messageId": f"m{i}", "body": b} for i, b in enumerate(bodies)]}


QUEUED = UserUpdate(
    completions=(Completion("r1", "pelvic_tilts", None, 8, 60, DAY, AT),),
    pain_ratings=(PainRating("r1#pain", 8, DAY, AT),),
)


NO_FAILURES: dict[str, Any] = {"batchItemFailures": []}


def replay_as_deployed(
    monkeypatch: pytest.MonkeyPatch, store_url: str, opted_in: bool
) -> dict[str, Any]:
    """The replay Lambda's real entry point, configured by its environment, replaying
    one queued message with a set and a pain rating."""
    monkeypatch.setenv("PROGRESS_STORE", store_url)
    monkeypatch.setenv("STORE_PAIN_RATINGS", "true" if opted_in else "false")
    replay.store.cache_clear()
    try:
        return replay.handler(queued_event(encode(USER, QUEUED)), None)
    finally:
        replay.store.cache_clear()


@pytest.mark.parametrize("opted_in", POLICIES)
def test_a_rating_carried_in_the_session_is_stored_only_when_opted_in(
    tmp_path: Path, opted_in: bool
) -> None:
    # GIVEN a session carrying an unsaved set and pain rating (as a failed write leaves them)
    path = tmp_path / "progress.sqlite3"
    settings = Settings(progress_store=f"sqlite:///{path}", store_pain_ratings=opted_in)
    store = store_from_settings(settings)
    assert isinstance(store, SqliteStore)
    talk = Talk(build_skill(settings, store, clock, time_zones=lambda _: None), store)
    talk.launch()
    talk.conversation.attributes["unsaved"] = {
        "goal": None,
        "sets": [
            {
                "id": "carried-1",
                "exercise": "pelvic_tilts",
                "routine": None,
                "reps": 8,
                "seconds": 60,
                "day": DAY.isoformat(),
                "at": AT.isoformat(),
            }
        ],
        "pain": [
            {"id": "carried-1#pain", "rating": 7, "day": DAY.isoformat(), "at": AT.isoformat()}
        ],
    }

    # WHEN the next turn of that session writes what it carried
    talk.say("how am I doing")

    # THEN the set is stored, and the rating only where the deployment keeps ratings
    assert stored_sets(path) == 1
    assert stored_ratings(path) == ([7] if opted_in else [])


@pytest.mark.parametrize("opted_in", POLICIES)
def test_the_replay_handler_stores_a_queued_rating_only_when_opted_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opted_in: bool
) -> None:
    path = tmp_path / "replay" / "progress.sqlite3"  # new: the replay makes it on first use
    assert replay_as_deployed(monkeypatch, f"sqlite:///{path}", opted_in) == NO_FAILURES
    assert stored_sets(path) == 1
    assert stored_ratings(path) == ([8] if opted_in else [])


@pytest.mark.integration
@pytest.mark.parametrize("opted_in", POLICIES)
def test_the_replay_handler_on_dynamodb_stores_a_rating_only_when_opted_in(
    aws_env: str,
    monkeypatch: pytest.MonkeyPatch,
    table_name: str,
    dynamodb_client: DynamoDBClient,
    opted_in: bool,
) -> None:
    assert replay_as_deployed(monkeypatch, f"dynamodb://{table_name}", opted_in) == NO_FAILURES
    day = DynamoDbStore(table_name, client=dynamodb_client, clock=clock).load(USER).day(DAY)
    assert (day.sets, day.pain) == (1, (8,) if opted_in else ())
    items = dynamodb_client.scan(TableName=table_name)["Items"]
    assert any("pain" in item for item in items) is opted_in


@pytest.mark.integration
def test_a_skill_on_dynamodb_without_the_opt_in_never_stores_a_heard_or_carried_rating(
    table_name: str, dynamodb_client: DynamoDBClient
) -> None:
    # The handler is told the deployment keeps ratings; the store it was given does not.
    settings = Settings(store_pain_ratings=True)
    store = DynamoDbStore(table_name, client=dynamodb_client, clock=clock)
    talk = Talk(build_skill(settings, store, clock, time_zones=lambda _: None), store)  # type: ignore[arg-type]
    talk.say(ASK + "start pelvic tilts")
    talk.say("3")

    key = user_key(settings.user_key_salt, talk.conversation.user_id)
    day = store.load(key).day(DAY)
    assert (day.sets, day.pain) == (1, ())
