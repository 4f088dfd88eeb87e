"""The unit of work of one turn: what the user did, and where it went.

This is the one place a completed set's life happens. Handlers tell the unit of
work what happened (:meth:`UnitOfWork.count` a heard set, a pain rating, a new
goal, the bookmark); :meth:`UnitOfWork.finish` then writes it once and returns an
:class:`Outcome` saying where it went:

- SAVED: the store took it (``store.save`` is called here and nowhere else);
- CARRIED: the store failed, so it rides in the session attributes and joins the
  next turn's update (:mod:`skill.progress.carryover` encodes it);
- QUEUED: the store failed and the session ends (or there is none), so the
  fallback queue took it (:mod:`skill.progress.fallback`);
- LOST: neither could take it (logged with counts only);
- UNREACHABLE: the store failed, but no set or rating was at stake;
- NOTHING: nothing to write, and the store answered.

A set whose local day is only a guess (the Settings API call failed and no zone is
stored) is not written while the session goes on: it rides in the session until a
turn knows the zone, then is dated by its own stamp. Otherwise Alexa's retry of the
same request, finding the zone the first attempt missed, would count it again in
another day's bucket (exactly-once is per day).

The response layer turns the outcome into its honest word (``outcome.<value>`` in
the locale files). Pain ratings enter the update, the carry-over and the queue only
when the deployment opts in (STORE_PAIN_RATINGS).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from skill.progress import carryover
from skill.progress.fallback import FallbackQueue, FallbackQueueError
from skill.progress.localtime import local_day_and_minute
from skill.progress.store import (
    Completion,
    DayTotal,
    PainRating,
    PendingUpdate,
    ProgressStore,
    StoreError,
    UserSnapshot,
    UserUpdate,
)

log = logging.getLogger(__name__)

# The session attribute that carries what the store could not take yet.
UNSAVED_KEY = "unsaved"


class Outcome(Enum):
    """Where a turn's update went; the answer says so in ``outcome.<value>``."""

    NOTHING = "nothing"
    SAVED = "saved"
    CARRIED = "carried"
    QUEUED = "queued"
    LOST = "lost"
    UNREACHABLE = "unreachable"

    @property
    def message_key(self) -> str | None:
        """The sentence that tells the user, or None when there is nothing to tell."""
        return None if self in (Outcome.NOTHING, Outcome.SAVED) else f"outcome.{self.value}"


@dataclass
class UnitOfWork:
    """One turn's reads and writes for one user: at most one load, one save."""

    store: ProgressStore
    user_key: str
    # The session attributes; None for AudioPlayer and skill events, which have none.
    session: dict[str, Any] | None
    keep_pain: bool = False
    fallback: FallbackQueue | None = None
    pending: PendingUpdate = field(default_factory=PendingUpdate)
    store_failed: bool = False
    outcome: Outcome | None = None
    snapshot_read: UserSnapshot | None = None
    # The zone the turn's sets are dated by, or None while their day is only a guess.
    settled_zone: Callable[[], str | None] | None = None
    # Store loads and saves and fallback queue sends tried: the request log reports them.
    store_calls: int = 0

    def carry_in(self, known_exercises: Collection[str]) -> None:
        """Sets an earlier turn could not write join this turn's update (nothing is lost)."""
        if self.session is None:
            return
        carried = carryover.from_attributes(self.session.get(UNSAVED_KEY))
        for completion in carried.completions:
            if completion.exercise_id in known_exercises:
                self.count(completion)
        for rating in carried.ratings:
            self.rate_pain(rating)
        self.pending.daily_goal = carried.daily_goal

    def snapshot(self) -> UserSnapshot:
        """The user's stored state, read at most once per turn; defaults if the store is down."""
        if self.snapshot_read is None:
            self.store_calls += 1
            try:
                self.snapshot_read = self.store.load(self.user_key)
            except StoreError as exc:
                log.warning("progress store read failed: %s", type(exc).__name__)
                self.store_failed = True
                self.snapshot_read = UserSnapshot()
        return self.snapshot_read

    def snapshot_with_pending(self) -> UserSnapshot:
        """The stored snapshot plus this turn's sets not yet written, so summaries add up."""
        return with_completions(self.snapshot(), self.pending.completions)

    def count(self, completion: Completion) -> None:
        """A completed set; the same id twice in one turn counts once."""
        if all(c.completion_id != completion.completion_id for c in self.pending.completions):
            self.pending.completions.append(completion)

    def rate_pain(self, rating: PainRating) -> None:
        """A pain check-in: kept only when the deployment opts in (health data)."""
        if self.keep_pain:
            self.pending.pain_ratings.append(rating)

    def forget(self) -> None:
        """The user deleted their data: nothing of this turn is written or carried."""
        self.pending = PendingUpdate()
        if self.session is not None:
            self.session.pop(UNSAVED_KEY, None)

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    def finish(self, *, session_ends: bool) -> Outcome:
        """Write the turn's update once and say where it went; never raises.

        Sets that cannot be written stay in the session for the next turn, or, when
        the session ends with this answer or there is none, go to the fallback queue.
        After a failed read the write is not even tried: a second round of retries
        would push the answer past Alexa's time limit. A second call returns the
        first call's outcome.
        """
        if self.outcome is None:
            # Should writing raise, the error handler's answer must not write again.
            self.outcome = Outcome.LOST
            # Values only a day bucket holds ride along, so they outlive its expiry (explicit).
            carry_forward = (self.snapshot_read or UserSnapshot()).carry_forward
            deferred = self._settle_days(session_ends)
            self.outcome = self._finish(self.pending.freeze(carry_forward), session_ends)
            if deferred:
                self._carry_deferred(deferred)
        return self.outcome

    def _settle_days(self, session_ends: bool) -> list[Completion]:
        """Date the pending sets by the user's zone; those whose day is still a guess
        are taken out of this write while a session can carry them (see above)."""
        if not self.pending.completions or self.settled_zone is None:
            return []
        zone_name = self.settled_zone()
        if zone_name is None and self.session is not None and not session_ends:
            deferred, self.pending.completions = self.pending.completions, []
            return deferred
        if zone_name is not None:
            self.pending.completions = [dated(c, zone_name) for c in self.pending.completions]
        return []

    def _carry_deferred(self, deferred: list[Completion]) -> None:
        assert self.session is not None
        carried = carryover.from_attributes(self.session.get(UNSAVED_KEY))
        update = UserUpdate(
            completions=(*carried.completions, *deferred),
            pain_ratings=tuple(carried.ratings),
            daily_goal=carried.daily_goal,
        )
        self.session[UNSAVED_KEY] = carryover.to_attributes(update)

    def _finish(self, update: UserUpdate, session_ends: bool) -> Outcome:
        if update.is_empty:
            self._clear_carried()
            return Outcome.UNREACHABLE if self.store_failed else Outcome.NOTHING
        if not self.store_failed:
            self.store_calls += 1
            try:
                self.store.save(self.user_key, update)
            except StoreError as exc:
                log.warning("progress store write failed: %s", type(exc).__name__)
                self.store_failed = True
            else:
                self._clear_carried()
                return Outcome.SAVED
        if self.session is not None and carryover.worth_carrying(update):
            self.session[UNSAVED_KEY] = carryover.to_attributes(update)
            if not session_ends:
                return Outcome.CARRIED
        elif self.session is not None or not update.completions:
            return Outcome.UNREACHABLE
        # No session is left to carry them: the fallback queue, if there is one.
        if self._queue(update):
            return Outcome.QUEUED
        log.error(
            "progress lost: %d completed sets, %d pain ratings, %s new goal not saved"
            " as the session ended",
            len(update.completions),
            len(update.pain_ratings),
            "a" if update.daily_goal is not None else "no",
        )
        return Outcome.LOST

    def _clear_carried(self) -> None:
        if self.session is not None:
            self.session.pop(UNSAVED_KEY, None)

    def _queue(self, update: UserUpdate) -> bool:
        if self.fallback is None or not (update.completions or update.pain_ratings):
            return False
        self.store_calls += 1
        try:
            self.fallback.send(self.user_key, update)
        except FallbackQueueError as exc:
            log.warning("progress fallback queue failed: %s", type(exc).__name__)
            return False
        log.warning(
            "progress queued for a later write: %d completed sets, %d pain ratings",
            len(update.completions),
            len(update.pain_ratings),
        )
        return True


def with_completions(snapshot: UserSnapshot, completions: Collection[Completion]) -> UserSnapshot:
    """``snapshot`` with ``completions`` added to its day totals."""
    days = {total.day: total for total in snapshot.days}
    for completion in completions:
        total = days.get(completion.local_day, DayTotal(completion.local_day, 0, 0))
        days[completion.local_day] = total.plus(completion)
    return replace(snapshot, days=tuple(days[day] for day in sorted(days)))


def dated(completion: Completion, zone_name: str) -> Completion:
    """``completion`` dated by its own stamp in ``zone_name``: its day and its minute."""
    day, minute = local_day_and_minute(completion.at, zone_name)
    return replace(completion, local_day=day, minute=minute)
