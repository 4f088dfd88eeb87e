"""One conversation turn's context: who, in which locale, at what time, with what state.

A request interceptor attaches a :class:`Turn` to the request attributes; handlers
read the store at most once through it (lazily) and queue changes in one pending
update that the response interceptor writes once at the end of the turn.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from skill.handlers.timezone import TimeZoneLookup, alexa_time_zone
from skill.progress import carryover
from skill.progress.fallback import FallbackQueue, FallbackQueueError
from skill.progress.localtime import local_day, zone
from skill.progress.store import (
    PERSON_SEPARATOR,
    PendingUpdate,
    ProgressStore,
    StoreError,
    UserSnapshot,
    UserUpdate,
)
from skill.routines.catalog import Catalog, load_catalog
from skill.routines.plan import Plan
from skill.settings import Settings
from skill.speech.guide import AudioSource
from skill.speech.messages import Messages, messages_for

log = logging.getLogger(__name__)

PLAN_KEY = "plan"
OFFER_KEY = "offer"
# The welcome just gave the pain-free reminder: the routine that follows need not repeat it.
REMINDED_KEY = "reminded"
TURN_KEY = "turn"
TIME_ZONE_KEY = "time_zone"
UNSAVED_KEY = "unsaved"
CATALOG_LOCALE = "en-US"
# Alexa retries within seconds; an older or newer stamp is a skewed or forged one.
TRUSTED_STAMP_SKEW = timedelta(hours=1)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def user_key(salt: str, user_id: str, person_id: str | None = None) -> str:
    """A stable pseudonym for a user: raw Alexa ids never reach the store or the logs.

    A recognised voice profile gets its own key under the account's, so deleting
    the account (SkillDisabled) also deletes what its voice profiles stored.
    """
    account = hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()[:32]
    if not person_id:
        return account
    person = hashlib.sha256(f"{salt}:{person_id}".encode()).hexdigest()[:32]
    return f"{account}{PERSON_SEPARATOR}{person}"


@dataclass(frozen=True)
class Services:
    """What the skill is built with: shared by every turn of this process."""

    settings: Settings
    store: ProgressStore
    clock: Clock = utc_now
    audio: AudioSource | None = None
    time_zones: TimeZoneLookup = alexa_time_zone
    # Takes the sets a failing store leaves when no session is left to carry them.
    fallback: FallbackQueue | None = None


@dataclass
class Turn:
    handler_input: HandlerInput
    services: Services
    messages: Messages
    catalog: Catalog
    user_key: str
    now: datetime
    pending: PendingUpdate = field(default_factory=PendingUpdate)
    store_failed: bool = False
    _snapshot: UserSnapshot | None = None
    # Set when the store could not take this turn's sets: the response says so honestly.
    unsaved: bool = False
    # Set when those sets went to the fallback queue because the session ends.
    queued: bool = False

    @classmethod
    def begin(cls, handler_input: HandlerInput, services: Services) -> Turn:
        envelope = handler_input.request_envelope
        locale = getattr(envelope.request, "locale", None) or CATALOG_LOCALE
        system = envelope.context.system if envelope.context else None
        person = getattr(system, "person", None)
        user = getattr(system, "user", None)
        # A recognised voice profile owns its progress on a shared device.
        person_id = getattr(person, "person_id", None)
        account_id = getattr(user, "user_id", None) or ""
        messages = messages_for(locale)
        turn = cls(
            handler_input=handler_input,
            services=services,
            messages=messages,
            catalog=load_catalog(CATALOG_LOCALE),
            user_key=user_key(services.settings.user_key_salt, account_id, person_id),
            now=services.clock(),
        )
        turn.carry_unsaved()
        return turn

    def carry_unsaved(self) -> None:
        """Sets an earlier turn could not write join this turn's update (nothing is lost)."""
        if not self.in_session:
            return
        carried = carryover.from_attributes(self.session.get(UNSAVED_KEY))
        known = self.catalog.exercises
        self.pending.completions.extend(c for c in carried.completions if c.exercise_id in known)
        self.pending.pain_ratings.extend(carried.ratings)
        self.pending.daily_goal = carried.daily_goal

    @staticmethod
    def of(handler_input: HandlerInput) -> Turn:
        turn = handler_input.attributes_manager.request_attributes[TURN_KEY]
        assert isinstance(turn, Turn)
        return turn

    @property
    def session(self) -> dict[str, Any]:
        attributes: dict[str, Any] = self.handler_input.attributes_manager.session_attributes
        return attributes

    def snapshot(self) -> UserSnapshot:
        """The user's stored state, read at most once per turn; defaults if the store is down."""
        if self._snapshot is None:
            try:
                self._snapshot = self.services.store.load(self.user_key)
            except StoreError as exc:
                log.warning("progress store read failed: %s", type(exc).__name__)
                self.store_failed = True
                self._snapshot = UserSnapshot()
        return self._snapshot

    @property
    def in_session(self) -> bool:
        """False for AudioPlayer and skill events: they carry no session attributes."""
        return self.handler_input.request_envelope.session is not None

    @property
    def time_zone(self) -> str:
        """The IANA zone: the Settings API once per session, else the stored one, else UTC."""
        cached = self.session.get(TIME_ZONE_KEY) if self.in_session else None
        if isinstance(cached, str) and str(zone(cached)) == cached:
            return cached
        found = self.services.time_zones(self.handler_input.request_envelope)
        if found is None:
            found = self.snapshot().time_zone or "UTC"
        elif self.snapshot().time_zone != found:
            # Kept as the fallback for when the API fails; learned once per session.
            self.pending.time_zone = found
        if self.in_session:
            self.session[TIME_ZONE_KEY] = found
        return found

    def local_today(self) -> date:
        return local_day(self.now, self.time_zone)

    @property
    def heard_at(self) -> datetime:
        """When the user said it. Alexa stamps a request once, so a retry that arrives
        after local midnight keeps its stamp, and its set the same day (exactly-once
        counting is per day). A stamp far from our clock is not trusted."""
        stamp = getattr(self.handler_input.request_envelope.request, "timestamp", None)
        if not isinstance(stamp, datetime) or stamp.tzinfo is None:
            return self.now
        return stamp if abs(stamp - self.now) <= TRUSTED_STAMP_SKEW else self.now

    @property
    def plan(self) -> Plan | None:
        return Plan.from_attributes(self.session.get(PLAN_KEY), self.catalog)

    @plan.setter
    def plan(self, plan: Plan | None) -> None:
        if plan is None:
            self.session.pop(PLAN_KEY, None)
        else:
            self.session[PLAN_KEY] = plan.to_attributes()

    def finish(self, session_ends: bool = False) -> None:
        """Write the turn's pending update once; a failure is logged, never raised.

        Sets that cannot be written stay in the session for the next turn, or, when
        the session ends with this answer or there is none (an AudioPlayer or skill
        event), go to the fallback queue. After a failed read the write is not even
        tried: a second round of retries would push the answer past Alexa's time limit.
        """
        update = self.pending.freeze((self._snapshot or UserSnapshot()).carry_forward)
        if update.is_empty:
            if self.in_session:
                self.session.pop(UNSAVED_KEY, None)
            return
        if not self.store_failed:
            try:
                self.services.store.save(self.user_key, update)
                if self.in_session:
                    self.session.pop(UNSAVED_KEY, None)
                return
            except StoreError as exc:
                log.warning("progress store write failed: %s", type(exc).__name__)
                self.store_failed = True
        if self.in_session and carryover.worth_carrying(update):
            self.session[UNSAVED_KEY] = carryover.to_attributes(update)
            self.unsaved = True
            if not session_ends:
                return
        elif self.in_session or not update.completions:
            return
        # No session is left to carry them: the fallback queue, if there is one.
        self.queued = self._queue(update)
        if not self.queued:
            log.error(
                "progress lost: %d completed sets, %d pain ratings, %s new goal not saved"
                " as the session ended",
                len(update.completions),
                len(update.pain_ratings),
                "a" if update.daily_goal is not None else "no",
            )

    def _queue(self, update: UserUpdate) -> bool:
        fallback = self.services.fallback
        if fallback is None or not (update.completions or update.pain_ratings):
            return False
        try:
            fallback.send(self.user_key, update)
        except FallbackQueueError as exc:
            log.warning("progress fallback queue failed: %s", type(exc).__name__)
            return False
        log.warning(
            "progress queued for a later write: %d completed sets, %d pain ratings",
            len(update.completions),
            len(update.pain_ratings),
        )
        return True
