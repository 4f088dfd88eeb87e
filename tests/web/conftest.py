"""Fixtures for the web endpoint: a generated PKI, a real HTTP server, a recording store."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from cryptography.x509.verification import Store
from flask import Flask
from werkzeug.serving import make_server

from skill.alexa_api.settings_api import no_lookup
from skill.progress.sqlite_store import SqliteStore
from skill.request_verifier import AlexaSignatureVerifier
from skill.settings import Settings
from skill.web import create_app
from tests.web.alexa_pki import FakeAlexaPki, chain_pem
from tests.web.support import SKILL_ID, RecordingStore, Server


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
        "not-pem.pem": b"<Error><Code>AccessDenied</Code></Error>",
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


@pytest.fixture
def saved(store: SqliteStore) -> RecordingStore:
    return RecordingStore(store)


@pytest.fixture
def web_settings(settings: Settings) -> Settings:
    return Settings(skill_id=SKILL_ID, progress_store=settings.progress_store)


@pytest.fixture
def serve() -> Iterator[Callable[[Flask], Server]]:
    """Start an app on a real loopback port in a thread; every server stops at teardown."""
    servers = []

    def start(app: Flask) -> Server:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        # A short poll interval: shutdown() waits for the loop's next poll (0.5 s by default).
        thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
        thread.start()
        servers.append((server, thread))
        return Server(f"http://127.0.0.1:{server.server_port}/", app)

    yield start
    for server, thread in servers:
        server.shutdown()
        thread.join()


@pytest.fixture
def make_app(
    web_settings: Settings,
    saved: RecordingStore,
    signature_verifier: AlexaSignatureVerifier,
) -> Callable[..., Flask]:
    """The real skill (skill.builder) behind the real app, verifying with the test PKI."""

    def make(*, verify: bool = True, settings: Settings = web_settings) -> Flask:
        return create_app(
            settings,
            saved,
            verify=verify,
            signature_verifier=signature_verifier,
            time_zones=no_lookup,  # tests never call Alexa's real Settings API
        )

    return make


@pytest.fixture
def server(make_app: Callable[..., Flask], serve: Callable[[Flask], Server]) -> Server:
    """The app as served in production (verification on), on a loopback port."""
    return serve(make_app())
