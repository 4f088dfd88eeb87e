"""A failing proxy in front of a real AWS-compatible server (dynalite, moto's SQS).

Requests go over real HTTP through the skill's own botocore client, so its
retry policy and timeouts are what is being tested, not a stub of them.

Faults are either planned (the first requests get them, in order) or switched
while a conversation runs (:meth:`FaultyProxy.switch`), optionally for some
operations only (``UpdateItem`` while ``Query`` still answers, say).
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

FORWARD = "forward"
# DynamoDB's ProvisionedThroughputExceededException, the request never reaches the server.
THROTTLE = "throttle"
# Held open until the test ends: the client's read timeout fires, nothing is applied.
HANG = "hang"
# The connection is closed before any answer: a server that is down or restarting.
DOWN = "down"
# An HTTP 500 InternalServerError, nothing applied.
SERVER_ERROR = "server-error"
# Applied upstream, but the answer comes ``delay_s`` late: past the client's read
# timeout, the client retries a request that already took effect.
SLOW = "slow"
# As SLOW for a request's first attempt only; the client's retry (the same body) is
# answered at once: a latency spike rather than an overloaded server.
SLOW_ONCE = "slow-once"
# Applied upstream, then the connection drops: the client's retry of a conditional
# write is answered by the server's own ConditionalCheckFailedException.
LOST_REPLY = "lost-reply"

_ERRORS = {
    THROTTLE: (
        400,
        "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        "Throughput exceeded",
    ),
    SERVER_ERROR: (500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal error"),
}


@dataclass(frozen=True)
class Fault:
    """What the proxy does now: ``kind`` for the ``operations`` named (all when empty)."""

    kind: str = FORWARD
    operations: frozenset[str] = frozenset()
    delay_s: float = 0.0

    def applies_to(self, operation: str) -> bool:
        return not self.operations or operation in self.operations


class FaultyProxy:
    """Answers the first requests with planned faults, then with the current fault."""

    def __init__(self, upstream: str, plan: list[str], then: str = FORWARD) -> None:
        self.upstream = urlparse(upstream)
        self.plan = list(plan)
        self.fault = Fault(then)
        self.requests: list[str] = []
        # Operation names of the requests a fault (not FORWARD) was applied to.
        self.faulted: list[str] = []
        self._seen: set[int] = set()
        self.release = threading.Event()
        self._lock = threading.Lock()

    def switch(
        self, kind: str = FORWARD, operations: tuple[str, ...] = (), delay_s: float = 0.0
    ) -> None:
        """From the next request on, apply ``kind`` (FORWARD clears every fault)."""
        with self._lock:
            self.plan.clear()
            self.fault = Fault(kind, frozenset(operations), delay_s)

    @property
    def then(self) -> str:
        """The fault for every request once the plan is used up."""
        return self.fault.kind

    @then.setter
    def then(self, kind: str) -> None:
        self.fault = Fault(kind)

    def next_fault(self, operation: str) -> Fault:
        with self._lock:
            self.requests.append(operation)
            fault = Fault(self.plan.pop(0)) if self.plan else self.fault
            if not fault.applies_to(operation):
                return Fault()
            if fault.kind != FORWARD:
                self.faulted.append(operation)
            return fault

    def first_attempt(self, body: bytes) -> bool:
        """True the first time this exact request body arrives (a retry repeats it)."""
        with self._lock:
            seen = hash(body) in self._seen
            self._seen.add(hash(body))
            return not seen

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
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
            fault = proxy.next_fault(operation)
            if fault.kind == HANG:
                proxy.release.wait(timeout=30)
                self.close_connection = True
                return
            if fault.kind == DOWN:
                self.close_connection = True
                return
            if fault.kind in _ERRORS:
                status, kind, message = _ERRORS[fault.kind]
                payload = json.dumps({"__type": kind, "message": message}).encode()
            else:
                status, payload = proxy.forward("POST", self.path, dict(self.headers), body)
            if fault.kind == LOST_REPLY:
                self.close_connection = True
                return
            if fault.kind == SLOW or (fault.kind == SLOW_ONCE and proxy.first_attempt(body)):
                # The client has usually given up by now; the release ends the wait early.
                proxy.release.wait(timeout=fault.delay_s)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                self.close_connection = True  # a late answer the client no longer waits for

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
