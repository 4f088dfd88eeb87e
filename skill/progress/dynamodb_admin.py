"""Administration of the progress table, apart from the per-turn reads and writes.

- :func:`create_table`: what ``movement-snacks store init`` does against a local
  server (in AWS the SAM template owns the table; the skill never creates it).
- :func:`delete_items`: removes a user's or an account's items (SkillDisabled,
  account deletion) in bounded rounds of BatchWriteItem.
"""

from __future__ import annotations

import logging

from skill.progress.dynamodb_items import Item
from skill.progress.dynamodb_table import Table
from skill.progress.store import StoreUnavailableError

log = logging.getLogger(__name__)

# Used only by `movement-snacks store init` against local servers; never granted to the skill.
INIT_ACTIONS: tuple[str, ...] = (
    "dynamodb:CreateTable",
    "dynamodb:DescribeTable",
    "dynamodb:UpdateTimeToLive",
)
MAX_BATCH_ROUNDS = 5
BATCH_SIZE = 25


def create_table(table: Table) -> None:
    """Create the table as the SAM template does (for local servers and tests)."""
    from botocore.exceptions import BotoCoreError, ClientError

    client = table.client
    try:
        client.create_table(
            TableName=table.name,
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        client.get_waiter("table_exists").wait(
            TableName=table.name, WaiterConfig={"Delay": 1, "MaxAttempts": 30}
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ResourceInUseException":
            raise StoreUnavailableError(f"cannot create table {table.name}") from exc
    except BotoCoreError as exc:
        raise StoreUnavailableError(f"cannot create table {table.name}") from exc
    try:
        client.update_time_to_live(
            TableName=table.name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
        )
    except ClientError as exc:
        # dynalite has no TTL; loads skip expired buckets themselves anyway.
        log.info("TTL not enabled on %s: %s", table.name, type(exc).__name__)


def delete_items(table: Table, items: list[Item]) -> None:
    """Delete ``items`` (each with its ``pk`` and ``sk``), 25 per BatchWriteItem."""
    keys = [{"pk": item["pk"], "sk": item["sk"]} for item in items]
    for start in range(0, len(keys), BATCH_SIZE):
        requests: list[Item] = [
            {"DeleteRequest": {"Key": key}} for key in keys[start : start + BATCH_SIZE]
        ]
        for _ in range(MAX_BATCH_ROUNDS):
            result = table.call("batch_write_item", RequestItems={table.name: requests})
            requests = result.get("UnprocessedItems", {}).get(table.name, [])
            if not requests:
                break
        else:
            raise StoreUnavailableError("DynamoDB kept items unprocessed while deleting a user")
