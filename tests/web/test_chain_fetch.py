"""The production chain download, against a local HTTP server standing in for S3.

Prevents: an unreachable, missing or huge chain turning into an HTTP 500 or a hung turn
instead of a refused request. (The URL rules are proven in test_endpoint.py; here the
fetcher is called directly, since only s3.amazonaws.com passes those rules.)
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from ask_sdk_webservice_support.verifier import VerificationException

from skill.cert_chain import MAX_CHAIN_BYTES, fetch_chain_over_https

FILES = {"/echo.api/chain.pem": b"-----BEGIN CERTIFICATE-----\n", "/echo.api/huge.pem": None}


class _S3StandIn(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
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


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _S3StandIn)
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
