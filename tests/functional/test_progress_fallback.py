"""Sets a failing store leaves at the end of a session go to SQS (moto over HTTP) and
are replayed into the store later, each counted once."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from skill.builder import build_skill
from skill.progress import replay
from skill.progress.sqlite_store import SqliteStore
from skill.settings import Settings
from tests.conftest import Talk
from tests.functional.conftest import queued, sqs_event
from tests.functional.test_progress_conversation import ASK, FlakyStore, rows
from tests.integration.faults import HANG, faulty_proxy

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:fallback"


def flaky_talk(
    store: SqliteStore, clock: Any, queue: str | None, pain: bool = False
) -> tuple[Talk, FlakyStore]:
    flaky = FlakyStore(store)
    settings = Settings(
        progress_store=f"sqlite:///{store.path}",
        progress_fallback_queue=queue,
        store_pain_ratings=pain,
    )
    skill = build_skill(settings, flaky, clock, time_zones=lambda _: None)  # type: ignore[arg-type]
    return Talk(skill, store), flaky


def stop_with_the_store_down(store: SqliteStore, clock: Any, queue: str | None) -> tuple[Talk, str]:
    """A user hears a single set to its end, then says "stop" while the store is down."""
    talk, flaky = flaky_talk(store, clock, queue)
    talk.say(ASK + "start pelvic tilts")
    flaky.down = True
    return talk, talk.say("stop")


@pytest.fixture
def replay_into(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Runs the replay Lambda's real entry point against the store PROGRESS_STORE names."""

    def run(store: SqliteStore, event: dict[str, Any]) -> dict[str, Any]:
        monkeypatch.setenv("PROGRESS_STORE", f"sqlite:///{store.path}")
        replay.store.cache_clear()
        try:
            return replay.handler(json.loads(json.dumps(event)), None)
        finally:
            replay.store.cache_clear()

    return run


def test_a_set_the_store_misses_at_stop_is_queued_and_replayed_once(
    store: SqliteStore,
    clock: Any,
    sqs: SQSClient,
    queue_url: str,
    replay_into: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    talk, text = stop_with_the_store_down(store, clock, queue_url)

    assert "it will be saved shortly" in text and not talk.session_open
    assert "progress lost" not in caplog.text
    assert "queued for a later write: 1 completed sets" in caplog.text
    assert talk.conversation.user_id not in caplog.text  # no raw user id in logs
    messages = queued(sqs, queue_url)
    assert len(messages) == 1
    assert talk.conversation.user_id not in messages[0]["Body"]
    assert rows(store, "completions") == []

    # SQS is at-least-once: the same message delivered twice counts once.
    event = sqs_event(messages, QUEUE_ARN)
    assert replay_into(store, event) == {"batchItemFailures": []}
    assert replay_into(store, event) == {"batchItemFailures": []}

    assert len(rows(store, "completions")) == 1
    assert talk.say(ASK + "how am I doing").startswith("Today you've had 1 of your 5")


def test_sets_of_a_session_that_timed_out_are_queued(
    store: SqliteStore, clock: Any, sqs: SQSClient, queue_url: str, replay_into: Any
) -> None:
    """Alexa ends an idle session with a SessionEndedRequest: its carried sets go too."""
    talk, flaky = flaky_talk(store, clock, queue_url)
    talk.say(ASK + "start a quick snack")
    flaky.down = True
    assert talk.say("next").startswith("I couldn't save your progress just now, but I'm keeping")
    assert talk.session_open

    talk.send(talk.conversation.session_ended("EXCEEDED_MAX_REPROMPTS"))

    messages = queued(sqs, queue_url)
    assert len(messages) == 1
    flaky.down = False
    replay_into(store, sqs_event(messages, QUEUE_ARN))
    # The carried first set, and the second, heard to its end before the reprompt went unanswered.
    assert len(rows(store, "completions")) == 2


def test_high_pain_with_the_store_down_queues_the_set_and_the_opted_in_rating(
    store: SqliteStore,
    clock: Any,
    sqs: SQSClient,
    queue_url: str,
    replay_into: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STORE_PAIN_RATINGS", "true")  # the replay function opts in too
    talk, flaky = flaky_talk(store, clock, queue_url, pain=True)
    talk.say(ASK + "start pelvic tilts")
    flaky.down = True

    text = talk.say("my pain is 8")

    assert "contact your physical therapist" in text and not talk.session_open
    messages = queued(sqs, queue_url)
    assert len(messages) == 1
    replay_into(store, sqs_event(messages, QUEUE_ARN))
    assert len(rows(store, "completions")) == 1
    assert [r[2] for r in rows(store, "pain_ratings")] == [8]


@pytest.mark.parametrize("queue", ["unset", "deleted"])
def test_without_a_working_queue_the_loss_is_still_said_and_logged(
    store: SqliteStore,
    clock: Any,
    sqs: SQSClient,
    caplog: pytest.LogCaptureFixture,
    queue: str,
) -> None:
    url = None
    if queue == "deleted":
        url = sqs.create_queue(QueueName="gone")["QueueUrl"]
        sqs.delete_queue(QueueUrl=url)

    talk, text = stop_with_the_store_down(store, clock, url)

    assert text.startswith("I'm sorry, I couldn't save your progress just now.")
    assert "progress lost: 1 completed sets, 0 pain ratings, no new goal" in caplog.text
    assert talk.conversation.user_id not in caplog.text
    assert ("progress fallback queue failed" in caplog.text) == (queue == "deleted")


def test_a_queue_that_never_answers_is_given_up_after_two_attempts(
    store: SqliteStore,
    clock: Any,
    sqs_endpoint: str,
    queue_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The send runs inside the answer: a hanging SQS must not hold it past Alexa's time."""
    with faulty_proxy(sqs_endpoint, plan=[], then=HANG) as (url, proxy):
        monkeypatch.setenv("AWS_ENDPOINT_URL_SQS", url)
        _, text = stop_with_the_store_down(store, clock, queue_url)

    assert proxy.requests == ["SendMessage"] * 2
    assert text.startswith("I'm sorry, I couldn't save your progress just now.")
    assert "progress lost: 1 completed sets, 0 pain ratings, no new goal" in caplog.text


def test_replay_retries_a_failed_write_and_drops_malformed_messages(
    store: SqliteStore,
    clock: Any,
    sqs: SQSClient,
    queue_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stop_with_the_store_down(store, clock, queue_url)
    flaky = FlakyStore(store)
    flaky.down = True
    for junk in ("not json", json.dumps({"v": 1, "user": "raw-alexa-id", "sets": []}), "{}"):
        sqs.send_message(QueueUrl=queue_url, MessageBody=junk)
    messages = queued(sqs, queue_url)
    good = next(m["MessageId"] for m in messages if '"sets":[{' in m["Body"])
    event = sqs_event(messages, QUEUE_ARN)

    caplog.set_level(logging.INFO)
    assert replay.replay(event, flaky) == {"batchItemFailures": [{"itemIdentifier": good}]}  # type: ignore[arg-type]
    assert caplog.text.count("dropped malformed message") == 3
    assert rows(store, "completions") == []

    flaky.down = False  # SQS delivers the failed one again later
    retried = sqs_event([m for m in messages if m["MessageId"] == good], QUEUE_ARN)
    assert replay.replay(retried, flaky) == {"batchItemFailures": []}  # type: ignore[arg-type]
    assert len(rows(store, "completions")) == 1


def test_replay_of_an_event_that_is_not_from_sqs_changes_nothing(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "p.sqlite3")
    store.init()
    for event in ({}, {"Records": "x"}, {"Records": [1, {"messageId": "m"}]}):
        assert replay.replay(event, store) == {"batchItemFailures": []}
