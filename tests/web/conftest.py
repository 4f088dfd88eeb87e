"""Fixtures for the web endpoint: a generated PKI, a real HTTP server, a recording store."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from alexa_pki import FakeAlexaPki, chain_pem
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import (
    Application,
    Context,
    Device,
    LaunchRequest,
    Request,
    RequestEnvelope,
    Response,
    Session,
    SupportedInterfaces,
    User,
)
from ask_sdk_model.interfaces.system import SystemState
from cryptography.x509.verification import Store
from flask import Flask
from werkzeug.serving import make_server

from skill.progress.sqlite_store import SqliteStore
from skill.progress.store import ProgressStore, UserSnapshot, UserUpdate
from skill.request_verifier import AlexaSignatureVerifier
from skill.settings import Settings
from skill.web import create_app_for_skill

SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000001"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
EXPIRED_CERT_URL = "https://s3.amazonaws.com/echo.api/expired.pem"
WRONG_NAME_CERT_URL = "https://s3.amazonaws.com/echo.api/wrong-name.pem"
UNTRUSTED_CERT_URL = "https://s3.amazonaws.com/echo.api/untrusted.pem"


@pytest.fixture(scope="session")
def pki() -> FakeAlexaPki:
    return FakeAlexaPki.generate()


@pytest.fixture(scope="session")
def chains(pki: FakeAlexaPki) -> dict[str, bytes]:
    """What our stand-in for Amazon's S3 serves, by URL file name."""
    return {
        "expired.pem": chain_pem(pki.expired_leaf.cert, pki.intermediate.cert),
        "wrong-name.pem": chain_pem(pki.wrong_name_leaf.cert, pki.intermediate.cert),
        "untrusted.pem": chain_pem(pki.untrusted_leaf.cert, pki.untrusted_intermediate.cert),
    }


@pytest.fixture
def signature_verifier(pki: FakeAlexaPki, chains: dict[str, bytes]) -> AlexaSignatureVerifier:
    """The production verifier, trusting the test root and fetching from memory.

    Any URL that is not one of the broken chains gets the good chain, so a refusal of a
    request with a bad URL can only come from the URL check, not from a missing chain.
    """
    good = chain_pem(pki.leaf.cert, pki.intermediate.cert)

    def fetch(url: str) -> bytes:
        return chains.get(url.rsplit("/", 1)[-1], good)

    return AlexaSignatureVerifier(trust_store=Store([pki.root.cert]), fetch_chain=fetch)


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


@pytest.fixture
def store(tmp_path: object) -> RecordingStore:
    sqlite = SqliteStore(f"{tmp_path}/progress.sqlite3")
    sqlite.init()
    return RecordingStore(sqlite)


@pytest.fixture
def settings() -> Settings:
    return Settings(skill_id=SKILL_ID)


@dataclass(frozen=True)
class Server:
    url: str
    app: Flask


@pytest.fixture
def serve() -> Iterator[Callable[[Flask], Server]]:
    """Start an app on a real loopback port in a thread; every server stops at teardown."""
    servers = []

    def start(app: Flask) -> Server:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return Server(f"http://127.0.0.1:{server.server_port}/", app)

    yield start
    for server, thread in servers:
        server.shutdown()
        thread.join()


def envelope(
    request: Request | None = None,
    *,
    application_id: str = SKILL_ID,
    timestamp: datetime | None = None,
) -> bytes:
    """A real ask-sdk-model request envelope, serialised as Alexa sends it."""
    application = Application(application_id=application_id)
    user = User(user_id="amzn1.ask.account.TESTUSER")
    request = request or LaunchRequest(
        request_id=f"amzn1.echo-api.request.{uuid.uuid4()}",
        timestamp=timestamp or datetime.now(UTC),
        locale="en-US",
    )
    env = RequestEnvelope(
        version="1.0",
        session=Session(
            new=True,
            session_id=f"amzn1.echo-api.session.{uuid.uuid4()}",
            application=application,
            user=user,
        ),
        context=Context(
            system=SystemState(
                application=application,
                user=user,
                device=Device(
                    device_id="amzn1.ask.device.TESTDEVICE",
                    supported_interfaces=SupportedInterfaces(),
                ),
                api_endpoint="https://api.amazonalexa.com",
            )
        ),
        request=request,
    )
    return json.dumps(DefaultSerializer().serialize(env)).encode()


def _tiny_skill(store: ProgressStore) -> CustomSkill:
    """Stand-in for skill.builder.build_skill until it lands: writes on every launch."""
    builder = SkillBuilder()

    @builder.request_handler(can_handle_func=is_request_type("LaunchRequest"))
    def launch(handler_input: HandlerInput) -> Response:
        store.save("user", UserUpdate(disclaimer_heard=True))
        return handler_input.response_builder.speak("Welcome to movement snacks.").response

    return builder.create()


@pytest.fixture
def make_app(
    settings: Settings, store: RecordingStore, signature_verifier: AlexaSignatureVerifier
) -> Callable[..., Flask]:
    def make(*, verify: bool = True, skill_settings: Settings = settings) -> Flask:
        return create_app_for_skill(
            _tiny_skill(store),
            skill_settings,
            verify=verify,
            signature_verifier=signature_verifier,
        )

    return make
