"""One DynamoDB table as the progress store calls it: the client, bounded reads, errors.

Shared by the per-turn store (:mod:`skill.progress.dynamodb_store`) and the table's
administration (:mod:`skill.progress.dynamodb_admin`). Every botocore failure leaves
here as a :class:`~skill.progress.store.StoreError`, its cause chained.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from skill.progress.aws import quick_client
from skill.progress.dynamodb_items import DAY_PREFIX, PROFILE, Item, partition_key, sort_key
from skill.progress.store import StoreError, StoreLimitError, StoreUnavailableError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

MAX_QUERY_PAGES = 5


class ConditionRefusedError(StoreError):
    """A conditional write was refused: an event of the batch was counted before, or
    the profile holds a newer value than the one carried forward. The store handles
    it itself; it reaches a caller of the store only as a bug."""


def default_client() -> DynamoDBClient:
    """3 attempts in all, 1 s timeouts: a turn still answers within Alexa's 8 s."""
    client: DynamoDBClient = quick_client("dynamodb", attempts=3)
    return client


class Table:
    """The progress table; its botocore client is made on first use."""

    def __init__(self, name: str, client: DynamoDBClient | None = None) -> None:
        self.name = name
        self._client = client

    @property
    def client(self) -> DynamoDBClient:
        if self._client is None:
            self._client = default_client()
        return self._client

    def call(self, operation: str, **kwargs: Any) -> Any:
        """``client.<operation>(**kwargs)``, its failures translated into store errors."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "Unknown")
            if code == "ConditionalCheckFailedException":
                raise ConditionRefusedError(f"DynamoDB {operation}: condition refused") from exc
            raise StoreUnavailableError(f"DynamoDB {operation} failed: {code}") from exc
        except BotoCoreError as exc:
            raise StoreUnavailableError(
                f"DynamoDB {operation} failed: {type(exc).__name__}"
            ) from exc

    def query_newest(
        self, user_key: str, limit: int, projection: tuple[str, dict[str, str]]
    ) -> tuple[list[Item], bool]:
        """The user's profile and newest day buckets, newest first, at most ``limit``
        items, projected: one strongly consistent Query of one page. True when the
        page was full (older buckets may be left)."""
        expression, names = projection
        page = self.call(
            "query",
            TableName=self.name,
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": {"S": partition_key(user_key)},
                ":first": {"S": sort_key(user_key, DAY_PREFIX)},
                ":last": {"S": sort_key(user_key, PROFILE)},
            },
            ProjectionExpression=expression,
            ExpressionAttributeNames=names,
            ScanIndexForward=False,
            Limit=limit,
            ConsistentRead=True,
        )
        return page.get("Items", []), "LastEvaluatedKey" in page

    def query_partition(
        self,
        user_key: str,
        *,
        keys_only: bool = False,
        whole_account: bool = False,
        projection: tuple[str, dict[str, str]] | None = None,
    ) -> list[Item]:
        """Every item of the user (or, ``whole_account``, of its account and voice
        profiles): one strongly consistent Query, following at most a few pages."""
        items: list[Item] = []
        start: Item | None = None
        for _ in range(MAX_QUERY_PAGES):
            values = {":pk": {"S": partition_key(user_key)}, ":who": {"S": sort_key(user_key, "")}}
            kwargs: dict[str, Any] = {
                "KeyConditionExpression": "pk = :pk AND begins_with(sk, :who)",
                "ExpressionAttributeValues": values,
                "ConsistentRead": True,
            }
            if whole_account:
                kwargs["KeyConditionExpression"] = "pk = :pk"
                del values[":who"]
            if keys_only:
                kwargs["ProjectionExpression"] = "pk, sk"
            elif projection is not None:
                kwargs["ProjectionExpression"] = projection[0]
                kwargs["ExpressionAttributeNames"] = projection[1]
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = self.call("query", TableName=self.name, **kwargs)
            items.extend(page.get("Items", []))
            start = page.get("LastEvaluatedKey")
            if not start:
                return items
        raise StoreLimitError("user partition larger than the bounded read")

    def set_fields(
        self,
        key: Mapping[str, Item],
        values: Mapping[str, Item],
        newer_than: Mapping[str, Item] = {},
    ) -> None:
        """SET ``values`` on one item; with ``newer_than`` (stamp attributes and values),
        only where each stamp is missing or older (else :class:`ConditionRefusedError`)."""
        names = {f"#f{i}": name for i, name in enumerate(values)}
        attribute_values = {f":f{n[2:]}": values[name] for n, name in names.items()}
        condition: dict[str, Any] = {}
        if newer_than:
            guards = []
            for i, (stamp, value) in enumerate(newer_than.items()):
                names[f"#c{i}"] = stamp
                attribute_values[f":c{i}"] = value
                guards.append(f"(attribute_not_exists(#c{i}) OR #c{i} < :c{i})")
            condition["ConditionExpression"] = " AND ".join(guards)
        self.call(
            "update_item",
            TableName=self.name,
            Key=key,
            UpdateExpression="SET " + ", ".join(f"{n} = :f{n[2:]}" for n in names if n[1] == "f"),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=attribute_values,
            **condition,
        )
