"""The production server (waitress, as `movement-snacks serve` runs it) refuses oversized
requests itself, before reading them, so the skill never sees them.

Prevents: the 128 KiB limit applying only after waitress has buffered up to its default
of 1 GiB per request, which lets a few clients exhaust the server's memory or disk.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import requests
from flask import Flask

from skill.web import MAX_BODY_BYTES, MAX_HEADER_BYTES, make_server
from tests.web.support import RecordingStore, launch_body

TIMEOUT = 10
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class CountingApp:
    """WSGI middleware that counts the requests reaching the Flask app."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.calls += 1
        return self.app(environ, start_response)


@pytest.fixture
def counting(make_app: Callable[..., Flask]) -> CountingApp:
    return CountingApp(make_app().wsgi_app)


@pytest.fixture
def url(counting: CountingApp) -> Iterator[str]:
    server = make_server(counting, host="127.0.0.1", port=0)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}/"
    server.task_dispatcher.shutdown()
    server.close()


def _padded(size: int) -> bytes:
    """A launch envelope padded with a JSON field to exactly ``size`` bytes."""
    body = launch_body()
    filler = size - len(body) - len(b'"padding": "", ')
    padded = body.replace(b'"version"', b'"padding": "' + b"x" * filler + b'", "version"', 1)
    assert len(padded) == size
    return padded


def test_a_body_over_the_limit_is_refused_by_the_server(
    url: str, counting: CountingApp, saved: RecordingStore
) -> None:
    response = requests.post(url, data=_padded(MAX_BODY_BYTES + 1), timeout=TIMEOUT)

    assert response.status_code == 413
    assert counting.calls == 0
    assert saved.saves == []


def test_a_chunked_body_over_the_limit_is_refused_by_the_server(
    url: str, counting: CountingApp
) -> None:
    # No Content-Length: waitress must count the chunks as they come.
    chunks = (b"x" * 16 * 1024 for _ in range(MAX_BODY_BYTES // (16 * 1024) + 2))

    response = requests.post(url, data=chunks, timeout=TIMEOUT)

    assert response.status_code == 413
    assert counting.calls == 0


def test_a_huge_announced_body_is_refused_before_it_is_sent(
    url: str, counting: CountingApp
) -> None:
    """The refusal comes from the Content-Length alone: nothing of the 1 GiB was sent."""
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as connection:
        connection.sendall(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1073741824\r\n\r\n{"
        )
        status_line = connection.makefile("rb").readline()

    assert status_line.split()[1] == b"413"
    assert counting.calls == 0


def test_oversized_headers_are_refused_by_the_server(url: str, counting: CountingApp) -> None:
    headers = {"X-Padding": "x" * (MAX_HEADER_BYTES + 1)}

    response = requests.post(url, data=launch_body(), headers=headers, timeout=TIMEOUT)

    assert response.status_code == 431
    assert counting.calls == 0


def test_a_body_at_the_limit_still_reaches_the_endpoint(url: str, counting: CountingApp) -> None:
    # Unsigned, so the endpoint itself refuses it: but it got to decide.
    response = requests.post(url, data=_padded(MAX_BODY_BYTES), timeout=TIMEOUT)

    assert response.status_code == 400
    assert counting.calls == 1
