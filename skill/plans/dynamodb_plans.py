"""Plans as items of the progress table (the same Table, client factory and errors).

Key design, beside the progress items (``skill/progress/dynamodb_store.py``)::

    pk = PLAN#<code>           sk = PLAN          body (JSON), created, ends, revoked,
                                                  links (a counter: linking order)
    pk = PLAN#<code>           sk = LINK#<n>      user (salted user key), linked, sharing
    pk = USER#<account hash>   sk = <who>#RX      code, n, user, linked, sharing, goal_before
    pk = USER#<account hash>   sk = <who>#RXTRY   tries, locked (wrong codes in a row)

The user's items sit in the user's partition, so the progress store's deletion of a
user or account takes them too; the link under the plan is removed here. The plan's
end is ``ends``, not the table's TTL attribute: an expired code must still be said
to be expired, not unknown. The skill calls only Query, UpdateItem and
BatchWriteItem (the progress store's IAM_ACTIONS): reads are Queries on one key.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from skill.plans.model import Attempts, Link, PrescribedPlan, StoredPlan
from skill.plans.store import CodeTakenError, PlanNotFoundError
from skill.progress import dynamodb_admin
from skill.progress.dynamodb_items import Item, item_key, partition_key, sort_key
from skill.progress.dynamodb_table import MAX_QUERY_PAGES, ConditionRefusedError, Table
from skill.progress.store import StoreLimitError

PLAN_SK, LINK_PREFIX = "PLAN", "LINK#"
# "RX" (the prescription) sorts after PROFILE: a progress load, which reads the sort
# keys from <who>#DAY# to <who>#PROFILE, never meets these items.
USER_LINK, USER_TRIES = "RX", "RXTRY"


def _plan_key(code: str, sk: str = PLAN_SK) -> dict[str, Item]:
    return {"pk": {"S": f"PLAN#{code}"}, "sk": {"S": sk}}


def _stamp(moment: datetime) -> Item:
    return {"S": moment.astimezone(UTC).isoformat()}


class DynamoDbPlanStore:
    """A PlanStore on the progress table (see the module docstring for the items)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def init(self) -> None:
        dynamodb_admin.create_table(self.table)

    def _query(self, pk: str, prefix: str | None = None) -> list[Item]:
        condition = "pk = :pk" + (" AND begins_with(sk, :sk)" if prefix else "")
        values = {":pk": {"S": pk}} | ({":sk": {"S": prefix}} if prefix else {})
        items: list[Item] = []
        start: Item | None = None
        for _ in range(MAX_QUERY_PAGES):
            extra: dict[str, Any] = {"ExclusiveStartKey": start} if start else {}
            page = self.table.call(
                "query",
                TableName=self.table.name,
                KeyConditionExpression=condition,
                ExpressionAttributeValues=values,
                ConsistentRead=True,
                **extra,
            )
            items.extend(page.get("Items", []))
            start = page.get("LastEvaluatedKey")
            if not start:
                return items
        raise StoreLimitError("plan or user items larger than the bounded read")

    def create(self, stored: StoredPlan) -> None:
        try:
            self.table.call(
                "update_item",
                TableName=self.table.name,
                Key=_plan_key(stored.code),
                UpdateExpression="SET body = :b, created = :c, ends = :e, revoked = :r, links = :z",
                ConditionExpression="attribute_not_exists(pk)",
                ExpressionAttributeValues={
                    ":b": {"S": stored.plan.to_json()},
                    ":c": _stamp(stored.created_at),
                    ":e": _stamp(stored.expires_at),
                    ":r": {"BOOL": False},
                    ":z": {"N": "0"},
                },
            )
        except ConditionRefusedError as exc:
            raise CodeTakenError(f"code {stored.code} is taken") from exc

    def find(self, code: str) -> StoredPlan | None:
        return self.patients(code)[0]

    def revoke(self, code: str) -> None:
        try:
            self.table.call(
                "update_item",
                TableName=self.table.name,
                Key=_plan_key(code),
                UpdateExpression="SET revoked = :r",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":r": {"BOOL": True}},
            )
        except ConditionRefusedError as exc:
            raise PlanNotFoundError(f"no plan {code}") from exc

    def patients(self, code: str) -> tuple[StoredPlan | None, tuple[Link, ...]]:
        plan: StoredPlan | None = None
        links = []
        for item in self._query(f"PLAN#{code}"):
            sk = item["sk"]["S"]
            if sk == PLAN_SK:
                plan = _stored_plan(code, item)
            elif sk.startswith(LINK_PREFIX):
                links.append(_link(code, int(sk[len(LINK_PREFIX) :]), item))
        return plan, tuple(sorted(links, key=lambda link: link.number))

    def user_state(self, user_key: str) -> tuple[Link | None, Attempts]:
        link, attempts = None, Attempts()
        for item in self._query(partition_key(user_key), sort_key(user_key, USER_LINK)):
            rest = item["sk"]["S"].partition("#")[2]
            if rest == USER_LINK:
                link = _link(item["code"]["S"], int(item["n"]["N"]), item)
            elif rest == USER_TRIES:
                locked = item.get("locked", {}).get("S")
                until = datetime.fromisoformat(locked) if locked else None
                attempts = Attempts(int(item["tries"]["N"]), until)
        return link, attempts

    def set_attempts(self, user_key: str, attempts: Attempts) -> None:
        values: dict[str, Item] = {"tries": {"N": str(attempts.tries)}}
        if attempts.locked_until is not None:
            values["locked"] = _stamp(attempts.locked_until)
        else:
            values["locked"] = {"S": ""}
        self.table.set_fields(item_key(user_key, sort_key(user_key, USER_TRIES)), values)

    def add_link(self, user_key: str, code: str, now: datetime, previous_goal: int | None) -> Link:
        earlier, _ = self.user_state(user_key)
        try:
            counted = self.table.call(
                "update_item",
                TableName=self.table.name,
                Key=_plan_key(code),
                UpdateExpression="ADD links :one",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":one": {"N": "1"}},
                ReturnValues="UPDATED_NEW",
            )
        except ConditionRefusedError as exc:
            raise PlanNotFoundError(f"no plan {code}") from exc
        link = Link(
            code, int(counted["Attributes"]["links"]["N"]), user_key, now, None, previous_goal
        )
        if earlier is not None:
            self._delete_plan_side(earlier)
        self._write(link)
        self.table.set_fields(
            item_key(user_key, sort_key(user_key, USER_TRIES)),
            {"tries": {"N": "0"}, "locked": {"S": ""}},
        )
        return link

    def _write(self, link: Link) -> None:
        values: dict[str, Item] = {
            "user": {"S": link.user_key},
            "linked": _stamp(link.linked_at),
            "sharing": {"NULL": True} if link.sharing is None else {"BOOL": link.sharing},
        }
        self.table.set_fields(_plan_key(link.code, f"{LINK_PREFIX}{link.number}"), values)
        mine = {**values, "code": {"S": link.code}, "n": {"N": str(link.number)}}
        if link.previous_goal is not None:
            mine["goal_before"] = {"N": str(link.previous_goal)}
        self.table.set_fields(item_key(link.user_key, sort_key(link.user_key, USER_LINK)), mine)

    def set_sharing(self, link: Link, sharing: bool) -> Link:
        changed = Link(
            link.code, link.number, link.user_key, link.linked_at, sharing, link.previous_goal
        )
        self._write(changed)
        return changed

    def _delete_plan_side(self, link: Link) -> None:
        key = _plan_key(link.code, f"{LINK_PREFIX}{link.number}")
        dynamodb_admin.delete_items(self.table, [key])

    def remove_link(self, link: Link) -> None:
        self._delete_plan_side(link)
        dynamodb_admin.delete_items(
            self.table, [item_key(link.user_key, sort_key(link.user_key, USER_LINK))]
        )

    def forget_user(self, user_key: str) -> None:
        link, _ = self.user_state(user_key)
        if link is not None:
            self._delete_plan_side(link)
        keys = [item_key(user_key, sort_key(user_key, rest)) for rest in (USER_LINK, USER_TRIES)]
        dynamodb_admin.delete_items(self.table, keys)

    def forget_account(self, account_key: str) -> None:
        items = self._query(partition_key(account_key))
        mine = [i for i in items if i["sk"]["S"].partition("#")[2] in (USER_LINK, USER_TRIES)]
        for item in mine:
            if item["sk"]["S"].endswith("#" + USER_LINK):
                self._delete_plan_side(_link(item["code"]["S"], int(item["n"]["N"]), item))
        dynamodb_admin.delete_items(self.table, mine)


def _stored_plan(code: str, item: Item) -> StoredPlan:
    return StoredPlan(
        code,
        PrescribedPlan.from_json(item["body"]["S"]),
        datetime.fromisoformat(item["created"]["S"]),
        datetime.fromisoformat(item["ends"]["S"]),
        bool(item.get("revoked", {}).get("BOOL", False)),
    )


def _link(code: str, number: int, item: Item) -> Link:
    sharing_value = item.get("sharing", {})
    sharing = None if "BOOL" not in sharing_value else bool(sharing_value["BOOL"])
    goal = item.get("goal_before", {}).get("N")
    return Link(
        code,
        number,
        item["user"]["S"],
        datetime.fromisoformat(item["linked"]["S"]),
        sharing,
        int(goal) if goal is not None else None,
    )
