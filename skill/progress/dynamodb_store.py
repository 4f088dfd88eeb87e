"""The production store: one DynamoDB table, one partition per account.

Key design (table keys ``pk`` S / ``sk`` S, TTL attribute ``expires_at``)::

    pk = USER#<account>   sk = <who>#PROFILE          goal, disclaimer, tz, bm (each with
                                                      its write stamp: goal_at, dis_at,
                                                      tz_at, bm_at)
    pk = USER#<account>   sk = <who>#DAY#2026-11-25   sets, secs, "x:<exercise_id>" counters,
                                                      ids (set of counted event ids),
                                                      pain (list), expires_at, and any
                                                      profile field written with a set

``<who>`` is ``me`` for the account itself and ``P<person>`` for a recognised voice
profile, so one partition holds an account and its voice profiles: deleting the
account (SkillDisabled) finds them all with one Query.

- A load is ONE strongly consistent Query (``begins_with(sk, <who>#)``, no scan);
  it returns the profile and every retained day bucket, small items (400 days of
  daily use fit in one 1 MB page; more pages are followed, at most five).
- A save is ONE UpdateItem in the usual turn: a completed set goes to its day
  bucket with atomic ADD counters, guarded by ``NOT contains(ids, :id)`` so a
  retried request counts once (dynalite has no transactions, and none are
  needed: every counter of a set lives in one item). Profile fields (bookmark,
  goal, disclaimer, time zone) written in the same turn travel with the set into
  that bucket, each with a write stamp; a load takes, per field, the value with the
  newest stamp across the profile and the day buckets (the disclaimer counts as
  heard if any item says so). Only a turn that flushes sets of two local days
  writes two items.
- Day buckets expire, the profile does not, so a profile field that lives only in a
  bucket is carried forward: the load remembers it (in this store object, until the
  save of the same turn) and the next save writes it again with its original stamp:
  into the profile on a save without sets (guarded, so it never overwrites a newer
  value), else into the newest bucket of that save. The residual edge: a value
  written only alongside a set, by a user who then makes no save at all for
  :data:`RETENTION_DAYS` days, reverts (goal to the default, disclaimer to unheard,
  time zone to the next Settings API answer).
- Item sizes stay bounded: a day bucket holds one day, the profile a few fields.
  Day buckets expire (TTL) :data:`RETENTION_DAYS` after their day.
- ``user_key`` is already a salted hash; event ids are hashed too, so no Alexa id
  is stored.
"""

from __future__ import annotations

import json
import logging
import threading
import time
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

# Profile fields a turn may write, each with the attribute holding its write stamp.
PROFILE_STAMPS: dict[str, str] = {"disclaimer": "dis_at", "goal": "goal_at", "tz": "tz_at"}
# Users whose carried-forward profile values a store object remembers between a load and
# the save of the same turn; a load never followed by a save must not grow it for ever.
MAX_CARRIED_USERS = 1024
# A turn answers within Alexa's 8 s: a remembered value older than that belongs to a turn
# that never saved, and may be stale by now (another container may have written since).
CARRY_SECONDS = 10.0

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
        # Per user: when it was loaded (time.monotonic) and the profile fields whose newest
        # value lives only in a day bucket, as {field: value, stamp attribute: stamp}.
        self._carried: dict[str, tuple[float, dict[str, Item]]] = {}
        self._last_stamp = 0
        self._lock = threading.Lock()

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
        kept: list[Item] = []
        days: list[DayTotal] = []
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
            else:
                continue
            kept.append(item)
        newest = {name: _newest(kept, name, stamp) for name, stamp in PROFILE_STAMPS.items()}
        self._remember_carried(user_key, profile, newest)
        # Heard once is heard for good, whichever item says so.
        disclaimer = any(item.get("disclaimer", {}).get("BOOL", False) for item in kept)
        goal = newest["goal"].get("goal", {"N": str(DEFAULT_DAILY_GOAL)})
        return UserSnapshot(
            disclaimer_heard=disclaimer,
            daily_goal=int(number(goal)),
            bookmark=self._bookmark(_newest(kept, "bm", "bm_at")),
            time_zone=newest["tz"].get("tz", {}).get("S"),
            days=tuple(sorted(days, key=lambda total: total.day)),
        )

    def _remember_carried(self, user_key: str, profile: Item, newest: Mapping[str, Item]) -> None:
        """Note the fields whose newest value the profile lacks, for the next save."""
        carried: dict[str, Item] = {}
        for name, stamp in PROFILE_STAMPS.items():
            value = newest[name]
            if name in value and value[name] != profile.get(name):
                carried |= {name: value[name], stamp: value.get(stamp, {"N": "0"})}
        with self._lock:
            self._carried.pop(user_key, None)
            if carried:
                self._carried[user_key] = (time.monotonic(), carried)
                if len(self._carried) > MAX_CARRIED_USERS:
                    del self._carried[next(iter(self._carried))]

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

    def _bookmark(self, item: Item) -> Bookmark | None:
        if "S" not in item.get("bm", {}):
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
        with self._lock:
            loaded_at, carried = self._carried.pop(user_key, (0.0, {}))
        if time.monotonic() - loaded_at > CARRY_SECONDS:
            carried = {}
        day_writes = group_by_day(update.completions, update.pain_ratings)
        fields = self._profile_values(update)
        if not day_writes:
            self._write_profile(user_key, fields, carried)
            return
        for index, write in enumerate(day_writes):
            # Profile fields ride with the newest day's write (the last one): one write.
            last = index == len(day_writes) - 1
            self._write_day(user_key, write, {**carried, **fields} if last else None)

    def _stamp(self) -> Item:
        """Milliseconds, strictly increasing per store object, so newer writes win ties."""
        with self._lock:
            now = int(self.clock().timestamp() * 1000)
            self._last_stamp = max(now, self._last_stamp + 1)
            return {"N": str(self._last_stamp)}

    def _profile_values(self, update: UserUpdate) -> dict[str, Item]:
        stamp = self._stamp()
        values: dict[str, Item] = {}
        if update.disclaimer_heard:
            values |= {"disclaimer": {"BOOL": True}, "dis_at": stamp}
        if update.daily_goal is not None:
            values |= {"goal": {"N": str(update.daily_goal)}, "goal_at": stamp}
        if update.time_zone is not None:
            values |= {"tz": {"S": update.time_zone}, "tz_at": stamp}
        if update.bookmark is None:
            values |= {"bm": {"NULL": True}, "bm_at": stamp}
        elif not isinstance(update.bookmark, _Keep):
            values |= {"bm": {"S": json.dumps(asdict(update.bookmark))}, "bm_at": stamp}
        return values

    def _write_profile(
        self, user_key: str, values: dict[str, Item], carried: Mapping[str, Item]
    ) -> None:
        sk = sort_key(user_key, PROFILE)
        copies = {name: value for name, value in carried.items() if name not in values}
        if copies:
            # Copied only where the profile holds nothing newer: another device may have
            # written since this turn's load.
            stamps = {stamp: copies[stamp] for stamp in PROFILE_STAMPS.values() if stamp in copies}
            try:
                self._set_fields(user_key, sk, {**copies, **values}, newer_than=stamps)
                return
            except _AlreadyCounted:
                log.info("profile changed since the load; carried values not copied")
        self._set_fields(user_key, sk, values)

    def _set_fields(
        self,
        user_key: str,
        sk: str,
        values: Mapping[str, Item],
        newer_than: Mapping[str, Item] | None = None,
    ) -> None:
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
        self._call(
            "update_item",
            TableName=self.table_name,
            Key=item_key(user_key, sk),
            UpdateExpression="SET " + ", ".join(f"{n} = :f{n[2:]}" for n in names if n[1] == "f"),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=attribute_values,
            **condition,
        )

    def _write_day(self, user_key: str, write: DayWrite, riding: dict[str, Item] | None) -> None:
        """Count the day's events; ``riding`` holds profile fields set in the same write."""
        events = write.events()
        try:
            self._count(user_key, write.day, events, riding)
        except _AlreadyCounted:
            # Some event of this batch was counted before (e.g. a write that timed out after
            # it succeeded, retried from session attributes): count the others one by one.
            for event in events:
                try:
                    self._count(user_key, write.day, [event], None)
                except _AlreadyCounted:
                    log.info("event already counted; ignoring the retry")
            if riding:
                self._set_fields(user_key, day_sort_key(user_key, write.day), riding)

    def _count(
        self,
        user_key: str,
        day: date,
        events: list[tuple[str, Completion | PainRating]],
        riding: dict[str, Item] | None,
    ) -> None:
        expression = DayExpression(day)
        for eid, event in events:
            expression.add_event(eid, event)
        if riding:
            expression.set_values(riding)
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


def _newest(items: list[Item], name: str, stamp: str) -> Item:
    """The item holding the newest ``name`` by its ``stamp`` (a missing stamp is oldest);
    on a tie the later item in key order, the profile (``PROFILE`` sorts after ``DAY#``).
    An empty item when none holds it."""
    best: Item = {}
    for item in items:
        if name in item and number(item.get(stamp, {"N": "0"})) >= number(
            best.get(stamp, {"N": "-1"})
        ):
            best = item
    return best


class _AlreadyCounted(Exception):
    """A conditional write failed: an event of the batch was already counted, or the
    profile holds a newer value than the one carried forward."""
