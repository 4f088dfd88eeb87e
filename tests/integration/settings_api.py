"""A local stand-in for Alexa's Settings API over real HTTP, with switchable faults.

Envelopes whose ``context.System.apiEndpoint`` names :attr:`SettingsApi.base_url`
reach it; ``ALEXA_API_TEST_ENDPOINT`` must name the same base URL, or the skill
will not send the apiAccessToken there (DESIGN.md section 4).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = "answer"
# Answers after ``delay_s``: past the skill's 1 s timeout, the lookup gives up.
SLOW = "slow"
# HTTP 500, as the API answers when it is failing.
FAILING = "failing"
# The connection is closed unanswered: nothing is listening any more.
MISSING = "missing"

TIME_ZONE_PATH = re.compile(r"/v2/devices/[^/]+/settings/System\.timeZone")


@dataclass
class SettingsApi:
    time_zone: str
    base_url: str = ""
    mode: str = ANSWER
    delay_s: float = 0.0
    # (path matched, bearer token present) of every request received.
    calls: list[tuple[bool, bool]] = field(default_factory=list)
    # Requests answered with a fault (not ANSWER).
    faulted: int = 0
    release: threading.Event = field(default_factory=threading.Event)

    def switch(self, mode: str = ANSWER, delay_s: float = 0.0) -> None:
        self.mode, self.delay_s = mode, delay_s


def _handler(api: SettingsApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            matched = TIME_ZONE_PATH.fullmatch(self.path) is not None
            token = self.headers.get("Authorization", "").startswith("Bearer ")
            api.calls.append((matched, token))
            mode = api.mode
            api.faulted += mode != ANSWER
            if mode == MISSING:
                self.close_connection = True
                return
            if mode == SLOW:
                api.release.wait(timeout=api.delay_s)
            status, body = (200, json.dumps(api.time_zone).encode())
            if mode == FAILING:
                status, body = 500, b'{"message": "internal error"}'
            elif not (matched and token):
                status, body = 404, b'{"message": "not found"}'
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                self.close_connection = True  # the skill gave up waiting: as intended

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the drill reads ``calls`` instead."""

    return Handler


@contextmanager
def settings_api(time_zone: str) -> Iterator[SettingsApi]:
    api = SettingsApi(time_zone)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        api.release.set()
        server.shutdown()
        server.server_close()
        thread.join()
