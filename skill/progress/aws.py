"""botocore clients for the progress store and its fallback queue, imported lazily."""

from __future__ import annotations

from typing import Any, Literal


def quick_client(service: Literal["dynamodb", "sqs"], attempts: int) -> Any:
    """A client that gives up in time for Alexa's 8 s: ``attempts`` in all (botocore
    standard retries), 1 s connect and read timeouts.

    The endpoint comes from botocore's own AWS_ENDPOINT_URL_<SERVICE> when set (local
    servers). botocore is imported here, on first use, to keep it off the Lambda's
    import path. botocore rather than boto3: boto3 adds resources and S3 transfers
    (s3transfer, multiprocessing), which the skill never uses, and its import costs a
    cold start about 15 ms of CPU; its clients are botocore's clients anyway. A fresh
    session per client, as boto3's would be: credentials and region are read from the
    environment of the moment.
    """
    from botocore.config import Config
    from botocore.session import Session

    config = Config(
        retries={"mode": "standard", "total_max_attempts": attempts},
        connect_timeout=1,
        read_timeout=1,
    )
    session = Session()
    region = session.get_config_variable("region") or "us-east-1"
    return session.create_client(service, region_name=region, config=config)
