"""Certificate URLs and timestamps that once made the endpoint answer 500, over real HTTP.

Each request is signed by the trusted test chain, which the stand-in fetcher serves for
any URL it is asked for: a refusal can only come from the URL rule (or the timestamp
check), never from a missing chain. Prevents: a SignatureCertChainUrl that passes the
prefix rules but holds whitespace, control characters, user info, a query, a fragment or
escapes, and a timestamp the SDK cannot do arithmetic on, ending in HTTP 500 or in a
download of a URL other than the one checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import requests
from ask_sdk_webservice_support.verifier import VerificationException
from cryptography.x509.verification import Store
from flask import Flask

from skill.alexa_api.settings_api import no_lookup
from skill.cert_chain import FAILURE_TTL_S, ChainCache
from skill.request_verifier import AlexaSignatureVerifier, parse_chain
from skill.settings import Settings
from skill.web import create_app
from tests.web.alexa_pki import FakeAlexaPki, chain_pem, sign
from tests.web.support import CERT_URL, RecordingStore, Server, launch_body

BUCKET = "https://s3.amazonaws.com/echo.api/"

REFUSED_URLS = {
    "space in path": BUCKET + "echo-api cert.pem",
    "tab in path": BUCKET + "echo-api\tcert.pem",
    "tab in host": "https://s3.amazon\taws.com/echo.api/echo-api-cert.pem",
    "vertical tab": BUCKET + "echo-api\x0bcert.pem",
    "NUL": BUCKET + "echo-api-cert.pem\x00",
    "escape": BUCKET + "\x1b[31mecho-api-cert.pem",
    "DEL": BUCKET + "echo-api-cert\x7f.pem",
    "non-ASCII": BUCKET + "échø-api-cert.pem",
    "user": "https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "user and password": "https://user:secret@s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "host as user": "https://s3.amazonaws.com@s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "empty user": "https://@s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "query": BUCKET + "echo-api-cert.pem?versionId=1",
    "empty query": BUCKET + "echo-api-cert.pem?",
    "query in bucket path": BUCKET + "?prefix=../",
    "fragment": BUCKET + "echo-api-cert.pem#part",
    "empty fragment": BUCKET + "echo-api-cert.pem#",
    "escaped dot segment": BUCKET + "%2e%2e/elsewhere/cert.pem",
    "escaped slash": BUCKET + "..%2felsewhere.pem",
    "backslash": BUCKET + "..\\elsewhere.pem",
    "host with trailing dot": "https://s3.amazonaws.com./echo.api/echo-api-cert.pem",
    "bucket folder itself": "https://s3.amazonaws.com/echo.api/",
    "over-long": BUCKET + "a" * 4096 + ".pem",
}


def _post(server: Server, pki: FakeAlexaPki, cert_url: str, body: bytes) -> requests.Response:
    # http.client sends any header byte but CR and LF; latin-1 carries the non-ASCII case.
    headers = {"Signature-256": sign(pki.leaf.key, body), "SignatureCertChainUrl": cert_url}
    return requests.post(server.url, data=body, headers=headers, timeout=10)


@pytest.mark.parametrize("cert_url", REFUSED_URLS.values(), ids=REFUSED_URLS.keys())
def test_certificate_url_beyond_the_prefix_rules_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore, cert_url: str
) -> None:
    response = _post(server, pki, cert_url, launch_body())

    assert response.status_code == 400, response.text
    assert saved.saves == []


OFFSET_TIMESTAMPS = {
    "first year, east of UTC": "0001-01-01T00:00:00+01:00",
    "last year, west of UTC": "9999-12-31T23:59:59-01:00",
    "offset of a whole day": "2026-06-01T12:00:00+24:00",
    "offset past a day": "2026-06-01T12:00:00+99:00",
    "offset without colon past a day": "2026-06-01T12:00:00-2500",
    "offset in seconds past a day": "2026-06-01T12:00:00+23:59:60",
}


@pytest.mark.parametrize("timestamp", OFFSET_TIMESTAMPS.values(), ids=OFFSET_TIMESTAMPS.keys())
def test_timestamp_with_an_offset_the_sdk_cannot_take_is_refused(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore, timestamp: str
) -> None:
    payload = json.loads(launch_body())
    payload["request"]["timestamp"] = timestamp

    response = _post(server, pki, CERT_URL, json.dumps(payload).encode())

    assert response.status_code == 400, response.text
    assert saved.saves == []


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class RecordingFetcher:
    """Serves the trusted chain, except for URLs named ``missing``, and records each call."""

    def __init__(self, good_chain: bytes) -> None:
        self.good_chain = good_chain
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        if "missing" in url:
            raise VerificationException("Cannot fetch the certificate chain (HTTPError)")
        return self.good_chain


@pytest.fixture
def fetcher(pki: FakeAlexaPki) -> RecordingFetcher:
    return RecordingFetcher(chain_pem(pki.leaf.cert, pki.intermediate.cert))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def recording_server(
    pki: FakeAlexaPki,
    fetcher: RecordingFetcher,
    clock: FakeClock,
    web_settings: Settings,
    saved: RecordingStore,
    serve: Callable[[Flask], Server],
) -> Server:
    chains = ChainCache(fetcher, parse_chain, clock=clock)
    verifier = AlexaSignatureVerifier(trust_store=Store([pki.root.cert]), chains=chains)
    app = create_app(web_settings, saved, signature_verifier=verifier, time_zones=no_lookup)
    return serve(app)


def test_only_the_canonical_url_is_fetched_once_for_all_its_spellings(
    recording_server: Server, pki: FakeAlexaPki, fetcher: RecordingFetcher
) -> None:
    spellings = [
        "HTTPS://S3.AmazonAWS.com/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com:443/echo.api/../echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/./echo-api-cert-test.pem",
        CERT_URL,
    ]
    for cert_url in spellings:
        assert _post(recording_server, pki, cert_url, launch_body()).status_code == 200

    assert fetcher.urls == [CERT_URL]


def test_a_failed_download_is_not_repeated_for_a_while(
    recording_server: Server, pki: FakeAlexaPki, fetcher: RecordingFetcher, clock: FakeClock
) -> None:
    missing = BUCKET + "missing.pem"
    for _ in range(5):
        assert _post(recording_server, pki, missing, launch_body()).status_code == 400
    assert fetcher.urls == [missing]

    clock.now += FAILURE_TTL_S
    assert _post(recording_server, pki, missing, launch_body()).status_code == 400
    assert fetcher.urls == [missing, missing]


def test_the_memory_of_failures_is_bounded(fetcher: RecordingFetcher, clock: FakeClock) -> None:
    cache = ChainCache(fetcher, parse_chain, failure_size=2, clock=clock)
    urls = [f"{BUCKET}missing-{n}.pem" for n in range(3)]
    for url in [*urls, urls[2], urls[0]]:
        with pytest.raises(VerificationException, match="Cannot fetch"):
            cache.load(url)

    # The third failure pushed out the first; the third itself was still remembered.
    assert fetcher.urls == [*urls, urls[0]]
