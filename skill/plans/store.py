"""Where plans, links and wrong tries live: the PlanStore protocol and how to open one.

Plans live in the progress store's own storage (a table in the same SQLite file,
items in the same DynamoDB table), so a deployment has one store to run and back
up. Users are known only by the salted user key the progress store uses: never a
raw Alexa id. Every failure is a :class:`~skill.progress.store.StoreError`.

A link is kept twice: under the user (the skill reads it in one call) and under
the plan, numbered in linking order (the report reads a plan's patients in one call).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from skill.plans.model import Attempts, Link, StoredPlan
from skill.progress.store import ProgressStore, StoreError


class CodeTakenError(StoreError):
    """A plan already holds this code; creating another under it was refused."""


class PlanNotFoundError(StoreError):
    """No plan is stored under this code."""


class PlanStore(Protocol):
    def init(self) -> None:
        """Create the storage (idempotent)."""
        ...

    def create(self, stored: StoredPlan) -> None:
        """Store a new plan; :class:`CodeTakenError` when a plan holds its code already."""
        ...

    def find(self, code: str) -> StoredPlan | None: ...

    def revoke(self, code: str) -> None:
        """Mark the plan revoked; :class:`PlanNotFoundError` when there is none."""
        ...

    def patients(self, code: str) -> tuple[StoredPlan | None, tuple[Link, ...]]:
        """The plan and its links in linking order: one read (for the report)."""
        ...

    def user_state(self, user_key: str) -> tuple[Link | None, Attempts]:
        """The user's link and wrong tries: one read."""
        ...

    def set_attempts(self, user_key: str, attempts: Attempts) -> None: ...

    def add_link(self, user_key: str, code: str, now: datetime, previous_goal: int | None) -> Link:
        """Link the user to the plan (replacing any earlier link) and clear wrong tries."""
        ...

    def set_sharing(self, link: Link, sharing: bool) -> Link: ...

    def remove_link(self, link: Link) -> None:
        """Remove the link, under the user and under the plan."""
        ...

    def forget_user(self, user_key: str) -> None:
        """Remove the user's link and tries ("delete my data")."""
        ...

    def forget_account(self, account_key: str) -> None:
        """Remove the links and tries of the account and its voice profiles (SkillDisabled)."""
        ...


def plan_store_for(progress: ProgressStore) -> PlanStore:
    """The plan store in the same file or table as ``progress``.

    Told apart by module, so a SQLite deployment never imports the DynamoDB modules
    (nor the reverse)."""
    module = type(progress).__module__
    if module == "skill.progress.sqlite_store":
        from skill.plans.sqlite_plans import SqlitePlanStore

        return SqlitePlanStore(progress.path)  # type: ignore[attr-defined]
    if module == "skill.progress.dynamodb_store":
        from skill.plans.dynamodb_plans import DynamoDbPlanStore

        return DynamoDbPlanStore(progress.table)  # type: ignore[attr-defined]
    raise StoreError(f"no plan store for {type(progress).__name__}")


def open_plan_store(url: str) -> tuple[ProgressStore, PlanStore]:
    """The progress store ``url`` names (with pain ratings as stored) and its plan store."""
    from skill.progress.factory import open_store

    progress = open_store(url, store_pain_ratings=True)
    return progress, plan_store_for(progress)
