"""Progress in conversation, pushed through the skill as real request envelopes."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from skill.builder import build_skill
from skill.chat.envelopes import Conversation
from skill.lambda_function import invoke_json
from skill.progress.sqlite_store import SqliteStore
from skill.progress.store import StoreError, UserSnapshot, UserUpdate
from skill.settings import Settings
from tests.conftest import Talk, skill_disabled_event

ASK = "alexa ask movement snacks to "
THERAPIST = "contact your physical therapist"


def rows(store: SqliteStore, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(store.path) as db:
        return db.execute(f"SELECT * FROM {table}").fetchall()


def one_set(talk: Talk) -> None:
    talk.say(ASK + "start pelvic tilts")
    talk.say("next")


def test_a_retried_request_counts_the_set_once(talk: Talk) -> None:
    talk.say(ASK + "start pelvic tilts")
    next_request = talk.conversation.intent("AMAZON.NextIntent")

    talk.send(next_request)
    talk.conversation.session_id = next_request.session.session_id
    talk.conversation.attributes = dict(next_request.session.attributes)
    talk.send(next_request)  # Alexa delivering the same request again

    assert len(rows(talk.store, "completions")) == 1


def test_summary_and_goal(talk: Talk) -> None:
    one_set(talk)
    assert talk.say(ASK + "set my daily goal to 2") == (
        "Done. Your daily goal is now 2 movement snacks. Frequency, not intensity."
    )
    assert talk.say("what's my streak").startswith(
        "Today you've had 1 of your 2 movement snacks, with 1 set in all."
    )
    assert talk.session_open


@pytest.mark.parametrize("heard", ["50", "0", "?"])
def test_an_impossible_goal_is_explained_and_nothing_changes(talk: Talk, heard: str) -> None:
    text = talk.intent("SetGoalIntent", new_session=True, goal=heard)

    assert "from 1 to 20" in text and talk.session_open
    assert rows(talk.store, "users") == []  # no goal was stored


def test_deleting_data_needs_a_spoken_yes_and_then_leaves_nothing(talk: Talk) -> None:
    talk.launch()
    one_set(talk)

    assert "Are you sure?" in talk.say(ASK + "delete my data")
    assert "kept your progress" in talk.say("no")
    assert len(rows(talk.store, "completions")) == 1

    talk.say(ASK + "reset my progress")
    assert talk.say("yes").startswith("Done. I've deleted all your progress")
    assert not talk.session_open
    assert rows(talk.store, "users") == rows(talk.store, "completions") == []


def test_a_yes_later_in_the_session_does_not_delete(talk: Talk) -> None:
    one_set(talk)
    talk.say(ASK + "delete my data")
    talk.say("how am I doing")

    assert "Exercise 1 of 3" in talk.say("yes")  # the offered snack, not the deletion
    assert len(rows(talk.store, "completions")) == 1


def test_pain_check_after_a_routine_counts_the_last_set(talk: Talk) -> None:
    last = talk.say(ASK + "start pelvic tilts")
    assert last.endswith("How did that feel, from 0 for no pain to 10?")

    text = talk.say("it was a 2")

    assert "another movement snack" in text and talk.session_open
    assert len(rows(talk.store, "completions")) == 1
    assert rows(talk.store, "pain_ratings") == []  # not kept unless the deployment opts in


def test_high_pain_ends_the_routine_with_care(talk: Talk) -> None:
    talk.say(ASK + "start a quick snack")

    text = talk.say("my pain is 8")

    assert THERAPIST in text and not talk.session_open
    assert "diagnos" not in text


def test_pain_ratings_are_kept_only_when_the_deployment_opts_in(
    store: SqliteStore, clock: Any
) -> None:
    settings = Settings(progress_store=f"sqlite:///{store.path}", store_pain_ratings=True)
    store = SqliteStore(store.path, clock=clock, store_pain_ratings=True)  # as the factory does
    talk = Talk(build_skill(settings, store, clock, time_zones=lambda _: None), store)
    talk.say(ASK + "start pelvic tilts")
    talk.say("3")

    assert [r[2] for r in rows(store, "pain_ratings")] == [3]


def test_a_voice_profile_has_its_own_progress(talk: Talk) -> None:
    one_set(talk)
    account_user = talk.conversation.user_id
    talk.conversation = Conversation(user_id=account_user, person_id="amzn1.ask.person.ANNA")

    assert talk.say(ASK + "how am I doing").startswith("You haven't had a movement snack yet")
    one_set(talk)
    one_set(talk)
    assert talk.say(ASK + "how am I doing").startswith(
        "Today you've had 1 of your 5 movement snacks, with 2 sets in all."
    )


@pytest.mark.parametrize(("status", "kept"), [("NOT_PERSISTED", 0), ("PERSISTED", 2)])
def test_disabling_the_skill_deletes_data_unless_it_persists(
    talk: Talk, status: str, kept: int
) -> None:
    """Voice profiles' progress goes with the account's."""
    one_set(talk)
    account = talk.conversation
    talk.conversation = Conversation(user_id=account.user_id, person_id="amzn1.ask.person.ANNA")
    one_set(talk)
    talk.conversation = account

    response = invoke_json(talk.skill, skill_disabled_event(talk.conversation.user_id, status))

    assert "outputSpeech" not in response["response"]
    assert len(rows(talk.store, "completions")) == kept


class FlakyStore:
    """The real SQLite store behind a switch that makes it fail like a throttled DynamoDB."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        self.down = False

    def load(self, user_key: str) -> UserSnapshot:
        return self.store.load(user_key)

    def save(self, user_key: str, update: UserUpdate) -> None:
        if self.down:
            raise StoreError("throttled past the retries")
        self.store.save(user_key, update)

    def delete_user(self, user_key: str) -> None:
        self.store.delete_user(user_key)

    def delete_account(self, account_key: str) -> None:
        self.store.delete_account(account_key)


def test_a_store_failure_still_guides_says_so_and_loses_no_set(
    store: SqliteStore, settings: Settings, clock: Any
) -> None:
    flaky = FlakyStore(store)
    talk = Talk(build_skill(settings, flaky, clock, time_zones=lambda _: None), store)  # type: ignore[arg-type]
    talk.say(ASK + "start a quick snack")

    flaky.down = True
    text = talk.say("next")
    assert text.startswith("I couldn't save your progress just now, but I'm keeping it")
    assert "Next up is" in text  # the guidance goes on
    assert "How did that feel" in talk.say("next")

    flaky.down = False
    talk.say("it was a 1")
    assert len(rows(store, "completions")) == 3


def test_sets_a_failing_store_loses_when_the_session_ends_are_reported(
    store: SqliteStore, settings: Settings, clock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Without a fallback queue (PROGRESS_FALLBACK_QUEUE), a set no session is left to
    carry is lost: that is said and logged."""
    flaky = FlakyStore(store)
    talk = Talk(build_skill(settings, flaky, clock, time_zones=lambda _: None), store)  # type: ignore[arg-type]
    talk.say(ASK + "start pelvic tilts")
    flaky.down = True
    text = talk.say("stop")
    assert "couldn't save your progress" in text and not talk.session_open
    assert "progress lost" in caplog.text
    assert talk.conversation.user_id not in caplog.text  # no raw user id in logs


@pytest.fixture
def settings_api() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A stand-in for Alexa's Settings API on loopback, answering like the real one."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append({"path": self.path, "auth": self.headers.get("Authorization", "")})
            ok = self.headers.get("Authorization") == "Bearer token-123"
            body = json.dumps("America/Los_Angeles" if ok else {"message": "denied"}).encode()
            self.send_response(200 if ok else 403)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize(("token", "expected_day"), [("token-123", 24), ("wrong", 25)])
def test_the_day_follows_the_alexa_time_zone_setting(
    tmp_path: Path,
    settings_api: tuple[str, list[dict[str, str]]],
    token: str,
    expected_day: int,
) -> None:
    """02:30 UTC on the 25th is 18:30 on the 24th in Los Angeles; without the API, UTC."""
    url, seen = settings_api
    store = SqliteStore(tmp_path / "progress.sqlite3")
    store.init()
    talk = Talk(
        build_skill(
            Settings(alexa_api_test_endpoint=url),
            store,
            lambda: datetime(2026, 11, 25, 2, 30, tzinfo=UTC),
        ),
        store,
    )

    def send(name: str, new_session: bool = False, **slots: Any) -> None:
        envelope = talk.conversation.intent(name, new_session=new_session)
        envelope.context.system.api_endpoint = url
        envelope.context.system.api_access_token = token
        talk.send(envelope)

    talk.say(ASK + "start pelvic tilts")
    send("AMAZON.NextIntent")
    send("AMAZON.NoIntent")

    device = talk.conversation.device_id
    assert seen == [
        {"path": f"/v2/devices/{device}/settings/System.timeZone", "auth": f"Bearer {token}"}
    ]
    assert [row[6] for row in rows(store, "completions")] == [
        date(2026, 11, expected_day).isoformat()
    ]


def test_the_last_known_zone_is_used_when_the_settings_api_fails(
    store: SqliteStore, settings_api: tuple[str, list[dict[str, str]]]
) -> None:
    url, _ = settings_api
    at = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)  # 18:30 on the 24th in Los Angeles
    talk = Talk(build_skill(Settings(alexa_api_test_endpoint=url), store, lambda: at), store)

    def send(name: str, token: str, new_session: bool = False) -> None:
        envelope = talk.conversation.intent(name, new_session=new_session)
        envelope.context.system.api_endpoint = url
        envelope.context.system.api_access_token = token
        talk.send(envelope)

    send("ProgressSummaryIntent", "token-123", new_session=True)  # learns Los Angeles
    talk.say(ASK + "start pelvic tilts")
    send("AMAZON.NextIntent", "expired-token")  # the API refuses: the stored zone applies

    assert [row[6] for row in rows(store, "completions")] == ["2026-11-24"]


def test_unsaved_sets_naming_no_known_exercise_are_not_stored(talk: Talk) -> None:
    talk.launch()
    forged = {"id": "r1", "exercise": "nope", "routine": None, "reps": 8, "seconds": 60}
    forged |= {"day": "2026-11-25", "at": "2026-11-25T09:30:00+00:00"}
    talk.conversation.attributes = {"unsaved": {"sets": [forged, "junk"], "pain": 7}}

    assert talk.say("how am I doing").startswith("You haven't had a movement snack yet today")
    assert rows(talk.store, "completions") == []


def test_a_new_goal_the_store_could_not_take_is_written_on_the_next_turn(
    store: SqliteStore, settings: Settings, clock: Any
) -> None:
    flaky = FlakyStore(store)
    talk = Talk(build_skill(settings, flaky, clock, time_zones=lambda _: None), store)  # type: ignore[arg-type]

    flaky.down = True
    assert "couldn't save" in talk.say(ASK + "set my daily goal to 3")
    flaky.down = False
    talk.say("what routines are there")

    assert [row[2] for row in rows(store, "users")] == [3]


class UnreadableStore(FlakyStore):
    def load(self, user_key: str) -> UserSnapshot:
        raise StoreError("down")


def test_a_store_that_cannot_be_read_is_mentioned_and_the_skill_still_guides(
    store: SqliteStore, settings: Settings, clock: Any
) -> None:
    down = UnreadableStore(store)
    talk = Talk(build_skill(settings, down, clock, time_zones=lambda _: None), store)  # type: ignore[arg-type]

    launch = talk.launch()
    assert launch.startswith("I can't reach your saved progress right now")
    assert "quick two minute movement snack" in launch
    assert talk.say("how am I doing").startswith("Sorry, I can't reach your saved progress")
    assert "Exercise 1 of 3" in talk.say("yes")


def test_the_zone_is_remembered_for_one_shot_users_too(
    store: SqliteStore, settings: Settings, clock: Any
) -> None:
    """Prevents: users who never open the skill falling back to UTC when the API fails."""
    skill = build_skill(settings, store, clock, time_zones=lambda _: "America/Los_Angeles")
    talk = Talk(skill, store)
    talk.say(ASK + "start pelvic tilts")
    talk.say("next")
    from skill.turn.identity import user_key as key_of

    key = key_of("movement-snacks", talk.conversation.user_id)
    assert store.load(key).time_zone == "America/Los_Angeles"
