"""The request log over HTTP: the web endpoint writes the Lambda handler's line, plus status.

The same conversation as tests/functional/test_request_log.py, signed with the test PKI
and posted to the real app on a loopback port; then refusals (a forged signature, a body
that is not JSON, a GET) and `movement-snacks serve` as a process. Prevents: a web path
that logs other fields than Lambda, or none for a refused request, or a refusal's line
that identifies the user whose envelope was forged.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from skill.alexa_api.settings_api import alexa_time_zone
from skill.chat.envelopes import to_json
from skill.progress.factory import init_store
from skill.progress.sqlite_store import SqliteStore
from skill.request_verifier import AlexaSignatureVerifier
from skill.serialize import SkillSerializer
from skill.settings import Settings
from skill.web import create_app
from tests.functional.test_request_log import (  # noqa: F401 (fixtures)
    LINE_FIELDS,
    SALT,
    Captured,
    assert_lines_tell_the_conversation,
    assert_private,
    captured,
    secrets_of,
    settings_api,
    talk_through,
    user,
)
from tests.web.alexa_pki import FakeAlexaPki, make_root, sign
from tests.web.support import SKILL_ID, Server, launch_body
from tests.web.test_endpoint import TIMEOUT, post, signed_post
from tests.web.test_serve_cli import STARTUP_TIMEOUT_S, _pump

WEB_FIELDS = LINE_FIELDS | {"status"}


def start_app(
    store: SqliteStore,
    api_endpoint: str,
    verifier: AlexaSignatureVerifier,
    serve: Callable[[Flask], Server],
) -> Server:
    """The app as `serve` runs it, logging set up as `serve` does (DEBUG: every record)."""
    settings = Settings(
        skill_id=SKILL_ID,
        progress_store=f"sqlite:///{store.path}",
        log_level="DEBUG",
        store_pain_ratings=True,
        user_key_salt=SALT,
        alexa_api_test_endpoint=api_endpoint,
    )
    settings.configure_logging()
    app = create_app(settings, store, signature_verifier=verifier, time_zones=alexa_time_zone)
    return serve(app)


def test_a_whole_conversation_over_http_logs_the_lambda_line_with_its_status(
    store: SqliteStore,
    settings_api: tuple[str, list[str]],  # noqa: F811
    signature_verifier: AlexaSignatureVerifier,
    serve: Callable[[Flask], Server],
    pki: FakeAlexaPki,
    captured: Captured,  # noqa: F811
) -> None:
    server = start_app(store, settings_api[0], signature_verifier, serve)
    conversation = user(settings_api[0])
    conversation.skill_id = SKILL_ID
    sent: list[dict[str, Any]] = []

    def send(event: dict[str, Any]) -> dict[str, Any]:
        sent.append(event)
        response = signed_post(server, pki, json.dumps(event).encode())
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    talk_through(conversation, send)

    lines = captured.request_lines()
    request_ids = [event["request"]["requestId"] for event in sent]
    assert_lines_tell_the_conversation(lines, request_ids, "web", WEB_FIELDS)
    assert {line["status"] for line in lines} == {200}
    assert f"Bearer {conversation.api_access_token}" in settings_api[1]
    sessions = {event["session"]["sessionId"] for event in sent}
    said = ["pelvic tilts"]  # the slot value the user said
    assert_private(captured.all_text(), [*secrets_of(conversation), *sessions, *said])


def test_refused_requests_log_refused_with_their_status_and_nothing_identifying(
    store: SqliteStore,
    settings_api: tuple[str, list[str]],  # noqa: F811
    signature_verifier: AlexaSignatureVerifier,
    serve: Callable[[Flask], Server],
    captured: Captured,  # noqa: F811
) -> None:
    server = start_app(store, settings_api[0], signature_verifier, serve)
    conversation = user(settings_api[0])
    conversation.skill_id = SKILL_ID
    # A forged request carries a real user's ids and token.
    body = json.dumps(to_json(conversation.launch())).encode()
    forged = sign(make_root("Attacker").key, body)

    assert post(server, body, signature=forged).status_code == 400
    assert (
        post(server, b"user=" + conversation.user_id.encode(), signature=forged).status_code == 400
    )
    assert requests.get(server.url, timeout=TIMEOUT).status_code == 405

    refusals = captured.request_lines()
    for line in refusals:
        assert set(line) == WEB_FIELDS
        assert (line["outcome"], line["store_calls"]) == ("refused", 0)
    forged_line, not_json, get = refusals
    assert (forged_line["status"], forged_line["request_type"], forged_line["intent"]) == (
        400,
        "LaunchRequest",
        None,
    )
    assert (not_json["status"], not_json["request_id"], not_json["request_type"]) == (
        400,
        None,
        None,
    )
    assert get["status"] == 405
    assert_private(captured.all_text(), secrets_of(conversation))


def test_serve_writes_one_json_line_per_request_to_stderr(tmp_path: Path) -> None:
    """`movement-snacks serve` itself (a process): Settings.configure_logging sets it up."""
    store_url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    init_store(store_url)
    env = {**os.environ, "LOG_LEVEL": "INFO", "USER_KEY_SALT": SALT}
    env.pop("SKILL_ID", None)
    command = [sys.executable, "-m", "skill.cli", "serve", "--port", "0", "--store", store_url]
    process = subprocess.Popen(
        [*command, "--no-verify"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_pump, args=(process, lines), daemon=True).start()
        url = _wait_for(lines, lambda line: re.search(r"Serving on (http://\S+)", line)).group(1)
        # Without a token the skill asks no Settings API: the process stays on loopback.
        payload = json.loads(launch_body())
        del payload["context"]["System"]["apiAccessToken"]
        body = json.dumps(payload).encode()
        assert requests.post(url + "/", data=body, timeout=TIMEOUT).status_code == 200

        found = _wait_for(lines, lambda line: line.startswith("{") and json.loads(line))
        assert set(found) == WEB_FIELDS
        assert (found["entry"], found["outcome"], found["status"]) == ("web", "saved", 200)
        assert found["request_id"] == json.loads(body)["request"]["requestId"]
    finally:
        process.terminate()
        process.wait(timeout=STARTUP_TIMEOUT_S)


def _wait_for(lines: queue.Queue[str], match: Callable[[str], Any]) -> Any:
    seen = []
    while True:
        line = lines.get(timeout=STARTUP_TIMEOUT_S)
        assert line, "serve exited:\n" + "".join(seen)
        seen.append(line)
        if found := match(line):
            return found


def test_a_failure_outside_the_skill_logs_error_without_its_message(
    store: SqliteStore,
    settings_api: tuple[str, list[str]],  # noqa: F811
    signature_verifier: AlexaSignatureVerifier,
    serve: Callable[[Flask], Server],
    pki: FakeAlexaPki,
    captured: Captured,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = start_app(store, settings_api[0], signature_verifier, serve)
    conversation = user(settings_api[0])
    conversation.skill_id = SKILL_ID

    # GIVEN an answer that cannot be serialised, with the user's id in the error's message
    def broken(self: SkillSerializer, obj: Any) -> Any:
        raise RuntimeError(f"cannot serialise for {conversation.user_id}")

    monkeypatch.setattr(SkillSerializer, "serialize", broken)
    body = json.dumps(to_json(conversation.launch())).encode()

    assert signed_post(server, pki, body).status_code == 400

    (line,) = captured.request_lines()
    assert (line["outcome"], line["status"], line["request_type"]) == (
        "error",
        400,
        "LaunchRequest",
    )
    assert line["store_calls"] == 2  # the turn itself ran: its state read, then saved
    assert_private(captured.all_text(), [*secrets_of(conversation), "cannot serialise"])
