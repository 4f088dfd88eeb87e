"""The production store: one DynamoDB table, one partition per account.

Key design (table keys ``pk`` S / ``sk`` S, TTL attribute ``expires_at``)::

    pk = USER#<account>   sk = <who>#PROFILE          goal, disclaimer, tz, bm, bm_at
    pk = USER#<account>   sk = <who>#DAY#2026-11-25   sets, secs, "x:<exercise_id>" counters,
                                                      ids (set of counted event ids),
                                                      pain (list), bm, bm_at, expires_at

``<who>`` is ``me`` for the account itself and ``P<person>`` for a recognised voice
profile, so one partition holds an account and its voice profiles: deleting the
account (SkillDisabled) finds them all with one Query.

- A load is ONE strongly consistent Query (``begins_with(sk, <who>#)``, no scan);
  it returns the profile and every retained day bucket, small items (400 days of
  daily use fit in one 1 MB page; more pages are followed, at most five).
- A save is ONE UpdateItem in the usual turn: a completed set goes to its day
  bucket with atomic ADD counters, guarded by ``NOT contains(ids, :id)`` so a
  retried request counts once (dynalite has no transactions, and none are
  needed: every counter of a set lives in one item). A bookmark written in the
  same turn travels with the set into that bucket; the newest ``bm_at`` wins when
  loading. Only a turn that both changes the goal/disclaimer/time zone and
  completes a set, or flushes sets of two local days, writes two items.
- Item sizes stay bounded: a day bucket holds one day, the profile a few fields.
  Day buckets expire (TTL) :data:`RETENTION_DAYS` after their day.
- ``user_key`` is already a salted hash; event ids are hashed too, so no Alexa id
  is stored.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from skill.progress.aws import quick_client
from skill.progress.dynamodb_items import (
    DAY_PREFIX,
    PROFILE,
    DayExpression,
    DayWrite,
    Item,
    day_sort_key,
    day_total,
    group_by_day,
    item_key,
    number,
    partition_key,
    sort_key,
)
from skill.progress.store import (
    BOOKMARK_MAX_AGE_DAYS,
    DEFAULT_DAILY_GOAL,
    RETENTION_DAYS,
    Bookmark,
    Completion,
    DayTotal,
    PainRating,
    StoreError,
    UserSnapshot,
    UserUpdate,
    _Keep,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

log = logging.getLogger(__name__)

# Exactly the actions the skill calls at run time; the SAM policy grants these and no more.
IAM_ACTIONS: tuple[str, ...] = (
    "dynamodb:Query",
    "dynamodb:UpdateItem",
    "dynamodb:BatchWriteItem",
)
# What save() alone calls: all the replay function (skill/progress/replay.py) is granted.
SAVE_ACTIONS: tuple[str, ...] = ("dynamodb:UpdateItem",)
# Used only by `movement-snacks store init` against local servers; never granted to the skill.
INIT_ACTIONS: tuple[str, ...] = (
    "dynamodb:CreateTable",
    "dynamodb:DescribeTable",
    "dynamodb:UpdateTimeToLive",
)

MAX_QUERY_PAGES = 5
MAX_BATCH_ROUNDS = 5
BATCH_SIZE = 25

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def default_client() -> DynamoDBClient:
    """3 attempts in all, 1 s timeouts: a turn still answers within Alexa's 8 s."""
    client: DynamoDBClient = quick_client("dynamodb", attempts=3)
    return client


class DynamoDbStore:
    """A ProgressStore on one DynamoDB table (see the module docstring for the key design)."""

    def __init__(
        self, table_name: str, client: DynamoDBClient | None = None, clock: Clock = _utc_now
    ) -> None:
        self.table_name = table_name
        self._client = client
        self.clock = clock

    @property
    def client(self) -> DynamoDBClient:
        # boto3 costs a few hundred ms to import: only a turn that uses the store pays it.
        if self._client is None:
            self._client = default_client()
        return self._client

    def _call(self, operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "Unknown")
            if code == "ConditionalCheckFailedException":
                raise _AlreadyCounted from exc
            raise StoreError(f"DynamoDB {operation} failed: {code}") from exc
        except BotoCoreError as exc:
            raise StoreError(f"DynamoDB {operation} failed: {type(exc).__name__}") from exc

    # -- table ---------------------------------------------------------------------------

    def init(self) -> None:
        """Create the table as the SAM template does (for local servers and tests)."""
        from botocore.exceptions import ClientError

        try:
            self.client.create_table(
                TableName=self.table_name,
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
            self.client.get_waiter("table_exists").wait(
                TableName=self.table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 30}
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceInUseException":
                raise StoreError(f"cannot create table {self.table_name}") from exc
        try:
            self.client.update_time_to_live(
                TableName=self.table_name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
            )
        except ClientError as exc:
            # dynalite has no TTL; loads skip expired buckets themselves anyway.
            log.info("TTL not enabled on %s: %s", self.table_name, exc)

    # -- read ------------------------------------------------------------------------------

    def load(self, user_key: str) -> UserSnapshot:
        items = self._query_partition(user_key)
        profile: Item = {}
        days: list[DayTotal] = []
        bookmark_item: Item | None = None
        oldest = self.clock().date() - timedelta(days=RETENTION_DAYS)
        for item in items:
            sk = item["sk"]["S"].partition("#")[2]
            if sk == PROFILE:
                profile = item
            elif sk.startswith(DAY_PREFIX):
                total = day_total(item)
                if total.day < oldest:
                    continue  # DynamoDB deletes expired items lazily; dynalite never does.
                days.append(total)
            if "bm_at" in item and (
                bookmark_item is None or number(item["bm_at"]) > number(bookmark_item["bm_at"])
            ):
                bookmark_item = item
        return UserSnapshot(
            disclaimer_heard=profile.get("disclaimer", {}).get("BOOL", False),
            daily_goal=int(number(profile.get("goal", {"N": str(DEFAULT_DAILY_GOAL)}))),
            bookmark=self._bookmark(bookmark_item),
            time_zone=profile.get("tz", {}).get("S"),
            days=tuple(sorted(days, key=lambda total: total.day)),
        )

    def _query_partition(
        self, user_key: str, keys_only: bool = False, whole_account: bool = False
    ) -> list[Item]:
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
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = self._call("query", TableName=self.table_name, **kwargs)
            items.extend(page.get("Items", []))
            start = page.get("LastEvaluatedKey")
            if not start:
                return items
        raise StoreError("user partition larger than the bounded read")

    def _bookmark(self, item: Item | None) -> Bookmark | None:
        if item is None or "S" not in item.get("bm", {}):
            return None
        written = datetime.fromtimestamp(number(item["bm_at"]) / 1000, UTC)
        if written < self.clock() - timedelta(days=BOOKMARK_MAX_AGE_DAYS):
            return None
        data = json.loads(item["bm"]["S"])
        return Bookmark(**{**data, "exercise_ids": tuple(data["exercise_ids"])})

    # -- write -----------------------------------------------------------------------------

    def save(self, user_key: str, update: UserUpdate) -> None:
        if update.is_empty:
            return
        day_writes = group_by_day(update.completions, update.pain_ratings)
        bookmark = None if isinstance(update.bookmark, _Keep) else self._bookmark_values(update)
        profile_sets: dict[str, Item] = {}
        if update.disclaimer_heard:
            profile_sets["disclaimer"] = {"BOOL": True}
        if update.daily_goal is not None:
            profile_sets["goal"] = {"N": str(update.daily_goal)}
        if update.time_zone is not None:
            profile_sets["tz"] = {"S": update.time_zone}
        if bookmark and not day_writes:
            profile_sets.update(bookmark)
            bookmark = None
        if profile_sets:
            self._set_fields(user_key, sort_key(user_key, PROFILE), profile_sets)
        for index, write in enumerate(day_writes):
            # The bookmark rides with the newest day's write (the last one).
            last = index == len(day_writes) - 1
            self._write_day(user_key, write, bookmark if last else None)

    def _bookmark_values(self, update: UserUpdate) -> dict[str, Item]:
        stamp = {"N": str(int(self.clock().timestamp() * 1000))}
        if update.bookmark is None or isinstance(update.bookmark, _Keep):
            return {"bm": {"NULL": True}, "bm_at": stamp}
        return {"bm": {"S": json.dumps(asdict(update.bookmark))}, "bm_at": stamp}

    def _set_fields(self, user_key: str, sk: str, values: Mapping[str, Item]) -> None:
        names = {f"#f{i}": name for i, name in enumerate(values)}
        self._call(
            "update_item",
            TableName=self.table_name,
            Key=item_key(user_key, sk),
            UpdateExpression="SET " + ", ".join(f"{n} = :f{n[2:]}" for n in names),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={f":f{n[2:]}": values[name] for n, name in names.items()},
        )

    def _write_day(self, user_key: str, write: DayWrite, bookmark: dict[str, Item] | None) -> None:
        events = write.events()
        try:
            self._count(user_key, write.day, events, bookmark)
        except _AlreadyCounted:
            # Some event of this batch was counted before (e.g. a write that timed out after
            # it succeeded, retried from session attributes): count the others one by one.
            for event in events:
                try:
                    self._count(user_key, write.day, [event], None)
                except _AlreadyCounted:
                    log.info("event already counted; ignoring the retry")
            if bookmark:
                self._set_fields(user_key, day_sort_key(user_key, write.day), bookmark)

    def _count(
        self,
        user_key: str,
        day: date,
        events: list[tuple[str, Completion | PainRating]],
        bookmark: dict[str, Item] | None,
    ) -> None:
        expression = DayExpression(day)
        for eid, event in events:
            expression.add_event(eid, event)
        if bookmark:
            expression.set_values(bookmark)
        self._call(
            "update_item",
            TableName=self.table_name,
            Key=item_key(user_key, day_sort_key(user_key, day)),
            **expression.build(),
        )

    # -- delete ----------------------------------------------------------------------------

    def delete_user(self, user_key: str) -> None:
        self._delete(self._query_partition(user_key, keys_only=True))

    def delete_account(self, account_key: str) -> None:
        self._delete(self._query_partition(account_key, keys_only=True, whole_account=True))

    def _delete(self, items: list[Item]) -> None:
        keys = [{"pk": item["pk"], "sk": item["sk"]} for item in items]
        for start in range(0, len(keys), BATCH_SIZE):
            requests: list[Item] = [
                {"DeleteRequest": {"Key": key}} for key in keys[start : start + BATCH_SIZE]
            ]
            for _ in range(MAX_BATCH_ROUNDS):
                result = self._batch_write(requests)
                requests = result.get("UnprocessedItems", {}).get(self.table_name, [])
                if not requests:
                    break
            else:
                raise StoreError("DynamoDB kept items unprocessed while deleting a user")

    def _batch_write(self, requests: list[Item]) -> Any:
        return self._call("batch_write_item", RequestItems={self.table_name: requests})


class _AlreadyCounted(Exception):
    """The conditional write found an event of the batch already counted."""
