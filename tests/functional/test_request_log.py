"""The request log through the Lambda handler: one JSON line per request, and nothing personal.

A whole conversation (launch, a routine, next, "that hurts" and a rating of 5 with
STORE_PAIN_RATINGS on, "how am I doing", stop) goes through ``lambda_function.handler``
with the Settings API served by a loopback stand-in, so the access token really travels.
Every log line written meanwhile (the request lines on stderr and every other record at
DEBUG) is then read. Prevents: a request with no line or two, a line that is not JSON or
whose fields drift, an outcome or store-call count that misreports what happened to the
user's progress, and a line that could identify the user (ids, token, user key, slot
values, a pain rating, an exception's message) or link their requests across days.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from skill import lambda_function, observability
from skill.chat.envelopes import Conversation, to_json
from skill.chat.resolver import Resolver
from skill.progress.factory import init_store
from skill.turn.identity import user_key

SALT = "request-log-test-salt-0123456789abcdef"
LINE_FIELDS = {
    "timestamp",
    "level",
    "logger",
    "entry",
    "request_id",
    "request_type",
    "intent",
    "outcome",
    "latency_ms",
    "store_calls",
}
ZONE = "Europe/Berlin"


@dataclass
class Captured:
    """What one test logged: request lines (stderr) and every other record."""

    capsys: pytest.CaptureFixture[str]
    caplog: pytest.LogCaptureFixture
    stderr: str = ""

    def request_lines(self) -> list[dict[str, Any]]:
        """Every line on stderr; each must be one JSON request line."""
        self.stderr += self.capsys.readouterr().err
        lines = [json.loads(text) for text in self.stderr.splitlines() if text.strip()]
        assert all(line["logger"] == observability.REQUEST_LOGGER for line in lines), lines
        return lines

    def all_text(self) -> str:
        self.request_lines()
        records = "\n".join(
            f"{record.name} {record.getMessage()} {record.exc_text or ''}"
            for record in self.caplog.records
        )
        return self.stderr + "\n" + records


@pytest.fixture
def captured(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> Iterator[Captured]:
    """Every record at DEBUG; the request logger as configure_logging leaves it, then reset."""
    logger = logging.getLogger(observability.REQUEST_LOGGER)
    handlers, propagate = list(logger.handlers), logger.propagate
    # What Settings.configure_logging does at every cold start (and `serve`'s start).
    observability.configure_request_log()
    caplog.set_level(logging.DEBUG)
    capsys.readouterr()
    yield Captured(capsys, caplog)
    logger.handlers[:] = handlers
    logger.propagate = propagate


def assert_private(text: str, secrets: Iterable[str]) -> None:
    for secret in secrets:
        assert secret not in text, f"{secret!r} was logged"


@pytest.fixture
def settings_api() -> Iterator[tuple[str, list[str]]]:
    """A loopback stand-in for Alexa's Settings API; records the Authorization it gets."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            body = json.dumps(ZONE).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test reads the skill's logs, not the stand-in's."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def user(api_endpoint: str) -> Conversation:
    """One user on one device, with a recognised voice and a secret token."""
    return Conversation(
        person_id=f"amzn1.ask.person.{uuid.uuid4().hex}",
        api_endpoint=api_endpoint,
        api_access_token=f"Atza|secret-{uuid.uuid4().hex}",
    )


def secrets_of(conversation: Conversation) -> list[str]:
    """What identifies the user or grants access: none of it may reach a log."""
    assert conversation.person_id is not None
    key = user_key(SALT, conversation.user_id, conversation.person_id)
    return [
        conversation.user_id,
        conversation.device_id,
        conversation.person_id,
        conversation.api_access_token,
        key,
        key[:32],  # the account's part alone
    ]


# Utterance, then what its line must say: intent, outcome, store calls.
CONVERSATION = (
    # A new user: the stored state is read, and the zone and the disclaimer saved.
    (None, None, "saved", 2),
    # The first set is guided: read, nothing to write yet.
    ("start pelvic tilts", "StartRoutineIntent", "nothing", 1),
    # Moving on counts the heard set: one load, one save.
    ("next", "AMAZON.NextIntent", "saved", 2),
    ("that hurts", "PainReportIntent", "nothing", 0),
    # The rating is kept (opted in): saved (the state was read the turn before), never logged.
    ("five", "NumberAnswerIntent", "saved", 1),
    ("how am i doing", "ProgressSummaryIntent", "nothing", 1),
    # Stopping between routines keeps no place: nothing read, nothing written.
    ("stop", "AMAZON.StopIntent", "nothing", 0),
)


def talk_through(conversation: Conversation, send: Any) -> list[dict[str, Any]]:
    """Send each turn of CONVERSATION through ``send`` (envelope JSON -> response JSON)."""
    resolver = Resolver.for_locale("en-US")
    responses = []
    for utterance, _, _, _ in CONVERSATION:
        if utterance is None:
            envelope = conversation.launch()
        else:
            resolution = resolver.resolve(utterance)
            assert resolution.intent is not None, utterance
            envelope = conversation.intent(resolution.intent, resolution.slots)
        response = send(to_json(envelope))
        conversation.update(response)
        responses.append(response)
    return responses


def assert_lines_tell_the_conversation(
    lines: list[dict[str, Any]], request_ids: list[str], entry: str, fields: set[str]
) -> None:
    assert len(lines) == len(CONVERSATION)
    for line, request_id, (_, intent, outcome, calls) in zip(
        lines, request_ids, CONVERSATION, strict=True
    ):
        assert set(line) == fields, line
        assert (line["entry"], line["request_id"], line["level"]) == (entry, request_id, "INFO")
        assert (line["intent"], line["outcome"], line["store_calls"]) == (intent, outcome, calls)
        assert line["request_type"] == ("LaunchRequest" if intent is None else "IntentRequest")
        assert isinstance(line["latency_ms"], int) and line["latency_ms"] >= 0


@pytest.fixture
def lambda_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings_api: tuple[str, list[str]]
) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'lambda.sqlite3'}"
    init_store(url)
    for name, value in {
        "PROGRESS_STORE": url,
        "USER_KEY_SALT": SALT,
        "STORE_PAIN_RATINGS": "true",
        "ALEXA_API_TEST_ENDPOINT": settings_api[0],
        "LOG_LEVEL": "DEBUG",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SKILL_ID", raising=False)
    lambda_function.skill.cache_clear()
    yield settings_api[0]
    lambda_function.skill.cache_clear()


def test_a_whole_conversation_logs_one_private_line_per_request(
    lambda_env: str, settings_api: tuple[str, list[str]], captured: Captured
) -> None:
    # GIVEN a user who talks through a routine, reports pain and asks how they are doing
    conversation = user(lambda_env)
    sent: list[dict[str, Any]] = []

    def send(event: dict[str, Any]) -> dict[str, Any]:
        sent.append(event)
        return lambda_function.handler(event, None)

    talk_through(conversation, send)

    # THEN each request has one line that says what became of the user's progress
    request_ids = [event["request"]["requestId"] for event in sent]
    lines = captured.request_lines()
    assert_lines_tell_the_conversation(lines, request_ids, "lambda", LINE_FIELDS)
    # AND the token really travelled (to the stand-in), yet no log line holds it or an id
    assert f"Bearer {conversation.api_access_token}" in settings_api[1]
    sessions = {event["session"]["sessionId"] for event in sent}
    said = ["pelvic tilts"]  # the slot value the user said
    assert_private(captured.all_text(), [*secrets_of(conversation), *sessions, *said])
    assert all("rating" not in key and "pain" not in key for line in lines for key in line)


def test_a_refused_event_logs_refused_and_nothing_it_carries(
    lambda_env: str, captured: Captured
) -> None:
    conversation = user(lambda_env)
    event = to_json(conversation.intent("StartRoutineIntent"))
    # An IntentRequest without an intent (the gate refuses it), with an id that is no id.
    del event["request"]["intent"]
    event["request"]["requestId"] = conversation.user_id + " " + "x" * 300

    assert lambda_function.handler(event, None) == {"version": "1.0", "response": {}}

    (line,) = captured.request_lines()
    assert set(line) == LINE_FIELDS
    assert line["outcome"] == "refused" and line["store_calls"] == 0
    assert (line["request_id"], line["request_type"], line["intent"]) == (
        None,
        "IntentRequest",
        "other",
    )
    assert_private(captured.all_text(), secrets_of(conversation))


def test_names_the_skill_does_not_know_are_logged_as_other(
    lambda_env: str, captured: Captured
) -> None:
    conversation = user(lambda_env)
    # A forged intent name carrying the user's id: the skill answers it (fallback).
    lambda_function.handler(to_json(conversation.intent(conversation.user_id)), None)
    event = to_json(conversation.launch())
    event["request"]["type"] = "Alexa.Forged." + conversation.device_id

    lambda_function.handler(event, None)

    intent_line, type_line = captured.request_lines()
    assert intent_line["intent"] == "other" and intent_line["outcome"] != "refused"
    assert (type_line["request_type"], type_line["outcome"]) == ("other", "refused")
    assert_private(captured.all_text(), secrets_of(conversation))


def test_a_crash_outside_the_skill_logs_error_without_its_message(
    lambda_env: str, captured: Captured
) -> None:
    conversation = user(lambda_env)

    class Broken:
        skill_id = None

        def invoke(self, **_: Any) -> None:
            raise RuntimeError(f"boom for {conversation.user_id}")

    lambda_function.answer(Broken(), to_json(conversation.launch()))  # type: ignore[arg-type]

    (line,) = captured.request_lines()
    assert (line["outcome"], line["request_type"]) == ("error", "LaunchRequest")
    assert_private(captured.all_text(), [*secrets_of(conversation), "boom"])
