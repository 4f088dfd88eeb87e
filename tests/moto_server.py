"""moto's server mode: real AWS wire protocols over HTTP on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto.server import ThreadedMotoServer


def moto_endpoint() -> Iterator[str]:
    """Body of a fixture: one moto server for its scope, its URL yielded."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def use_moto(monkeypatch: pytest.MonkeyPatch, service: str, endpoint: str) -> None:
    """Point boto3 (ours and the code's under test) at moto for ``service`` ("S3", "SQS")."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        f"AWS_ENDPOINT_URL_{service}": endpoint,
    }.items():
        monkeypatch.setenv(name, value)
