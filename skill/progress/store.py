"""The ProgressStore protocol: what a turn may read and write about one user.

A conversation turn makes at most one read (:meth:`ProgressStore.load`) and one
write (:meth:`ProgressStore.save`). Users are identified by ``user_key``, a salted
hash of the Alexa user (or voice-profile person) id: raw ids never reach a store.

When a set counts: a :class:`Completion` is recorded only for a guided set the
user heard to its end and then moved on from (next, repeat, start over, a new
routine, or answering the pain check-in after a routine's last set). A set the
user skipped, paused or stopped midway is not a completion. Each completion is
counted exactly once on the user's *local* day (their Alexa time zone), however
often Alexa or Lambda retry the request that carried it.

Stores keep day totals for :data:`RETENTION_DAYS` days after the day itself;
summaries (streaks included) therefore look back that far at most.

Pain ratings are health data: a store is built with the deployment's policy
(``store_pain_ratings``, from STORE_PAIN_RATINGS; see :mod:`skill.progress.factory`)
and, with it off, never writes a rating, whichever way the update came (this
turn, the session carry-over, the fallback queue's replay).

Nothing passes between a load and a save but what the update says: a store that
needs a loaded value written again (:attr:`UserSnapshot.carry_forward`) gets it
back in :attr:`UserUpdate.carry_forward`.

Errors: every failure of a store is a :class:`StoreError` (the base of this layer),
with the cause chained (``raise ... from exc``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import Literal, Protocol

from skill.progress.records import Bookmark, Completion, DayTotal, PainRating
from skill.progress.streaks import StreakHistory

# The records are imported from here too, beside the protocol that reads and writes them.
__all__ = [
    "BOOKMARK_MAX_AGE_DAYS",
    "DEFAULT_DAILY_GOAL",
    "KEEP",
    "MAX_DAILY_GOAL",
    "MIN_DAILY_GOAL",
    "PERSON_SEPARATOR",
    "RETENTION_DAYS",
    "Bookmark",
    "Carried",
    "CarriedRuns",
    "CarriedValue",
    "Completion",
    "DayTotal",
    "Keep",
    "PainRating",
    "PendingUpdate",
    "ProfileField",
    "ProgressStore",
    "StoreError",
    "StoreLimitError",
    "StoreUnavailableError",
    "UserSnapshot",
    "UserUpdate",
    "split_user_key",
]

DEFAULT_DAILY_GOAL = 5
MIN_DAILY_GOAL, MAX_DAILY_GOAL = 1, 20
# A voice profile's key is "<account key>/<person key>", so an account's data can be
# found (and deleted) together with that of every voice profile under it.
PERSON_SEPARATOR = "/"
RETENTION_DAYS = 400
# A paused routine older than this is not offered for resuming any more.
BOOKMARK_MAX_AGE_DAYS = 30


class StoreError(Exception):
    """The base of every progress store failure: the store could not be read or written."""


class StoreUnavailableError(StoreError):
    """The store did not answer in time, refused the call, or is down (past its retries)."""


class StoreLimitError(StoreError):
    """A user's data outgrew what one bounded read or delete may handle."""


ProfileField = Literal["disclaimer_heard", "daily_goal", "time_zone"]


@dataclass(frozen=True)
class CarriedValue:
    """A loaded profile value that the next save of the same user writes again.

    A store whose newest copy of a profile field can expire (DynamoDB keeps a value
    written alongside a set in that day's bucket, which has a TTL) lists it in the
    snapshot; the turn hands it back in its update, and the save writes it again with
    its original write ``stamp`` (milliseconds), never over a newer value. A store
    whose profile never expires (SQLite) lists none.
    """

    name: ProfileField
    value: bool | int | str
    stamp: int


@dataclass(frozen=True)
class CarriedRuns:
    """The streak history a store asks the next save to write (``encoded`` is the store's
    own format); ``due`` makes a save write it even when the turn changes nothing else."""

    encoded: str
    due: bool = False


Carried = CarriedValue | CarriedRuns


@dataclass(frozen=True)
class UserSnapshot:
    """Everything a turn needs to know about a user, read in one call.

    ``days`` holds day totals, oldest first, one entry per day with at least one
    completed set or pain rating: every retained day with sets when ``history`` is
    None, else at least the last 14 local days, and the active days before
    ``history.until`` are summed up as streak runs in ``history`` (both stores read
    only their newest days in full, so a load does not grow with the history).
    ``carry_forward`` is for the store alone: pass it back unchanged in this
    turn's :class:`UserUpdate`.
    """

    disclaimer_heard: bool = False
    daily_goal: int = DEFAULT_DAILY_GOAL
    bookmark: Bookmark | None = None
    time_zone: str | None = None
    days: tuple[DayTotal, ...] = ()
    carry_forward: tuple[Carried, ...] = ()
    history: StreakHistory | None = None

    def day(self, local_day: date) -> DayTotal:
        """The totals of ``local_day`` (zero when nothing was done that day)."""
        for total in reversed(self.days):
            if total.day == local_day:
                return total
        return DayTotal(local_day, 0, 0)


class Keep(Enum):
    """The type of :data:`KEEP`: an update that leaves the stored bookmark as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class UserUpdate:
    """Everything a turn changes, written in one call.

    ``carry_forward`` is what this turn's load asked to be written again
    (:attr:`UserSnapshot.carry_forward`); it alone makes a save write only when it
    holds streak history the store marked as due (:class:`CarriedRuns`).
    """

    completions: tuple[Completion, ...] = ()
    bookmark: Bookmark | Keep | None = KEEP
    disclaimer_heard: bool = False
    daily_goal: int | None = None
    pain_ratings: tuple[PainRating, ...] = ()
    time_zone: str | None = None
    carry_forward: tuple[Carried, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing to write: no change of this turn, and no history the store said is due."""
        return (
            not any(isinstance(c, CarriedRuns) and c.due for c in self.carry_forward)
            and not self.completions
            and isinstance(self.bookmark, Keep)
            and not self.disclaimer_heard
            and self.daily_goal is None
            and not self.pain_ratings
            and self.time_zone is None
        )

    def kept_by(self, store_pain_ratings: bool) -> UserUpdate:
        """What a store with this pain-rating policy writes of the update."""
        return self if store_pain_ratings else replace(self, pain_ratings=())


@dataclass
class PendingUpdate:
    """A mutable builder a turn fills in; frozen into a :class:`UserUpdate` at the end."""

    completions: list[Completion] = field(default_factory=list)
    bookmark: Bookmark | Keep | None = KEEP
    disclaimer_heard: bool = False
    daily_goal: int | None = None
    pain_ratings: list[PainRating] = field(default_factory=list)
    time_zone: str | None = None

    def freeze(self, carry_forward: tuple[Carried, ...] = ()) -> UserUpdate:
        """The update to save; ``carry_forward`` comes from the turn's snapshot, if it read one."""
        return UserUpdate(
            completions=tuple(self.completions),
            bookmark=self.bookmark,
            disclaimer_heard=self.disclaimer_heard,
            daily_goal=self.daily_goal,
            pain_ratings=tuple(self.pain_ratings),
            time_zone=self.time_zone,
            carry_forward=carry_forward,
        )


def split_user_key(user_key: str) -> tuple[str, str | None]:
    """(account key, person key or None) of a user key."""
    account, _, person = user_key.partition(PERSON_SEPARATOR)
    return account, person or None


class ProgressStore(Protocol):
    """What a turn may ask of a store; a storage failure is raised as a :class:`StoreError`.

    A store keeps no state about a user between calls: what a save needs from the
    turn's load travels in the update (``carry_forward``). Implementations:
    :class:`~skill.progress.sqlite_store.SqliteStore` and
    :class:`~skill.progress.dynamodb_store.DynamoDbStore`, both built by
    :func:`skill.progress.factory.store_from_settings` with the deployment's
    pain-rating policy; each also has an ``init()`` for ``store init``.
    """

    def load(self, user_key: str) -> UserSnapshot:
        """Read the user's snapshot in one call; an unknown user gets the defaults."""
        ...

    def load_whole_history(self, user_key: str) -> UserSnapshot:
        """Every retained day in ``days`` (``history`` None): for reports over weeks, never
        a turn's read, as it grows with the history (:meth:`load` does not)."""
        ...

    def save(self, user_key: str, update: UserUpdate) -> None:
        """Apply ``update`` in one write; a completion (or rating) already counted is
        ignored, and pain ratings are dropped unless the store keeps them (its policy).
        ``update.carry_forward`` is written again where nothing newer is stored."""
        ...

    def delete_user(self, user_key: str) -> None:
        """Remove everything stored about the user (an account's own data, or a person's)."""
        ...

    def delete_account(self, account_key: str) -> None:
        """Remove the account's data and that of every voice profile under it."""
        ...
