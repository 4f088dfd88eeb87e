"""A real SQS-compatible server (moto) over HTTP on loopback, for the fallback queue."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from tests.moto_server import moto_endpoint, use_moto

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


@pytest.fixture(scope="session")
def sqs_endpoint() -> Iterator[str]:
    yield from moto_endpoint()


@pytest.fixture
def sqs(sqs_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> SQSClient:
    """A client of the moto server; the skill's own client finds it through the same env."""
    use_moto(monkeypatch, "SQS", sqs_endpoint)
    return boto3.client("sqs")


@pytest.fixture
def queue_url(sqs: SQSClient) -> str:
    """A fresh queue per test, so no test sees another's messages."""
    return sqs.create_queue(QueueName=f"fallback-{uuid.uuid4().hex[:12]}")["QueueUrl"]


def queued(sqs: SQSClient, queue_url: str) -> list[dict[str, Any]]:
    """Every message waiting in the queue, received (and so hidden for a while) once."""
    found: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=30
        ).get("Messages", [])
        if not batch:
            return found
        found.extend(dict(m) for m in batch)


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The event Lambda's SQS event source hands the replay function for ``messages``."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
    }
