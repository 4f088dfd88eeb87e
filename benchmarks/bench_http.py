"""HTTP throughput and latency of the web endpoint on loopback, as `movement-snacks serve` runs it.

The app is the real one (skill.builder's skill on SQLite) under waitress. "signed" runs
the full production verification (URL rules, chain path validation, RSA signature,
timestamp) against a generated test PKI whose chain is served from memory, so no chain
download is timed; "no-verify" skips it. One client sends the requests one after another
over a keep-alive connection. Figures are printed, never asserted.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
import waitress
from cryptography.x509.verification import Store

from benchmarks.turns import turn_mix
from skill.alexa_api.settings_api import no_lookup
from skill.progress.sqlite_store import SqliteStore
from skill.request_verifier import AlexaSignatureVerifier
from skill.settings import Settings
from skill.web import create_app
from tests.web.alexa_pki import FakeAlexaPki, chain_pem, sign

REQUESTS = 500
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-bench.pem"


def bench_verifier(pki: FakeAlexaPki) -> AlexaSignatureVerifier:
    return AlexaSignatureVerifier(
        trust_store=Store([pki.root.cert]),
        fetch_chain=lambda url: chain_pem(pki.leaf.cert, pki.intermediate.cert),
    )


def verification_only_ms(pki: FakeAlexaPki) -> float:
    """Median cost of the signature + chain check alone (cached chain), in-process."""
    verifier = bench_verifier(pki)
    body = next(bodies())
    headers = {"SignatureCertChainUrl": CERT_URL, "Signature-256": sign(pki.leaf.key, body)}
    timings = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        verifier.verify(headers, body.decode(), None)
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


@contextmanager
def running(verify: bool, pki: FakeAlexaPki, folder: Path) -> Iterator[str]:
    store = SqliteStore(folder / f"bench-{verify}.sqlite3")
    store.init()
    verifier = bench_verifier(pki)
    app = create_app(
        Settings(), store, verify=verify, signature_verifier=verifier, time_zones=no_lookup
    )
    server = waitress.create_server(app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}/"
    finally:
        server.close()


def bodies(
    new_user: bool = False, api_endpoint: str | None = None
) -> Generator[bytes, dict[str, Any] | None, None]:
    """The turn mix (benchmarks/turns.py) as request bodies; ``send`` each answer back."""
    source = turn_mix(new_user, api_endpoint)
    event = next(source)
    while True:
        response = yield json.dumps(event).encode()
        event = source.send(response)


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def measure(url: str, headers_for: Callable[[bytes], dict[str, str]]) -> list[float]:
    timings = []
    source = bodies()
    body = next(source)
    with requests.Session() as session:
        for _ in range(REQUESTS):
            headers = {"Content-Type": "application/json", **headers_for(body)}
            began = time.perf_counter()
            response = session.post(url, data=body, headers=headers, timeout=10)
            timings.append((time.perf_counter() - began) * 1000)
            response.raise_for_status()
            body = source.send(response.json())
    return timings


def report(label: str, timings: list[float]) -> None:
    rate = len(timings) / (sum(timings) / 1000)
    print(
        f"{label:>9}: {rate:6.0f} requests/s, p50 {statistics.median(timings):.2f} ms, "
        f"p95 {percentile(timings, 0.95):.2f} ms "
        f"({len(timings)} sequential requests, waitress on loopback)"
    )


def main() -> None:
    pki = FakeAlexaPki.generate()

    def signed(body: bytes) -> dict[str, str]:
        return {"SignatureCertChainUrl": CERT_URL, "Signature-256": sign(pki.leaf.key, body)}

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with running(True, pki, folder) as url:
            report("signed", measure(url, signed))
        with running(False, pki, folder) as url:
            report("no-verify", measure(url, lambda body: {}))
    print(f"signature + chain check alone: {verification_only_ms(pki):.2f} ms (median, in-process)")


if __name__ == "__main__":
    main()
