"""DynamoDB specifics: calls per turn, the IAM policy, faults and retries, table creation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner

from skill.builder import build_skill
from skill.cli import main
from skill.progress.dynamodb_store import IAM_ACTIONS, SAVE_ACTIONS, DynamoDbStore
from skill.progress.factory import open_store
from skill.progress.fallback import encode
from skill.progress.replay import replay
from skill.progress.store import (
    RETENTION_DAYS,
    Bookmark,
    CarriedValue,
    Completion,
    PainRating,
    StoreError,
    UserUpdate,
)
from skill.settings import Settings
from skill.turn.identity import user_key
from tests.conftest import Talk
from tests.integration.conftest import local_client
from tests.integration.faults import FORWARD, HANG, THROTTLE, faulty_proxy

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

DAY = date(2026, 11, 25)
NOON = datetime(2026, 11, 25, 12, tzinfo=UTC)


def clock() -> datetime:
    """The stores' now: fixed, so DAY never falls out of retention as years pass."""
    return datetime(2026, 11, 25, 18, tzinfo=UTC)


PAUSED = Bookmark(None, ("pelvic_tilts",), 0, 8, "normal")


def completion(request_id: str) -> Completion:
    return Completion(request_id, "pelvic_tilts", None, 8, 60, DAY, datetime(2026, 11, 25, 12))


class CallLog:
    """Records every DynamoDB operation a client sends."""

    def __init__(self, client: DynamoDBClient) -> None:
        self.calls: list[str] = []
        client.meta.events.register("before-call.dynamodb", self._record)

    def _record(self, model: Any, **_: Any) -> None:
        self.calls.append(model.name)

    def take(self) -> list[str]:
        calls, self.calls = self.calls, []
        return calls


@pytest.fixture
def logged(dynalite_endpoint: str, table_name: str) -> tuple[DynamoDbStore, CallLog]:
    client = local_client(dynalite_endpoint)
    return DynamoDbStore(table_name, client=client, clock=clock), CallLog(client)


def test_a_turn_costs_one_query_and_one_update(logged: tuple[DynamoDbStore, CallLog]) -> None:
    store, log = logged
    store.load("u1")
    assert log.take() == ["Query"]

    store.save("u1", UserUpdate(completions=(completion("r1"),), bookmark=PAUSED))
    assert log.take() == ["UpdateItem"]


def test_a_first_set_that_learns_the_time_zone_costs_one_query_and_one_update(
    logged: tuple[DynamoDbStore, CallLog],
) -> None:
    store, log = logged
    assert store.load("u1").time_zone is None
    assert log.take() == ["Query"]

    learned = UserUpdate(
        completions=(completion("r1"),),
        time_zone="Europe/Berlin",
        disclaimer_heard=True,
        daily_goal=7,
        bookmark=PAUSED,
    )
    store.save("u1", learned)
    assert log.take() == ["UpdateItem"]

    snapshot = store.load("u1")
    assert (snapshot.time_zone, snapshot.disclaimer_heard, snapshot.daily_goal) == (
        "Europe/Berlin",
        True,
        7,
    )
    assert (snapshot.bookmark, snapshot.day(DAY).sets) == (PAUSED, 1)


def test_the_skill_turn_that_completes_the_first_set_and_learns_the_zone_writes_once(
    logged: tuple[DynamoDbStore, CallLog],
) -> None:
    store, log = logged
    skill = build_skill(Settings(), store, clock, time_zones=lambda _: "Europe/Berlin")
    talk = Talk(skill, store)  # type: ignore[arg-type]
    talk.say("alexa ask movement snacks to start a quick snack")
    log.take()

    # The first set counts as the user moves on, and this turn asks for the time zone first.
    assert talk.say("next").startswith("Exercise 2 of 3")

    assert log.take() == ["Query", "UpdateItem"]
    saved = store.load(user_key(Settings().user_key_salt, talk.conversation.user_id))
    assert (saved.time_zone, saved.disclaimer_heard, saved.day(DAY).sets) == (
        "Europe/Berlin",
        True,
        1,
    )


def test_a_carried_value_never_overwrites_a_newer_one_from_another_device(
    logged: tuple[DynamoDbStore, CallLog], table_name: str, dynamodb_client: DynamoDBClient
) -> None:
    store, log = logged
    store.save("u1", UserUpdate(completions=(completion("r1"),), daily_goal=8))
    # The goal of 8 lives only in the day bucket: the load asks the next save to carry it.
    carried = store.load("u1").carry_forward
    other_device = DynamoDbStore(
        table_name, client=dynamodb_client, clock=lambda: clock() + timedelta(minutes=1)
    )
    other_device.save("u1", UserUpdate(daily_goal=6))
    log.take()

    store.save("u1", UserUpdate(bookmark=PAUSED, carry_forward=carried))

    assert log.take() == ["UpdateItem", "UpdateItem"]  # the guarded copy, then without it
    snapshot = store.load("u1")
    assert (snapshot.daily_goal, snapshot.bookmark) == (6, PAUSED)


def test_a_carried_value_is_written_again_by_whichever_container_saves_the_turn(
    logged: tuple[DynamoDbStore, CallLog], table_name: str, dynamodb_client: DynamoDBClient
) -> None:
    """Prevents: the carry-forward depending on hidden state of the store object that
    loaded (another container, or a store rebuilt between load and save, lost it)."""
    store, _ = logged
    store.save("u1", UserUpdate(completions=(completion("r1"),), daily_goal=8))
    loaded = store.load("u1")
    carried = [v for v in loaded.carry_forward if isinstance(v, CarriedValue)]
    assert [(value.name, value.value) for value in carried] == [("daily_goal", 8)]

    other = DynamoDbStore(table_name, client=dynamodb_client, clock=clock)
    other.save("u1", UserUpdate(bookmark=PAUSED, carry_forward=loaded.carry_forward))

    # Once the goal's day bucket is gone, the profile still holds the carried goal.
    later = clock() + timedelta(days=RETENTION_DAYS + 1)
    snapshot = DynamoDbStore(table_name, client=dynamodb_client, clock=lambda: later).load("u1")
    assert (snapshot.days, snapshot.daily_goal, snapshot.carry_forward) == ((), 8, ())


def test_iam_actions_are_exactly_the_calls_the_store_makes(
    logged: tuple[DynamoDbStore, CallLog],
) -> None:
    """The SAM policy is built from IAM_ACTIONS: a missing action fails in AWS only."""
    store, log = logged
    store.save("u1", UserUpdate(completions=(completion("r1"),), daily_goal=7))
    store.save("u1", UserUpdate(completions=(completion("r1"), completion("r2"))))
    store.load("u1")
    store.delete_user("u1")

    assert {f"dynamodb:{call}" for call in log.take()} == set(IAM_ACTIONS)


def test_a_replay_calls_only_the_actions_its_role_is_granted(
    logged: tuple[DynamoDbStore, CallLog],
) -> None:
    """The replay function's policy is SAVE_ACTIONS: a queued update (sets on two days,
    pain ratings) written through the replay entry point must need nothing more."""
    store, log = logged
    user = "0" * 32
    next_day = Completion("r2", "ankle_rolls", "quick_snack", 8, 60, DAY + timedelta(days=1), NOON)
    pain = PainRating("r2#pain", 3, DAY, NOON)
    update = UserUpdate(completions=(completion("r1"), next_day), pain_ratings=(pain,))
    record = {"messageId": "m1", "body": encode(user, update)}

    assert replay({"Records": [record, record]}, store) == {"batchItemFailures": []}

    assert {f"dynamodb:{call}" for call in log.take()} == set(SAVE_ACTIONS)
    assert store.load(user).day(DAY).sets == 1


def test_no_raw_alexa_id_is_stored(
    logged: tuple[DynamoDbStore, CallLog], dynamodb_client: DynamoDBClient, table_name: str
) -> None:
    store, _ = logged
    store.save("u1", UserUpdate(completions=(completion("amzn1.echo-api.request.42#0"),)))

    stored = json.dumps(dynamodb_client.scan(TableName=table_name)["Items"])
    assert "amzn1" not in stored


def test_throttling_past_the_retries_is_a_store_error(
    aws_env: str, monkeypatch: pytest.MonkeyPatch, table_name: str
) -> None:
    with faulty_proxy(aws_env, plan=[], then=THROTTLE) as (url, proxy):
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", url)
        store = DynamoDbStore(table_name, clock=clock)

        with pytest.raises(StoreError):
            store.save("u1", UserUpdate(completions=(completion("r1"),)))

    assert proxy.requests == ["UpdateItem"] * 3  # standard retry mode: three attempts, no more


def test_a_brief_throttle_is_absorbed_and_the_set_counts_once(
    aws_env: str, monkeypatch: pytest.MonkeyPatch, table_name: str
) -> None:
    with faulty_proxy(aws_env, plan=[THROTTLE, THROTTLE]) as (url, _):
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", url)
        store = DynamoDbStore(table_name, clock=clock)
        store.save("u1", UserUpdate(completions=(completion("r1"),)))

        assert store.load("u1").day(DAY).sets == 1


def test_a_server_that_never_answers_is_a_store_error_after_bounded_attempts(
    aws_env: str, monkeypatch: pytest.MonkeyPatch, table_name: str
) -> None:
    with faulty_proxy(aws_env, plan=[], then=HANG) as (url, proxy):
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", url)

        with pytest.raises(StoreError):
            DynamoDbStore(table_name, clock=clock).load("u1")

    assert proxy.requests == ["Query"] * 3


def test_a_failed_save_loses_nothing_when_written_again(
    aws_env: str, monkeypatch: pytest.MonkeyPatch, table_name: str
) -> None:
    """The skill keeps an unsaved set in the session and writes it on a later turn."""
    update = UserUpdate(completions=(completion("r1"),))
    with faulty_proxy(aws_env, plan=[], then=THROTTLE) as (url, _):
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", url)
        with pytest.raises(StoreError):
            DynamoDbStore(table_name, clock=clock).save("u1", update)

    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", aws_env)
    store = DynamoDbStore(table_name, clock=clock)
    store.save("u1", UserUpdate(completions=(*update.completions, completion("r2"))))
    assert store.load("u1").day(DAY).sets == 2


def test_store_init_creates_the_table_the_skill_uses(
    aws_env: str, dynamodb_client: DynamoDBClient
) -> None:
    result = CliRunner().invoke(main, ["store", "init", "--store", "dynamodb://cli-made"])
    assert result.exit_code == 0, result.output

    table = dynamodb_client.describe_table(TableName="cli-made")["Table"]
    assert {(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]} == {
        ("pk", "HASH"),
        ("sk", "RANGE"),
    }
    store = open_store("dynamodb://cli-made")
    store.save("u1", UserUpdate(daily_goal=9))
    assert store.load("u1").daily_goal == 9


def test_a_throttled_turn_loses_no_set_through_the_whole_skill(
    aws_env: str, monkeypatch: pytest.MonkeyPatch, table_name: str, dynamodb_client: DynamoDBClient
) -> None:
    with faulty_proxy(aws_env, plan=[]) as (url, proxy):
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", url)
        store = DynamoDbStore(table_name, clock=clock)
        skill = build_skill(Settings(), store, clock, time_zones=lambda _: "Europe/Berlin")
        talk = Talk(skill, store)  # type: ignore[arg-type]
        talk.say("alexa ask movement snacks to start a quick snack")

        proxy.then = THROTTLE
        assert talk.say("next").startswith("I couldn't save your progress just now")
        proxy.then = FORWARD
        talk.say("next")

    key = user_key(Settings().user_key_salt, talk.conversation.user_id)
    saved = DynamoDbStore(table_name, client=dynamodb_client, clock=clock).load(key)
    assert saved.day(DAY).sets == 2
