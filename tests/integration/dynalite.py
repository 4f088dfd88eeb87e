"""Install and run dynalite (npm) on a free loopback port: for the tests and the benchmarks.

dynalite comes from the committed package-lock.json, installed into this folder
once (under a file lock, so pytest-xdist workers do not race); each caller starts
its own in-memory server and reads the port the server chose.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from tests.npm import npm_ci

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

HERE = Path(__file__).parent
STOP_TIMEOUT_S = 30


class DynaliteUnavailable(RuntimeError):
    """npm or node is missing, or the server did not start."""


def install() -> None:
    npm_ci(HERE, "dynalite", DynaliteUnavailable)


@contextmanager
def running() -> Iterator[str]:
    """A fresh in-memory dynalite; yields its endpoint URL and stops it afterwards."""
    install()
    server = subprocess.Popen(
        ["node", str(HERE / "start_dynalite.js")], cwd=HERE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = server.stdout.readline().strip()
        if not port.isdigit():
            raise DynaliteUnavailable(f"dynalite did not start (exit code {server.poll()})")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=STOP_TIMEOUT_S)


def local_client(endpoint: str, **config: object) -> DynamoDBClient:
    """A client for the local server, with the skill's own retry/timeout policy unless told."""
    options: dict[str, object] = {
        "retries": {"mode": "standard", "total_max_attempts": 3},
        "connect_timeout": 1,
        "read_timeout": 2,
        "max_pool_connections": 64,
    }
    options.update(config)
    return boto3.session.Session().client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(**options),  # type: ignore[arg-type]
    )
