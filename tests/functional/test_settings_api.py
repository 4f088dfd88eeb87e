"""The apiAccessToken reaches only Alexa's API hosts or the one allowed loopback stand-in.

A local stand-in for the Settings API, on loopback over real HTTP, is what the
envelope's apiEndpoint points at. Prevents: a forged request making the skill send
the user's bearer token to a host the request names (issue 8).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from skill.alexa_api.endpoints import Endpoints
from skill.builder import build_skill
from skill.chat.envelopes import SlotValue
from skill.progress.sqlite_store import SqliteStore
from skill.settings import Settings
from skill.turn.identity import user_key
from tests.conftest import Talk

TOKEN = "token-123"
LOS_ANGELES = "America/Los_Angeles"
# 02:30 UTC on the 25th is 18:30 on the 24th in Los Angeles.
AT = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)


@dataclass
class StandIn:
    """A Settings API stand-in: records what reaches it, answers like the real one."""

    server: ThreadingHTTPServer
    seen: list[str] = field(default_factory=list)
    redirect_to: str | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def stand_ins() -> Iterator[tuple[StandIn, StandIn]]:
    """The allowed stand-in, and another loopback server a forged request might name."""
    made: list[StandIn] = []
    for _ in range(2):

        class Handler(BaseHTTPRequestHandler):
            owner: StandIn

            def do_GET(self) -> None:
                self.owner.seen.append(self.headers.get("Authorization", ""))
                if self.owner.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", self.owner.redirect_to + self.path)
                    self.end_headers()
                    return
                body = json.dumps(LOS_ANGELES).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        stand_in = StandIn(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
        Handler.owner = stand_in
        threading.Thread(target=stand_in.server.serve_forever, daemon=True).start()
        made.append(stand_in)
    yield made[0], made[1]
    for stand_in in made:
        stand_in.server.shutdown()
        stand_in.server.server_close()


@pytest.fixture
def hosts_looked_up(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every host name the process tries to resolve (after the loopback guard)."""
    names: list[str] = []
    resolve = socket.getaddrinfo

    def recording(host: Any, *args: Any, **kwargs: Any) -> Any:
        names.append(host.decode() if isinstance(host, bytes) else str(host))
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", recording)
    return names


def talk_with(store: SqliteStore, allowed: str) -> Talk:
    settings = Settings(progress_store=f"sqlite:///{store.path}", alexa_api_test_endpoint=allowed)
    return Talk(build_skill(settings, store, lambda: AT), store)


def one_set_with_endpoint(talk: Talk, api_endpoint: str) -> str:
    """A one-shot "start pelvic tilts", "next" and "stop", all naming ``api_endpoint``.

    Without a zone the set's day is a guess, so it is written when the session ends.
    """
    texts = []
    tilts = {"exercise": SlotValue("pelvic tilts", "pelvic_tilts", "pelvic tilts", "EXERCISE_NAME")}
    turns = (
        ("StartRoutineIntent", tilts, True),
        ("AMAZON.NextIntent", {}, False),
        ("AMAZON.StopIntent", {}, False),
    )
    for name, slots, new in turns:
        envelope = talk.conversation.intent(name, slots, new_session=new)
        assert envelope.context is not None
        envelope.context.system.api_endpoint = api_endpoint
        envelope.context.system.api_access_token = TOKEN
        texts.append(talk.text(talk.send(envelope)))
    return " ".join(texts)


def counted_day(talk: Talk) -> str:
    key = user_key(Settings().user_key_salt, talk.conversation.user_id)
    (day,) = talk.store.load(key).days
    return day.day.isoformat()


def test_the_allowed_stand_in_gets_the_token_and_sets_the_day(
    store: SqliteStore, stand_ins: tuple[StandIn, StandIn]
) -> None:
    allowed, _ = stand_ins
    talk = talk_with(store, allowed.url)

    one_set_with_endpoint(talk, allowed.url)

    assert allowed.seen == [f"Bearer {TOKEN}"]  # once per session
    assert counted_day(talk) == "2026-11-24"


@pytest.mark.parametrize(
    "forged",
    [
        "{other}",
        "{other}/",
        "http://localhost:{other_port}",
        "http://127.0.0.1:{allowed_port}@127.0.0.1:{other_port}",
        "https://api.amazonalexa.com@127.0.0.1:{other_port}",
        "http://user:pass@127.0.0.1:{allowed_port}",
        "{allowed}/../x",
        "{allowed}?next={other}",
        "{allowed}#frag",
        " {allowed}",
        "{allowed}\n",
        "https://127.0.0.1:{allowed_port}",
    ],
)
def test_a_forged_api_endpoint_never_gets_the_token_and_the_turn_still_answers(
    store: SqliteStore, stand_ins: tuple[StandIn, StandIn], forged: str
) -> None:
    allowed, other = stand_ins
    talk = talk_with(store, allowed.url)
    endpoint = forged.format(
        allowed=allowed.url,
        other=other.url,
        allowed_port=allowed.server.server_address[1],
        other_port=other.server.server_address[1],
    )

    text = one_set_with_endpoint(talk, endpoint)

    assert other.seen == [] and allowed.seen == []
    assert "pelvic" in text.lower()  # the guidance, as usual
    assert counted_day(talk) == "2026-11-25"  # no zone learned: UTC


def test_a_host_outside_the_allow_list_is_not_even_looked_up(
    store: SqliteStore, stand_ins: tuple[StandIn, StandIn], hosts_looked_up: list[str]
) -> None:
    allowed, _ = stand_ins
    talk = talk_with(store, allowed.url)

    text = one_set_with_endpoint(talk, "https://evil.example")

    assert "evil.example" not in hosts_looked_up
    assert "pelvic" in text.lower() and counted_day(talk) == "2026-11-25"


def test_a_redirect_from_the_allowed_host_is_not_followed(
    store: SqliteStore, stand_ins: tuple[StandIn, StandIn]
) -> None:
    allowed, other = stand_ins
    allowed.redirect_to = other.url
    talk = talk_with(store, allowed.url)

    one_set_with_endpoint(talk, allowed.url)

    assert allowed.seen == [f"Bearer {TOKEN}"] and other.seen == []
    assert counted_day(talk) == "2026-11-25"


@pytest.mark.parametrize(
    "value",
    [
        "http://10.0.0.5:8765",
        "http://evil.example:8765",
        "https://127.0.0.1:8765",
        "http://127.0.0.1:8765/path",
        "http://user@127.0.0.1:8765",
        "ftp://127.0.0.1:8765",
    ],
)
def test_a_test_endpoint_that_is_not_a_loopback_http_base_is_refused_quietly(
    value: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        settings = Settings.from_env({"ALEXA_API_TEST_ENDPOINT": value})
        endpoints = Endpoints.for_test_endpoint(settings.alexa_api_test_endpoint)

    assert endpoints == Endpoints.for_test_endpoint(None)  # Alexa's hosts only
    assert "ALEXA_API_TEST_ENDPOINT ignored" in caplog.text
    assert value not in caplog.text and "8765" not in caplog.text


def test_alexa_hosts_are_allowed_and_nothing_else() -> None:
    endpoints = Endpoints.for_test_endpoint(None)
    for base in ("https://api.amazonalexa.com", "https://api.eu.amazonalexa.com/"):
        assert endpoints.base_for(base) == base.rstrip("/")
    assert endpoints.base_for("https://api.fe.amazonalexa.com:443") == (
        "https://api.fe.amazonalexa.com"
    )
    for forged in (
        "http://api.amazonalexa.com",
        "https://api.amazonalexa.com.evil.example",
        "https://evil.example/api.amazonalexa.com",
        "https://api.amazonalexa.com:8443",
        None,
        42,
    ):
        assert endpoints.base_for(forged) is None
