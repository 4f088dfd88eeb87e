"""A local stand-in for Alexa's Reminders and Settings APIs, over real HTTP on loopback.

``make chat`` points the envelopes' apiEndpoint (and ALEXA_API_TEST_ENDPOINT) at it,
so a newcomer can create, list and cancel reminders offline; the tests use it to
see the exact requests the skill makes. It answers as the real APIs do, in the
ask-sdk-model JSON shapes:

- ``GET /v2/devices/{id}/settings/System.timeZone``: the zone, a JSON string;
- ``POST /v1/alerts/reminders``: 401 until :attr:`AlexaStandIn.granted`, 403
  MAX_REMINDERS_EXCEEDED past :attr:`AlexaStandIn.max_reminders`, else the new
  reminder's alertToken;
- ``GET /v1/alerts/reminders``, ``DELETE /v1/alerts/reminders/{alertToken}``.

:meth:`AlexaStandIn.fail` makes the n-th call of a method answer an error status,
for the error paths (429, 5xx, a failure part way through a schedule); :attr:`hang`
leaves calls unanswered, as a stuck API would.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

REMINDERS_PATH = "/v1/alerts/reminders"
SETTINGS_SUFFIX = "/settings/System.timeZone"
STAMP = "2026-01-01T00:00:00.000"


@dataclass(frozen=True)
class Call:
    """One request as it reached the stand-in."""

    method: str
    path: str
    authorization: str
    body: Any = None


@dataclass
class AlexaStandIn:
    # None: the Settings API is down (503).
    time_zone: str | None = "UTC"
    granted: bool = False
    max_reminders: int = 50
    calls: list[Call] = field(default_factory=list)
    reminders: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (method, n-th call of that method) -> (status, error code)
    failures: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)
    # Reminders calls with these methods get no answer until stop(): a hung API.
    hang: set[str] = field(default_factory=set)
    released: threading.Event = field(default_factory=threading.Event)
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None, "start() first"
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def fail(self, method: str, status: int, *, nth: int = 1, code: str = "") -> None:
        """The ``nth`` reminders call with ``method`` answers ``status``."""
        self.failures[(method, nth)] = (status, code or f"HTTP_{status}")

    def reminder_calls(self) -> list[Call]:
        return [c for c in self.calls if c.path.startswith(REMINDERS_PATH)]

    def start(self) -> AlexaStandIn:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.serve(self, "GET")

            def do_POST(self) -> None:
                owner.serve(self, "POST")

            def do_DELETE(self) -> None:
                owner.serve(self, "DELETE")

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: a chat or a test prints what matters itself."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.released.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        call = Call(method, handler.path, handler.headers.get("Authorization", ""), body)
        with self.lock:
            self.calls.append(call)
            hangs = call.method in self.hang and call.path.startswith(REMINDERS_PATH)
            # A hung call is never processed: nothing is created or deleted.
            status, answer = (0, None) if hangs else self.answer(call)
        if hangs:
            self.released.wait(timeout=30)
            return
        data = json.dumps(answer).encode() if answer is not None else b""
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def answer(self, call: Call) -> tuple[int, Any]:
        if call.method == "GET" and call.path.endswith(SETTINGS_SUFFIX):
            if self.time_zone is None:
                return 503, {"code": "SERVICE_UNAVAILABLE", "message": "stand-in failure"}
            return 200, self.time_zone
        if not call.path.startswith(REMINDERS_PATH):
            return 404, {"code": "NOT_FOUND", "message": "no such API here"}
        nth = sum(1 for c in self.reminder_calls() if c.method == call.method)
        failure = self.failures.get((call.method, nth))
        if failure is not None:
            return failure[0], {"code": failure[1], "message": "stand-in failure"}
        if not self.granted:
            return 401, {"code": "UNAUTHORIZED", "message": "no reminders permission"}
        return self.reminders_answer(call)

    def reminders_answer(self, call: Call) -> tuple[int, Any]:
        token = call.path[len(REMINDERS_PATH) :].strip("/")
        if call.method == "POST" and not token:
            if len(self.reminders) >= self.max_reminders:
                return 403, {"code": "MAX_REMINDERS_EXCEEDED", "message": "too many reminders"}
            token = str(uuid.uuid4())
            made = {"alertToken": token, "createdTime": STAMP, "updatedTime": STAMP}
            made |= {"status": "ON", "version": "1", "href": f"{REMINDERS_PATH}/{token}"}
            self.reminders[token] = {**(call.body or {}), **made}
            return 201, made
        if call.method == "GET" and not token:
            alerts = list(self.reminders.values())
            return 200, {"totalCount": str(len(alerts)), "alerts": alerts, "links": None}
        if call.method == "DELETE" and token in self.reminders:
            del self.reminders[token]
            return 200, None
        return 404, {"code": "NOT_FOUND", "message": "no such reminder"}
