"""boto3 clients for the progress store and its fallback queue, imported lazily."""

from __future__ import annotations

from typing import Any, Literal


def quick_client(service: Literal["dynamodb", "sqs"], attempts: int) -> Any:
    """A client that gives up in time for Alexa's 8 s: ``attempts`` in all (botocore
    standard retries), 1 s connect and read timeouts.

    The endpoint comes from boto3's own AWS_ENDPOINT_URL_<SERVICE> when set (local servers).
    boto3 is imported here, on first use, to keep it off the Lambda's import path.
    """
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"mode": "standard", "total_max_attempts": attempts},
        connect_timeout=1,
        read_timeout=1,
    )
    session = boto3.session.Session()
    return session.client(service, region_name=session.region_name or "us-east-1", config=config)
