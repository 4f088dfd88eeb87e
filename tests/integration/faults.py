"""A failing proxy in front of dynalite: throttles or hangs, as a real outage would.

Requests go over real HTTP through the skill's own botocore client, so its
retry policy and timeouts are what is being tested, not a stub of them.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

THROTTLE = "throttle"
HANG = "hang"
FORWARD = "forward"


class FaultyProxy:
    """Answers the first requests with planned faults, then forwards to the real server."""

    def __init__(self, upstream: str, plan: list[str], then: str = FORWARD) -> None:
        self.upstream = urlparse(upstream)
        self.plan = list(plan)
        self.then = then
        self.requests: list[str] = []
        self.release = threading.Event()
        self._lock = threading.Lock()

    def next_fault(self, operation: str) -> str:
        with self._lock:
            self.requests.append(operation)
            return self.plan.pop(0) if self.plan else self.then

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes]:
        host, port = self.upstream.hostname or "127.0.0.1", self.upstream.port or 80
        connection = http.client.HTTPConnection(host, port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


def _handler(proxy: FaultyProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
            fault = proxy.next_fault(operation)
            if fault == HANG:
                # Hold the request open until the test ends: the client's read timeout fires.
                proxy.release.wait(timeout=30)
                return
            if fault == THROTTLE:
                status, payload = (
                    400,
                    json.dumps(
                        {
                            "__type": "com.amazonaws.dynamodb.v20120810#"
                            "ProvisionedThroughputExceededException",
                            "message": "Throughput exceeded",
                        }
                    ).encode(),
                )
            else:
                status, payload = proxy.forward("POST", self.path, dict(self.headers), body)
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test asserts on the recorded requests instead."""

    return Handler


@contextmanager
def faulty_proxy(
    upstream: str, plan: list[str], then: str = FORWARD
) -> Iterator[tuple[str, FaultyProxy]]:
    proxy = FaultyProxy(upstream, plan, then)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(proxy))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", proxy
    finally:
        proxy.release.set()
        server.shutdown()
        server.server_close()
        thread.join()
