"""The production chain download, against local HTTP servers standing in for S3.

Prevents: an unreachable, missing or huge chain turning into an HTTP 500 or a hung turn
instead of a refused request, and a redirect taking the download to another host or out
of /echo.api/. (The URL rules are proven in test_endpoint.py and test_cert_url.py; here
the fetcher is called directly, since only s3.amazonaws.com passes those rules.)
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from ask_sdk_webservice_support.verifier import VerificationException

from skill.cert_chain import MAX_CHAIN_BYTES, fetch_chain_over_https

FILES = {"/echo.api/chain.pem": b"-----BEGIN CERTIFICATE-----\n", "/echo.api/huge.pem": None}
ELSEWHERE = "/elsewhere/chain.pem"
# Where each path redirects: a relative target stays on this server; "OTHER" is a second
# server on another port, a different origin for urllib as another host would be.
REDIRECTS = {
    "/echo.api/moved.pem": "/echo.api/chain.pem",
    "/echo.api/out-of-bucket.pem": ELSEWHERE,
    "/echo.api/to-other-host.pem": "OTHER/echo.api/chain.pem",
}


class _S3StandIn(BaseHTTPRequestHandler):
    other_origin = ""
    requests_seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests_seen.append(self.path)
        if self.path in REDIRECTS:
            self.send_response(302)
            self.send_header("Location", REDIRECTS[self.path].replace("OTHER", self.other_origin))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == ELSEWHERE:
            self.send_response(200)
            self.send_header("Content-Length", "4")
            self.end_headers()
            self.wfile.write(b"evil")
            return
        if self.path not in FILES:
            self.send_error(404)
            return
        body = FILES[self.path] or b"x" * (MAX_CHAIN_BYTES + 1)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


class _OtherHost(_S3StandIn):
    requests_seen: ClassVar[list[str]] = []


@pytest.fixture(scope="module")
def other_url() -> Iterator[str]:
    yield from _serve(_OtherHost)


@pytest.fixture(scope="module")
def base_url(other_url: str) -> Iterator[str]:
    _S3StandIn.other_origin = other_url
    yield from _serve(_S3StandIn)


def _serve(handler: type[_S3StandIn]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_chain_is_downloaded(base_url: str) -> None:
    assert fetch_chain_over_https(f"{base_url}/echo.api/chain.pem") == FILES["/echo.api/chain.pem"]


def test_missing_chain_is_a_verification_failure(base_url: str) -> None:
    with pytest.raises(VerificationException, match="Cannot fetch"):
        fetch_chain_over_https(f"{base_url}/echo.api/gone.pem")


def test_oversized_chain_is_a_verification_failure(base_url: str) -> None:
    with pytest.raises(VerificationException, match="too large"):
        fetch_chain_over_https(f"{base_url}/echo.api/huge.pem")


def test_unreachable_host_is_a_verification_failure() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(VerificationException, match="Cannot fetch"):
        fetch_chain_over_https(f"http://127.0.0.1:{port}/echo.api/chain.pem")


def test_a_redirect_within_the_bucket_is_followed(base_url: str) -> None:
    chain = fetch_chain_over_https(f"{base_url}/echo.api/moved.pem")
    assert chain == FILES["/echo.api/chain.pem"]


def test_a_redirect_out_of_the_bucket_is_not_followed(base_url: str) -> None:
    with pytest.raises(VerificationException, match="Cannot fetch"):
        fetch_chain_over_https(f"{base_url}/echo.api/out-of-bucket.pem")
    assert ELSEWHERE not in _S3StandIn.requests_seen


def test_a_redirect_to_another_host_is_not_followed(base_url: str, other_url: str) -> None:
    with pytest.raises(VerificationException, match="Cannot fetch"):
        fetch_chain_over_https(f"{base_url}/echo.api/to-other-host.pem")
    assert _OtherHost.requests_seen == []
