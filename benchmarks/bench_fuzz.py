"""The property tests' envelopes, many more of them: what each entry point answers, counted.

The same strategies as tests/property (ask-sdk-model envelopes of every request type, then
mutated) drive, in-process, the bare SDK path (deserialise + invoke, what the Lambda entry
point was before the gate: the anchor), the Lambda entry point, and, over HTTP, the
production app under waitress with a generated Alexa PKI (requests signed, so they reach
the shape gate). Figures are printed, never asserted; each crash is named by exception
type and place only. Run alone with ``python -m benchmarks bench_fuzz``.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import waitress
from cryptography.x509.verification import Store

from skill import gate
from skill.alexa_api.settings_api import no_lookup
from skill.builder import build_skill
from skill.lambda_function import answer, invoke_json
from skill.progress.sqlite_store import SqliteStore
from skill.request_verifier import AlexaSignatureVerifier
from skill.settings import Settings
from skill.web import create_app
from tests.web.alexa_pki import FakeAlexaPki, chain_pem, sign
from tests.web.support import CERT_URL, SKILL_ID

IN_PROCESS_EXAMPLES = 2000
HTTP_EXAMPLES = 600
CLOCK = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


class Tally(logging.Handler):
    """Counts outcomes; an ERROR line saying "unhandled" is a crash even if answered."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.counts: Counter[str] = Counter()
        self.crashes: Counter[str] = Counter()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "unhandled" in record.getMessage():
            self.lines.append(record.getMessage())


@contextmanager
def tallied() -> Iterator[Tally]:
    tally = Tally()
    root = logging.getLogger()
    root.addHandler(tally)
    previous = root.level
    root.setLevel(logging.ERROR)  # refusals are WARNING lines: thousands of them, not shown
    try:
        yield tally
    finally:
        root.removeHandler(tally)
        root.setLevel(previous)


def run(examples: int, test: Any) -> None:
    """Run ``test(event)`` over ``examples`` mutated envelopes (fixed seed: repeatable)."""
    from hypothesis import HealthCheck, given, settings

    from tests.property.envelopes import mutated

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(event=mutated())
    def each(event: Any) -> None:
        test(event)

    each()


def in_process(folder: Path) -> None:
    store = SqliteStore(folder / "fuzz.sqlite3", clock=lambda: CLOCK)
    store.init()
    settings = Settings(skill_id=SKILL_ID, progress_store=f"sqlite:///{store.path}")
    skill = build_skill(settings, store, lambda: CLOCK, time_zones=no_lookup)
    bare, entry = Counter[str](), Counter[str]()
    with tallied() as tally:

        def test(event: Any) -> None:
            # The anchor: the SDK path alone, as the entry point was before the gate.
            bare["run"] += 1
            try:
                invoke_json(skill, json.loads(json.dumps(event)))
            except Exception:
                bare["raised"] += 1
            bare["catch-all"] += len(tally.lines)  # the skill's own error handler caught those
            tally.lines.clear()
            entry["run"] += 1
            entry["refused" if gate.refusal(event) else "let in"] += 1
            try:
                answer(skill, json.loads(json.dumps(event)))
            except Exception:
                entry["raised"] += 1
            tally.crashes.update(tally.lines)
            tally.lines.clear()

        run(IN_PROCESS_EXAMPLES, test)
    print(
        f"bare SDK path (anchor): {bare['run']} events, {bare['raised']} raised"
        f" ({100 * bare['raised'] / max(bare['run'], 1):.0f}%),"
        f" {bare['catch-all']} more reached the skill's catch-all"
    )
    print(
        f"Lambda handler (goal 0 raised, 0 crashes): {entry['run']} events,"
        f" {entry['let in']} let in, {entry['refused']} refused (empty answer),"
        f" {entry['raised']} raised, {sum(tally.crashes.values())} crashes"
    )
    _crashes(tally)


def http(folder: Path) -> None:
    pki = FakeAlexaPki.generate()
    verifier = AlexaSignatureVerifier(
        trust_store=Store([pki.root.cert]),
        fetch_chain=lambda url: chain_pem(pki.leaf.cert, pki.intermediate.cert),
    )
    store = SqliteStore(folder / "fuzz-web.sqlite3")
    store.init()
    settings = Settings(skill_id=SKILL_ID, progress_store=f"sqlite:///{store.path}")
    app = create_app(settings, store, signature_verifier=verifier, time_zones=no_lookup)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{server.effective_port}/"
    from tests.property.envelopes import STAMP

    with tallied() as tally, requests.Session() as session:

        def test(event: Any) -> None:
            request = event.get("request") if isinstance(event, dict) else None
            if isinstance(request, dict) and request.get("timestamp") == STAMP:
                request["timestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            body = json.dumps(event).encode()
            headers = {"SignatureCertChainUrl": CERT_URL, "Signature-256": sign(pki.leaf.key, body)}
            status = session.post(url, data=body, headers=headers, timeout=10).status_code
            tally.counts[f"{status // 100}xx"] += 1
            tally.crashes.update(tally.lines)
            tally.lines.clear()

        try:
            run(HTTP_EXAMPLES, test)
        finally:
            server.close()
    counts = tally.counts
    print(
        f"HTTP, waitress (goal 0 5xx, 0 crashes): {sum(counts.values())} signed bodies,"
        f" 2xx {counts['2xx']}, 4xx {counts['4xx']}, 5xx {counts['5xx']},"
        f" {sum(tally.crashes.values())} crashes"
    )
    _crashes(tally)


def gate_cost() -> None:
    """What the gate adds to every request: microseconds on the bundled one-shot start."""
    event = json.loads(
        (Path(__file__).parents[1] / "tests/events/start_pelvic_tilts.json").read_text()
    )
    runs = 2000
    began = time.perf_counter()
    for _ in range(runs):
        gate.refusal(event)
    micros = (time.perf_counter() - began) / runs * 1e6
    print(f"gate on a real one-shot intent: {micros:.0f} us per request (in-process)")


def _crashes(tally: Tally) -> None:
    for line, times in tally.crashes.most_common():
        print(f"    {times:5d} x {line}")


def main() -> None:
    try:
        import hypothesis  # noqa: F401 - a dev dependency, maybe not yet installed
    except ImportError:
        print("hypothesis is not installed: no figures")
        return
    with tempfile.TemporaryDirectory() as name:
        in_process(Path(name))
        http(Path(name))
    gate_cost()


if __name__ == "__main__":
    main()
