"""Load: `movement-snacks serve` (a real subprocess) on dynalite, 16 conversations at once.

Everything stays on loopback: dynalite (tests/integration/dynalite.py) holds the
progress, a Settings API stand-in answers the time-zone lookups the envelopes point
at, and 16 client threads each talk the benchmark turn mix (benchmarks/turns.py) as a
new user per dialog: a new session and new request ids, every turn carrying the last
answer's session attributes. After a warm-up the run lasts DURATION_S and stops by
itself. Printed: requests per second, p50 and p99 latency, errors (any non-200, any
answer Alexa could not say, any client error: goal 0), and the server's RSS after the
warm-up against at the end (goal: flat). Verification is off (--no-verify): the
production verifier trusts only Amazon's root, and bench_http times it separately.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from benchmarks.bench_http import bodies, percentile
from skill.chat.envelopes import DEFAULT_SKILL_ID
from skill.progress.dynamodb_store import DynamoDbStore
from skill.speech.messages import messages_for
from tests.integration import dynalite
from tests.integration.drill import problems_of
from tests.integration.settings_api import settings_api

CONVERSATIONS = 16
WARMUP_S = 10.0
DURATION_S = 60.0
START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 10.0
# What the skill says when the store could not take a set: under load, that is an error.
UNSAVED = tuple(
    messages_for("en-US").say(f"outcome.{kind}")
    for kind in ("carried", "lost", "queued", "unreachable")
)


def rss_mib(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else float("nan")


@contextmanager
def serve(env: dict[str, str], table: str, log: Path) -> Iterator[tuple[str, int]]:
    """The real command on a free port; yields its URL and pid, stops it afterwards."""
    command = [sys.executable, "-m", "skill.cli", "serve", "--port", "0", "--no-verify"]
    command += ["--store", f"dynamodb://{table}"]
    with open(log, "w") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (match := re.search(r"Serving on (http://\S+)", log.read_text())):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield match.group(1).rstrip("/") + "/", process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


class Load:
    """Client threads talking until ``stop_at``; timings counted after ``measure_from``."""

    def __init__(self, url: str, api_endpoint: str, measure_from: float, stop_at: float) -> None:
        self.url, self.api_endpoint = url, api_endpoint
        self.measure_from, self.stop_at = measure_from, stop_at
        self.timings: list[float] = []
        self.errors: list[str] = []
        self._lock = threading.Lock()

    def converse(self) -> None:
        source = bodies(new_user=True, api_endpoint=self.api_endpoint)
        body = next(source)
        with requests.Session() as session:
            while time.monotonic() < self.stop_at:
                began = time.perf_counter()
                error, answer = self.send(session, body)
                ms = (time.perf_counter() - began) * 1000
                if time.monotonic() >= self.measure_from or error:
                    with self._lock:
                        self.timings.append(ms)
                        if error:
                            self.errors.append(error)
                body = source.send(answer)

    def send(self, session: requests.Session, body: bytes) -> tuple[str, dict[str, Any]]:
        headers = {"Content-Type": "application/json"}
        try:
            response = session.post(self.url, data=body, headers=headers, timeout=REQUEST_TIMEOUT_S)
        except requests.RequestException as exc:
            return type(exc).__name__, {}
        if response.status_code != 200:
            return f"HTTP {response.status_code}", {}
        answer = response.json()
        problems = problems_of(answer)
        speech = answer.get("response", {}).get("outputSpeech", {}).get("ssml", "")
        if any(words in speech for words in UNSAVED):
            problems.append("the store failed under load")  # honest, but an error here
        return "; ".join(problems), answer


def environment(dynalite_endpoint: str, api_endpoint: str, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SKILL_ID": DEFAULT_SKILL_ID,
        "USER_KEY_SALT": uuid.uuid4().hex,
        "AWS_ENDPOINT_URL_DYNAMODB": dynalite_endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "ALEXA_API_TEST_ENDPOINT": api_endpoint,
        "HOME": str(folder),
    }


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as name,
        dynalite.running() as endpoint,
        settings_api("Europe/Berlin") as api,
    ):
        table = f"load-{uuid.uuid4().hex[:12]}"
        DynamoDbStore(table, client=dynalite.local_client(endpoint)).init()
        log = Path(name) / "serve.log"
        with serve(environment(endpoint, api.base_url, Path(name)), table, log) as (url, pid):
            began = time.monotonic()
            load = Load(url, api.base_url, began + WARMUP_S, began + WARMUP_S + DURATION_S)
            threads = [threading.Thread(target=load.converse) for _ in range(CONVERSATIONS)]
            for thread in threads:
                thread.start()
            time.sleep(WARMUP_S)
            warm = rss_mib(pid)
            for thread in threads:
                thread.join(timeout=DURATION_S + REQUEST_TIMEOUT_S * 2)
            end = rss_mib(pid)
    report(load, warm, end)


def report(load: Load, warm_mib: float, end_mib: float) -> None:
    timings = load.timings
    print(
        f"{CONVERSATIONS} concurrent conversations for {DURATION_S:.0f} s after a "
        f"{WARMUP_S:.0f} s warm-up (serve --no-verify on dynalite, loopback):"
    )
    print(
        f"  {len(timings) / DURATION_S:.0f} requests/s, p50 {statistics.median(timings):.1f} ms, "
        f"p99 {percentile(timings, 0.99):.1f} ms (anchor: Alexa's 8000 ms)"
    )
    print(f"  errors: {len(load.errors)} of {len(timings)} requests (goal 0) {load.errors[:3]}")
    print(
        f"  server RSS: {warm_mib:.1f} MiB after warm-up, {end_mib:.1f} MiB at the end "
        f"({end_mib - warm_mib:+.1f} MiB; goal: flat)"
    )


if __name__ == "__main__":
    main()
