"""This skill and the ASK sample anchor, each on its own table of a local dynalite.

Both get their endpoint the way a deployment does, from the environment
(AWS_ENDPOINT_URL_DYNAMODB, region, credentials), so the benchmarks drive the same
code paths as Lambda: ``open_store`` for ours, the adapter's default boto3 resource
for the anchor.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.turns import Invoke
from tests.integration import dynalite

LOCAL_AWS = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_CONFIG_FILE": "/nonexistent",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
}
ANCHOR_SOURCE = Path(__file__).parent / "anchor_skill" / "lambda_function.py"


@contextmanager
def aws_endpoint(endpoint: str, **extra: str) -> Iterator[dict[str, str]]:
    """The environment a Lambda would see, pointed at ``endpoint``; restored afterwards."""
    env = {**LOCAL_AWS, "AWS_ENDPOINT_URL_DYNAMODB": endpoint, **extra}
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        yield env
    finally:
        os.environ.clear()
        os.environ.update(saved)


def new_table(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def init_our_table(endpoint: str, table: str) -> None:
    """``movement-snacks store init``'s table; in AWS the stack owns it."""
    from skill.progress.factory import init_store

    with aws_endpoint(endpoint):
        init_store(f"dynamodb://{table}")


def init_anchor_table(endpoint: str, table: str) -> None:
    """The table the sample's ``auto_create_table`` would make: key ``id``."""
    dynalite.local_client(endpoint).create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def our_store(endpoint: str, table: str) -> Any:
    """A ProgressStore from ``PROGRESS_STORE=dynamodb://table``, talking to ``endpoint``."""
    from skill.progress.factory import open_store

    with aws_endpoint(endpoint):
        store = open_store(f"dynamodb://{table}")
        # Its client may be made on first use: make it while the environment names endpoint.
        store.load("bench-warm-up")
    return store


def our_skill(store: Any) -> Invoke:
    from skill.alexa_api.settings_api import no_lookup
    from skill.builder import build_skill
    from skill.lambda_function import invoke_json
    from skill.settings import Settings

    skill = build_skill(Settings(), store, time_zones=no_lookup)
    return lambda event: invoke_json(skill, event)


def anchor_skill(endpoint: str, table: str) -> Invoke:
    """A fresh copy of benchmarks/anchor_skill, whose boto3 resource (built at import, as
    the SDK does) names ``endpoint``."""
    # The adapter's default resource is made when ask_sdk_dynamodb is first imported:
    # forget an earlier import (another benchmark's, perhaps without this endpoint).
    for name in [name for name in sys.modules if name.startswith("ask_sdk_dynamodb")]:
        del sys.modules[name]
    spec = importlib.util.spec_from_file_location(new_table("anchor_skill"), ANCHOR_SOURCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with aws_endpoint(endpoint, TABLE_NAME=table):
        spec.loader.exec_module(module)
    handler = module.lambda_handler
    return lambda event: handler(event, None)
