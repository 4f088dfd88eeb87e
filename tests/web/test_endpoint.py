"""The web endpoint over real HTTP: only genuine, fresh, signed Alexa requests reach the skill.

Each refused request is otherwise perfect (signed with the trusted test chain, fresh,
addressed to our skill) except for the one flaw under test, and must get HTTP 400 with
nothing written to the progress store. Prevents: a forged or replayed request acting as
a user, and a client-made HTTP 500 (flask-ask-sdk's default for SDK errors).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import requests
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import ResponseEnvelope
from flask import Flask

from skill.alexa_api.settings_api import no_lookup
from skill.settings import Settings
from skill.web import MAX_BODY_BYTES, NO_VERIFY_WARNING, create_app
from tests.web.alexa_pki import FakeAlexaPki, make_root, sign
from tests.web.support import (
    CERT_URL,
    EXPIRED_CERT_URL,
    NOT_PEM_CERT_URL,
    UNTRUSTED_CERT_URL,
    WRONG_NAME_CERT_URL,
    RecordingStore,
    Server,
    launch_body,
    skill_enabled_body,
)

TIMEOUT = 10


def post(
    server: Server,
    body: bytes,
    *,
    signature: str | None,
    cert_url: str | None = CERT_URL,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    sent = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    if signature is not None:
        sent["Signature-256"] = signature
    if cert_url is not None:
        sent["SignatureCertChainUrl"] = cert_url
    return requests.post(server.url, data=body, headers=sent, timeout=TIMEOUT)


def signed_post(server: Server, pki: FakeAlexaPki, body: bytes, **kwargs: str) -> requests.Response:
    return post(server, body, signature=sign(pki.leaf.key, body), **kwargs)


def assert_refused(response: requests.Response, saved: RecordingStore) -> None:
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "Bad Request"
    assert saved.saves == []


def test_a_genuine_signed_request_gets_the_skills_answer(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore
) -> None:
    response = signed_post(server, pki, launch_body())

    assert response.status_code == 200, response.text
    answer = DefaultSerializer().deserialize(response.text, ResponseEnvelope)
    assert isinstance(answer, ResponseEnvelope)
    assert "Welcome to Movement Snacks" in answer.response.output_speech.ssml
    assert len(saved.saves) == 1


def test_missing_signature_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore
) -> None:
    assert_refused(post(server, launch_body(), signature=None), saved)


def test_missing_certificate_url_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore
) -> None:
    body = launch_body()
    assert_refused(post(server, body, signature=sign(pki.leaf.key, body), cert_url=None), saved)


def test_legacy_sha1_signature_header_alone_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore
) -> None:
    body = launch_body()
    response = post(server, body, signature=None, headers={"Signature": sign(pki.leaf.key, body)})
    assert_refused(response, saved)


def test_signature_from_another_key_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore
) -> None:
    body = launch_body()
    forged = sign(make_root("Attacker").key, body)
    assert_refused(post(server, body, signature=forged), saved)


def test_body_changed_after_signing_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore
) -> None:
    body = launch_body()
    tampered = body.replace(b"en-US", b"en-GB")
    assert tampered != body
    assert_refused(post(server, tampered, signature=sign(pki.leaf.key, body)), saved)


def test_signature_that_is_not_base64_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore
) -> None:
    assert_refused(post(server, launch_body(), signature="not base64!"), saved)


@pytest.mark.parametrize(
    "cert_url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
        "https://notamazon.com/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert-test.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert-test.pem",
    ],
)
def test_certificate_url_outside_amazons_bucket_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore, cert_url: str
) -> None:
    # The stand-in S3 would serve the good chain for these URLs: only the URL rule refuses.
    assert_refused(signed_post(server, pki, launch_body(), cert_url=cert_url), saved)


def test_amazons_accepted_url_spellings_are_accepted(server: Server, pki: FakeAlexaPki) -> None:
    for cert_url in (
        "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
        "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-test.pem",
    ):
        assert signed_post(server, pki, launch_body(), cert_url=cert_url).status_code == 200


@pytest.mark.parametrize(
    ("cert_url", "signer"),
    [
        (EXPIRED_CERT_URL, "expired_leaf"),
        (UNTRUSTED_CERT_URL, "untrusted_leaf"),
        (WRONG_NAME_CERT_URL, "wrong_name_leaf"),
        (NOT_PEM_CERT_URL, "leaf"),
    ],
)
def test_chain_that_is_expired_untrusted_for_another_name_or_garbage_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore, cert_url: str, signer: str
) -> None:
    # The body is correctly signed by the chain's own leaf: only the chain is at fault.
    body = launch_body()
    leaf_key = getattr(pki, signer).key
    assert_refused(post(server, body, signature=sign(leaf_key, body), cert_url=cert_url), saved)


@pytest.mark.parametrize("age", [timedelta(seconds=151), timedelta(hours=1), -timedelta(minutes=5)])
def test_request_outside_the_150_second_window_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore, age: timedelta
) -> None:
    stale = launch_body(at=datetime.now(UTC) - age)
    assert_refused(signed_post(server, pki, stale), saved)


def test_request_well_inside_the_window_is_accepted(server: Server, pki: FakeAlexaPki) -> None:
    recent = launch_body(at=datetime.now(UTC) - timedelta(seconds=120))
    assert signed_post(server, pki, recent).status_code == 200


def test_skill_events_may_arrive_up_to_an_hour_late(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore
) -> None:
    late = skill_enabled_body(at=datetime.now(UTC) - timedelta(minutes=50))
    assert signed_post(server, pki, late).status_code == 200

    too_late = skill_enabled_body(at=datetime.now(UTC) - timedelta(minutes=70))
    assert_refused(signed_post(server, pki, too_late), saved)


def test_request_for_another_skill_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore
) -> None:
    other = launch_body(skill_id="amzn1.ask.skill.someone-else")
    assert_refused(signed_post(server, pki, other), saved)


def test_any_skill_id_is_served_when_none_is_configured(
    make_app: Callable[..., Flask],
    serve: Callable[[Flask], Server],
    pki: FakeAlexaPki,
) -> None:
    server = serve(make_app(settings=Settings(skill_id=None)))
    other = launch_body(skill_id="amzn1.ask.skill.someone-else")
    assert signed_post(server, pki, other).status_code == 200


def _launch_dict() -> dict[str, object]:
    payload: dict[str, object] = json.loads(launch_body())
    return payload


def _without(path: tuple[str, ...]) -> bytes:
    payload = _launch_dict()
    node: dict[str, object] = payload
    for key in path[:-1]:
        child = node[key]
        assert isinstance(child, dict)
        node = child
    del node[path[-1]]
    return json.dumps(payload).encode()


def _with_request_field(key: str, value: object) -> bytes:
    payload = _launch_dict()
    request = payload["request"]
    assert isinstance(request, dict)
    request[key] = value
    return json.dumps(payload).encode()


MALFORMED_BODIES = {
    "empty": b"",
    "not json": b"{this is not json",
    "not utf-8": b'{"version": "1.0", "x": "\xff\xfe"}',
    "json array": b"[]",
    "json string": b'"LaunchRequest"',
    "json null": b"null",
    "empty object": b"{}",
    "deeply nested": b"[" * 50_000 + b"]" * 50_000,
    "no version": _without(("version",)),
    "no request": _without(("request",)),
    "no request type": _without(("request", "type")),
    "no request id": _without(("request", "requestId")),
    "no timestamp": _without(("request", "timestamp")),
    "no context": _without(("context",)),
    "no application id": _without(("context", "System", "application", "applicationId")),
    "request is a string": json.dumps({**_launch_dict(), "request": "LaunchRequest"}).encode(),
    "unknown request type": _with_request_field("type", "PizzaRequest"),
    "timestamp not a time": _with_request_field("timestamp", "yesterday"),
    "timestamp without zone": _with_request_field(
        "timestamp", datetime.now(UTC).replace(tzinfo=None).isoformat()
    ),
}


@pytest.mark.parametrize("body", MALFORMED_BODIES.values(), ids=MALFORMED_BODIES.keys())
def test_malformed_body_is_refused_even_when_signed(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore, body: bytes
) -> None:
    assert_refused(signed_post(server, pki, body), saved)


def test_other_methods_get_405(server: Server, saved: RecordingStore) -> None:
    for method in ("GET", "PUT", "DELETE"):
        response = requests.request(method, server.url, timeout=TIMEOUT)
        assert response.status_code == 405
        assert "POST" in response.headers["Allow"]
    assert saved.saves == []


def test_oversized_body_gets_413(server: Server, pki: FakeAlexaPki, saved: RecordingStore) -> None:
    body = launch_body().replace(
        b'"version"', b'"padding": "' + b"x" * MAX_BODY_BYTES + b'", "version"'
    )
    response = signed_post(server, pki, body)
    assert response.status_code == 413
    assert saved.saves == []


def test_no_verify_mode_serves_unsigned_requests_and_warns_loudly(
    make_app: Callable[..., Flask],
    serve: Callable[[Flask], Server],
    saved: RecordingStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="skill.web"):
        server = serve(make_app(verify=False))
    assert NO_VERIFY_WARNING in caplog.messages

    stale = launch_body(at=datetime.now(UTC) - timedelta(hours=2))
    response = post(server, stale, signature=None, cert_url=None)

    assert response.status_code == 200, response.text
    assert len(saved.saves) == 1


def test_no_verify_mode_still_refuses_malformed_bodies_and_other_skills(
    make_app: Callable[..., Flask], serve: Callable[[Flask], Server], saved: RecordingStore
) -> None:
    server = serve(make_app(verify=False))
    for body in (b"[]", launch_body(skill_id="amzn1.ask.skill.someone-else")):
        assert_refused(post(server, body, signature=None, cert_url=None), saved)


def test_verification_is_on_unless_switched_off(
    web_settings: Settings,
    saved: RecordingStore,
    serve: Callable[[Flask], Server],
) -> None:
    """Without a verifier argument the app builds the production one: unsigned is refused."""
    server = serve(create_app(web_settings, saved, time_zones=no_lookup))
    assert_refused(post(server, launch_body(), signature=None, cert_url=None), saved)


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain"])
def test_a_genuine_request_is_read_as_sent_whatever_its_content_type(
    server: Server, pki: FakeAlexaPki, content_type: str
) -> None:
    # Flask would otherwise parse a form body away before the signature check sees it.
    body = launch_body()
    response = post(
        server, body, signature=sign(pki.leaf.key, body), headers={"Content-Type": content_type}
    )
    assert response.status_code == 200, response.text
