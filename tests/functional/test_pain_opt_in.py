"""Pain ratings are health data: without STORE_PAIN_RATINGS they go nowhere, on any path.

Prevents: a rating that reaches the store through the update, the session carry-over
or the fallback queue although the deployment did not opt in (issue 8).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from skill.builder import build_skill
from skill.progress.sqlite_store import SqliteStore
from skill.progress.store import UserUpdate
from skill.settings import Settings
from skill.turn.identity import user_key
from tests.conftest import Talk
from tests.functional.conftest import queued
from tests.functional.test_progress_conversation import ASK, FlakyStore

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class RecordingStore(FlakyStore):
    """The switchable real store, recording each update it is given."""

    def __init__(self, store: SqliteStore) -> None:
        super().__init__(store)
        self.updates: list[UserUpdate] = []

    def save(self, user_key: str, update: UserUpdate) -> None:
        self.updates.append(update)
        super().save(user_key, update)

    @property
    def ratings_given(self) -> list[int]:
        return [r.rating for u in self.updates for r in u.pain_ratings]


def skill_talk(
    store: SqliteStore, clock: Any, opted_in: bool, queue: str | None = None
) -> tuple[Talk, RecordingStore]:
    recording = RecordingStore(store)
    settings = Settings(
        progress_store=f"sqlite:///{store.path}",
        store_pain_ratings=opted_in,
        progress_fallback_queue=queue,
    )
    skill = build_skill(settings, recording, clock, time_zones=lambda _: None)  # type: ignore[arg-type]
    return Talk(skill, store), recording


def key_of(talk: Talk) -> str:
    return user_key(Settings().user_key_salt, talk.conversation.user_id)


@pytest.mark.parametrize("opted_in", [False, True], ids=["off", "on"])
def test_a_rating_enters_the_update_only_when_opted_in(
    store: SqliteStore, clock: Any, opted_in: bool
) -> None:
    talk, recording = skill_talk(store, clock, opted_in)
    talk.say(ASK + "start pelvic tilts")
    talk.say("my pain is 2")

    assert recording.ratings_given == ([2] if opted_in else [])
    assert len(store.load(key_of(talk)).days) == 1  # the set itself is kept either way


@pytest.mark.parametrize("opted_in", [False, True], ids=["off", "on"])
def test_a_rating_rides_in_the_session_only_when_opted_in(
    store: SqliteStore, clock: Any, opted_in: bool
) -> None:
    talk, recording = skill_talk(store, clock, opted_in)
    talk.say(ASK + "start my knee routine")
    recording.down = True
    talk.say("next")  # the store misses the first set: it rides in the session
    talk.say("my pain is 2")  # mid-routine: the session stays open and carries the update

    carried = talk.last["sessionAttributes"]["unsaved"]
    assert len(carried["sets"]) == 1
    assert [p["rating"] for p in carried["pain"]] == ([2] if opted_in else [])
    recording.down = False
    talk.say("next")  # the carried update is written now
    assert recording.ratings_given[-1:] == ([2] if opted_in else [])


def test_a_rating_forged_into_the_session_is_dropped_when_not_opted_in(
    store: SqliteStore, clock: Any
) -> None:
    talk, recording = skill_talk(store, clock, opted_in=False)
    talk.say(ASK + "start my knee routine")
    talk.conversation.attributes["unsaved"] = {
        "goal": None,
        "sets": [],
        "pain": [{"id": "forged#pain", "rating": 9, "day": "2026-11-25", "at": "2026-11-25T09:00"}],
    }
    talk.say("next")

    assert recording.ratings_given == []
    assert len(recording.updates[-1].completions) == 1  # the heard set still counts


@pytest.mark.parametrize("opted_in", [False, True], ids=["off", "on"])
def test_a_rating_is_queued_only_when_opted_in(
    store: SqliteStore, clock: Any, sqs: SQSClient, queue_url: str, opted_in: bool
) -> None:
    talk, recording = skill_talk(store, clock, opted_in, queue=queue_url)
    talk.say(ASK + "start pelvic tilts")
    recording.down = True
    talk.say("my pain is 8")  # ends the session: the update goes to the queue

    (message,) = queued(sqs, queue_url)
    body = json.loads(message["Body"])
    assert len(body["sets"]) == 1
    assert [p["rating"] for p in body["pain"]] == ([8] if opted_in else [])
