"""The production store: one DynamoDB table, one partition per account.

Key design (table keys ``pk`` S / ``sk`` S, TTL attribute ``expires_at``)::

    pk = USER#<account>   sk = <who>#PROFILE          goal, disclaimer, tz, bm (each with
                                                      its write stamp: goal_at, dis_at,
                                                      tz_at, bm_at), runs
    pk = USER#<account>   sk = <who>#DAY#2026-11-25   sets, secs, "x:<exercise_id>" counters,
                                                      mins (local minutes of the sets),
                                                      ids (set of counted event ids),
                                                      pain (list), expires_at, runs, and
                                                      any profile field written with a set

``<who>`` is ``me`` for the account itself and ``P<person>`` for a recognised voice
profile, so one partition holds an account and its voice profiles: deleting the
account (SkillDisabled) finds them all with one Query.

- A load is ONE strongly consistent Query of one page, newest first: the profile
  and the newest 15 day buckets, projected without the counted ids
  (:mod:`skill.progress.dynamodb_window`: streak runs stand in for older days, and
  data of the older layout is read whole once, then migrated).
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
  bucket is carried forward, explicitly: the load lists it in
  ``UserSnapshot.carry_forward``, the turn passes it back in
  ``UserUpdate.carry_forward``, and the save writes it again with its original stamp:
  into the profile on a save without sets (guarded, so it never overwrites a newer
  value), else into the newest bucket of that save. The store object keeps no state
  about users between calls (:mod:`skill.progress.dynamodb_profile`), so any container
  may save the turn another one loaded. The residual edge: a value
  written only alongside a set, by a user who then makes no save at all for
  :data:`RETENTION_DAYS` days, reverts (goal to the default, disclaimer to unheard,
  time zone to the next Settings API answer).
- Item sizes stay bounded: a day bucket holds one day, the profile a few fields.
  Day buckets expire (TTL) :data:`RETENTION_DAYS` after their day.
- ``user_key`` is already a salted hash; event ids are hashed too, so no Alexa id
  is stored. Pain ratings are written only by a store built with
  ``store_pain_ratings=True`` (the deployment's STORE_PAIN_RATINGS).
- Table creation and deletion of a user's items live in
  :mod:`skill.progress.dynamodb_admin`, the calls and their errors in
  :mod:`skill.progress.dynamodb_table`, the item layout in
  :mod:`skill.progress.dynamodb_items`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from skill.progress import dynamodb_admin
from skill.progress.dynamodb_items import (
    PROFILE,
    DayExpression,
    DayWrite,
    Item,
    day_sort_key,
    day_total,
    group_by_day,
    item_key,
    sort_key,
)
from skill.progress.dynamodb_profile import (
    bookmark_in,
    carried_values,
    carry_forward,
    disclaimer_in,
    goal_in,
    stamps_of,
    time_zone_in,
    written_values,
)
from skill.progress.dynamodb_table import ConditionRefusedError, Table
from skill.progress.dynamodb_window import (
    WINDOW_ITEMS,
    Window,
    bucket_day,
    is_bucket,
    is_profile,
    projection,
    rebased,
    runs_to_write,
    runs_values,
)
from skill.progress.store import (
    RETENTION_DAYS,
    CarriedValue,
    Completion,
    PainRating,
    UserSnapshot,
    UserUpdate,
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

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DynamoDbStore:
    """A ProgressStore on one DynamoDB table (see the module docstring for the key design).

    ``store_pain_ratings`` is the deployment's policy (STORE_PAIN_RATINGS): without
    it no pain rating is ever written, whichever way an update came.
    """

    def __init__(
        self,
        table_name: str,
        client: DynamoDBClient | None = None,
        clock: Clock = _utc_now,
        *,
        store_pain_ratings: bool = False,
        exercise_ids: Collection[str] | None = None,
    ) -> None:
        self.table = Table(table_name, client)
        # The exercises whose counters a load reads (default: every catalog's).
        self.exercise_ids = exercise_ids
        self._read: tuple[str, dict[str, str]] | None = None
        self.clock = clock
        self.store_pain_ratings = store_pain_ratings
        self._last_stamp = 0
        self._stamp_lock = threading.Lock()

    @property
    def table_name(self) -> str:
        return self.table.name

    def init(self) -> None:
        """Create the table as the SAM template does (for local servers and tests)."""
        dynamodb_admin.create_table(self.table)

    # -- read ------------------------------------------------------------------------------

    def load(self, user_key: str) -> UserSnapshot:
        items, full = self.table.query_newest(user_key, WINDOW_ITEMS, self._projection())
        window = Window(items, complete=not full)
        if window.history() is None and not window.complete:
            # Stored before buckets kept streak runs: read it all once; that turn's save
            # writes the runs (they are due), and the next load is bounded.
            return self.load_whole_history(user_key)
        return self._snapshot(window)

    def load_whole_history(self, user_key: str) -> UserSnapshot:
        items = self.table.query_partition(user_key, projection=self._projection())
        return self._snapshot(Window(items, complete=True))

    def _snapshot(self, window: Window) -> UserSnapshot:
        now = self.clock()
        oldest = now.date() - timedelta(days=RETENTION_DAYS)
        profile = next((item for item in window.items if is_profile(item)), {})
        # DynamoDB deletes expired items lazily; dynalite never does.
        buckets = [i for i in window.items if is_bucket(i) and bucket_day(i) >= oldest]
        days = sorted((day_total(item) for item in buckets), key=lambda total: total.day)
        kept = [profile, *buckets] if profile else buckets
        history = window.history()
        if history is not None:
            history = rebased(history, days, oldest)
        runs = runs_to_write(window, history, days, oldest)
        return UserSnapshot(
            disclaimer_heard=disclaimer_in(kept),
            daily_goal=goal_in(kept),
            bookmark=bookmark_in(kept, now),
            time_zone=time_zone_in(kept),
            days=tuple(days),
            carry_forward=carry_forward(profile, kept) + ((runs,) if runs else ()),
            history=history,
        )

    def _projection(self) -> tuple[str, dict[str, str]]:
        """What a load reads of each item; the exercise counters of the catalogs' ids."""
        if self._read is None:
            if self.exercise_ids is None:
                from skill.routines.catalog import available_locales, load_catalog

                self.exercise_ids = {
                    e for locale in available_locales() for e in load_catalog(locale).exercises
                }
            self._read = projection(self.exercise_ids)
        return self._read

    # -- write -----------------------------------------------------------------------------

    def save(self, user_key: str, update: UserUpdate) -> None:
        update = update.kept_by(self.store_pain_ratings)
        if update.is_empty:
            return
        carried = carried_values(c for c in update.carry_forward if isinstance(c, CarriedValue))
        day_writes = group_by_day(update.completions, update.pain_ratings)
        # The streak runs of the turn's load go with whatever this save writes.
        fields = written_values(update, self._stamp()) | runs_values(update.carry_forward)
        if not day_writes:
            self._write_profile(user_key, fields, carried)
            return
        for index, write in enumerate(day_writes):
            # Profile fields ride with the newest day's write (the last one): one write.
            last = index == len(day_writes) - 1
            self._write_day(user_key, write, {**carried, **fields} if last else None)

    def _stamp(self) -> Item:
        """Milliseconds, strictly increasing per store object, so newer writes win ties."""
        with self._stamp_lock:
            now = int(self.clock().timestamp() * 1000)
            self._last_stamp = max(now, self._last_stamp + 1)
            return {"N": str(self._last_stamp)}

    def _write_profile(
        self, user_key: str, values: dict[str, Item], carried: Mapping[str, Item]
    ) -> None:
        sk = sort_key(user_key, PROFILE)
        copies = {name: value for name, value in carried.items() if name not in values}
        if copies:
            # Copied only where the profile holds nothing newer: another device may have
            # written since this turn's load.
            try:
                self.table.set_fields(
                    item_key(user_key, sk), {**copies, **values}, stamps_of(copies)
                )
                return
            except ConditionRefusedError:
                log.info("profile changed since the load; carried values not copied")
        self.table.set_fields(item_key(user_key, sk), values)

    def _write_day(self, user_key: str, write: DayWrite, riding: dict[str, Item] | None) -> None:
        """Count the day's events; ``riding`` holds profile fields set in the same write."""
        events = write.events()
        try:
            self._count(user_key, write.day, events, riding)
        except ConditionRefusedError:
            # Some event of this batch was counted before (e.g. a write that timed out after
            # it succeeded, retried from session attributes): count the others one by one.
            for event in events:
                try:
                    self._count(user_key, write.day, [event], None)
                except ConditionRefusedError:
                    log.info("event already counted; ignoring the retry")
            if riding:
                self.table.set_fields(item_key(user_key, day_sort_key(user_key, write.day)), riding)

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
        self.table.call(
            "update_item",
            TableName=self.table.name,
            Key=item_key(user_key, day_sort_key(user_key, day)),
            **expression.build(),
        )

    # -- delete ----------------------------------------------------------------------------

    def delete_user(self, user_key: str) -> None:
        dynamodb_admin.delete_items(
            self.table, self.table.query_partition(user_key, keys_only=True)
        )

    def delete_account(self, account_key: str) -> None:
        items = self.table.query_partition(account_key, keys_only=True, whole_account=True)
        dynamodb_admin.delete_items(self.table, items)
