"""Shared pieces of the web endpoint tests: URLs, a recording store, request bodies."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.events.skillevents import SkillEnabledRequest
from flask import Flask

from skill.chat.envelopes import Conversation, to_json
from skill.progress.store import ProgressStore, UserSnapshot, UserUpdate

SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000001"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
EXPIRED_CERT_URL = "https://s3.amazonaws.com/echo.api/expired.pem"
WRONG_NAME_CERT_URL = "https://s3.amazonaws.com/echo.api/wrong-name.pem"
UNTRUSTED_CERT_URL = "https://s3.amazonaws.com/echo.api/untrusted.pem"
NOT_PEM_CERT_URL = "https://s3.amazonaws.com/echo.api/not-pem.pem"


@dataclass(frozen=True)
class Server:
    url: str
    app: Flask


@dataclass
class RecordingStore:
    """A real SQLite store that also remembers every save, to prove what was written."""

    inner: ProgressStore
    saves: list[tuple[str, UserUpdate]] = field(default_factory=list)

    def load(self, user_key: str) -> UserSnapshot:
        return self.inner.load(user_key)

    def save(self, user_key: str, update: UserUpdate) -> None:
        self.saves.append((user_key, update))
        self.inner.save(user_key, update)

    def delete_user(self, user_key: str) -> None:
        self.inner.delete_user(user_key)

    def delete_account(self, account_key: str) -> None:
        self.inner.delete_account(account_key)


def skill_enabled_body(*, at: datetime) -> bytes:
    """An AlexaSkillEvent.SkillEnabled event (which Alexa may deliver up to an hour late)."""
    payload = to_json(Conversation(skill_id=SKILL_ID).launch())
    event = SkillEnabledRequest(request_id=f"amzn1.echo-api.request.{uuid.uuid4()}", timestamp=at)
    payload["request"] = DefaultSerializer().serialize(event)
    return json.dumps(payload).encode()


def launch_body(*, skill_id: str = SKILL_ID, at: datetime | None = None) -> bytes:
    """A new user's LaunchRequest (a real ask-sdk-model envelope) as Alexa sends it."""
    return json.dumps(to_json(Conversation(skill_id=skill_id).launch(at))).encode()
