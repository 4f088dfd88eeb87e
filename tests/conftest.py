"""Shared fixtures: a skill on a real SQLite store, driven by real request envelopes."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import Application, Context, RequestEnvelope, User
from ask_sdk_model.events.skillevents import SkillDisabledRequest
from ask_sdk_model.interfaces.system import SystemState

from skill.alexa_api.settings_api import no_lookup
from skill.builder import build_skill
from skill.chat.envelopes import DEFAULT_SKILL_ID, Conversation, SlotValue, to_json
from skill.chat.resolver import Resolver
from skill.lambda_function import invoke_json
from skill.progress.sqlite_store import SqliteStore
from skill.settings import Settings
from skill.speech.ssml import ssml_to_text, validate_ssml

MAX_RESPONSE_BYTES = 24 * 1024


def skill_disabled_event(
    user_id: str, status: str, skill_id: str = DEFAULT_SKILL_ID
) -> dict[str, Any]:
    """An AlexaSkillEvent.SkillDisabled as Alexa sends it. ask-sdk-model has no field for
    its body, so the persistence status is added to the JSON."""
    system = SystemState(application=Application(application_id=skill_id), user=User(user_id))
    request = SkillDisabledRequest(
        request_id="amzn1.echo-api.request.disable",
        timestamp=datetime.now(UTC).replace(microsecond=0),
        locale="en-US",
    )
    event = to_json(RequestEnvelope(version="1.0", context=Context(system=system), request=request))
    event["request"]["body"] = {"userInformationPersistenceStatus": status}
    return event


LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests reach only this machine: request envelopes name Alexa's real API endpoint,
    and a test that forgot to replace it must fail fast, not send traffic out."""
    resolve = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in LOOPBACK_NAMES and not name.startswith("127."):
            raise socket.gaierror(socket.EAI_NONAME, f"tests stay on loopback, not {name}")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def check_response(response: dict[str, Any]) -> None:
    """Every response must be something Alexa can actually say (DESIGN.md section 5)."""
    size = len(json.dumps(response).encode())
    assert size < MAX_RESPONSE_BYTES, f"response is {size} bytes"
    body = response["response"]
    for key in ("outputSpeech", "reprompt"):
        speech = (
            body.get(key, {})
            if key == "outputSpeech"
            else body.get(key, {}).get("outputSpeech", {})
        )
        if speech:
            assert speech["type"] == "SSML"
            assert validate_ssml(speech["ssml"]) == [], speech["ssml"]


@dataclass
class Talk:
    """A user talking to the skill: each call sends one envelope and keeps the session."""

    skill: CustomSkill
    store: SqliteStore
    conversation: Conversation = field(default_factory=Conversation)
    last: dict[str, Any] = field(default_factory=dict)

    def send(self, envelope: RequestEnvelope) -> dict[str, Any]:
        response = invoke_json(self.skill, to_json(envelope))
        check_response(response)
        self.conversation.update(response)
        self.last = response
        return response

    def launch(self) -> str:
        return self.text(self.send(self.conversation.launch()))

    def intent(self, name: str, new_session: bool = False, **slots: SlotValue | str) -> str:
        values = {k: v if isinstance(v, SlotValue) else SlotValue(v) for k, v in slots.items()}
        return self.text(self.send(self.conversation.intent(name, values, new_session=new_session)))

    def say(self, utterance: str) -> str:
        """Resolve a typed utterance with the interaction model, then send it."""
        resolution = Resolver.for_locale(self.conversation.locale).resolve(utterance)
        assert resolution.kind == "intent" and resolution.intent
        new = resolution.one_shot or self.conversation.session_id is None
        envelope = self.conversation.intent(resolution.intent, resolution.slots, new_session=new)
        return self.text(self.send(envelope))

    @staticmethod
    def text(response: dict[str, Any]) -> str:
        speech = response["response"].get("outputSpeech")
        return ssml_to_text(speech["ssml"]) if speech else ""

    @property
    def session_open(self) -> bool:
        return self.last["response"].get("shouldEndSession") is False

    @property
    def plan(self) -> dict[str, Any] | None:
        plan: dict[str, Any] | None = (self.last.get("sessionAttributes") or {}).get("plan")
        return plan


@pytest.fixture
def store(tmp_path: Path, clock: Any) -> SqliteStore:
    # The store's clock (retention, bookmark age) is the skill's, or old test days expire.
    sqlite = SqliteStore(tmp_path / "progress.sqlite3", clock=clock)
    sqlite.init()
    return sqlite


@pytest.fixture
def settings(store: SqliteStore) -> Settings:
    return Settings(progress_store=f"sqlite:///{store.path}")


@pytest.fixture
def clock() -> Any:
    return lambda: datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture
def talk(settings: Settings, store: SqliteStore, clock: Any) -> Talk:
    # The envelopes name Alexa's real API endpoint: tests never call it (no network here).
    return Talk(build_skill(settings, store, clock, time_zones=no_lookup), store)
