"""One conversation turn's context: who, in which locale, at what time, with what state.

:class:`Turn` is made by the request interceptor (:mod:`skill.turn.interceptors`) and
read by every handler through :meth:`Turn.of`. It holds the salted user key, the
locale's messages and catalog, the clock, the time zone and the session, and the
turn's :class:`~skill.turn.work.UnitOfWork`. :meth:`Turn.move_on` is the one rule
for "a heard set counts when the user moves on".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa_api.settings_api import TimeZoneLookup, TimeZoneLookupFailed, no_lookup
from skill.plans.store import PlanStore
from skill.progress.fallback import FallbackQueue
from skill.progress.localtime import local_day, local_day_and_minute, zone
from skill.progress.store import Completion, PendingUpdate, ProgressStore, UserSnapshot
from skill.routines.catalog import Catalog, load_catalog
from skill.routines.plan import Plan
from skill.settings import Settings
from skill.speech.guide import AudioSource, set_timeline
from skill.speech.messages import FALLBACK_LOCALE, Messages, messages_for, supported_locale
from skill.turn.identity import user_key
from skill.turn.work import UnitOfWork

PLAN_KEY = "plan"
OFFER_KEY = "offer"
# The welcome just gave the pain-free reminder: the routine that follows need not repeat it.
REMINDED_KEY = "reminded"
TURN_KEY = "turn"
TIME_ZONE_KEY = "time_zone"
UTC_NAME = "UTC"
# The Settings API failed this session and no zone is stored: sets wait for a zone.
ZONE_LOOKUP_FAILED_KEY = "time_zone_failed"
# Alexa retries within seconds; an older or newer stamp is a skewed or forged one.
TRUSTED_STAMP_SKEW = timedelta(hours=1)

Clock = Callable[[], datetime]


def catalog_for(locale: object) -> Catalog:
    """The catalog of ``locale``; an unsupported one falls back to en-US, as messages do."""
    return load_catalog(supported_locale(locale))


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    """What the skill is built with: shared by every turn of this process."""

    settings: Settings
    store: ProgressStore
    clock: Clock = utc_now
    audio: AudioSource | None = None
    time_zones: TimeZoneLookup = no_lookup
    # Takes the sets a failing store leaves when no session is left to carry them.
    fallback: FallbackQueue | None = None
    # Therapists' plans, in the progress store's own file or table (skill/plans/).
    plans: PlanStore | None = None


@dataclass
class Turn:
    handler_input: HandlerInput
    services: Services
    messages: Messages
    catalog: Catalog
    user_key: str
    now: datetime
    work: UnitOfWork
    zone_asked: bool = False
    zone_found: str | None = None
    zone_lookup_failed: bool = False

    @classmethod
    def begin(cls, handler_input: HandlerInput, services: Services) -> Turn:
        envelope = handler_input.request_envelope
        locale = supported_locale(getattr(envelope.request, "locale", None))
        system = envelope.context.system if envelope.context else None
        # A recognised voice profile owns its progress on a shared device.
        person_id = getattr(getattr(system, "person", None), "person_id", None)
        account_id = getattr(getattr(system, "user", None), "user_id", None) or ""
        key = user_key(services.settings.user_key_salt, account_id, person_id)
        session = handler_input.attributes_manager.session_attributes if envelope.session else None
        work = UnitOfWork(
            services.store,
            key,
            session,
            keep_pain=services.settings.store_pain_ratings,
            fallback=services.fallback,
        )
        catalog = catalog_for(locale)
        work.carry_in(catalog.exercises)
        turn = cls(
            handler_input, services, messages_for(locale), catalog, key, services.clock(), work
        )
        work.settled_zone = turn.settled_time_zone
        return turn

    @staticmethod
    def of(handler_input: HandlerInput) -> Turn:
        turn = Turn.find(handler_input)
        assert turn is not None, "BeginTurn runs before every handler"
        return turn

    @staticmethod
    def find(handler_input: HandlerInput) -> Turn | None:
        """The turn, or None when the request failed before it began."""
        turn = handler_input.attributes_manager.request_attributes.get(TURN_KEY)
        return turn if isinstance(turn, Turn) else None

    @property
    def audio(self) -> AudioSource | None:
        """The generated audio, if it speaks this turn's locale: a build renders one
        locale's catalog, and a German user must never hear the English MP3 of a set
        whose timeline happens to match. A source that names no locale is en-US's."""
        audio = self.services.audio
        spoken = getattr(audio, "locale", FALLBACK_LOCALE)
        return audio if audio is not None and spoken == self.catalog.locale else None

    @property
    def in_session(self) -> bool:
        """False for AudioPlayer and skill events: they carry no session attributes."""
        return self.work.session is not None

    @property
    def session(self) -> dict[str, Any]:
        attributes: dict[str, Any] = self.handler_input.attributes_manager.session_attributes
        return attributes

    @property
    def pending(self) -> PendingUpdate:
        """What this turn changes, written once when the turn finishes."""
        return self.work.pending

    @property
    def store_failed(self) -> bool:
        return self.work.store_failed

    def snapshot(self) -> UserSnapshot:
        return self.work.snapshot()

    @property
    def request_id(self) -> str:
        return getattr(self.handler_input.request_envelope.request, "request_id", None) or ""

    @property
    def time_zone(self) -> str:
        """The IANA zone: the Settings API once per session, else the stored one, else UTC."""
        return self.known_time_zone() or UTC_NAME

    def known_time_zone(self) -> str | None:
        """The user's zone, or None when neither the Settings API nor the store knows it.

        The API is asked once per session: its answer, or that it failed, is kept in
        the session (a retry of this request carries neither, so it asks again).
        """
        if self.zone_asked:
            return self.zone_found
        self.zone_asked = True
        session = self.session if self.in_session else {}
        cached = session.get(TIME_ZONE_KEY)
        if isinstance(cached, str) and str(zone(cached)) == cached:
            self.zone_found = cached
            return cached
        found = None
        self.zone_lookup_failed = session.get(ZONE_LOOKUP_FAILED_KEY) is True
        if not self.zone_lookup_failed:
            try:
                found = self.services.time_zones(self.handler_input.request_envelope)
            except TimeZoneLookupFailed:
                self.zone_lookup_failed = True
        if found is None:
            found = self.snapshot().time_zone
        elif self.snapshot().time_zone != found:
            # Kept as the fallback for when the API fails; learned once per session.
            self.work.pending.time_zone = found
        if self.in_session:
            if found or not self.zone_lookup_failed:
                self.session[TIME_ZONE_KEY] = found or UTC_NAME
            else:
                self.session[ZONE_LOOKUP_FAILED_KEY] = True
        self.zone_found = found or None
        return self.zone_found

    def settled_time_zone(self) -> str | None:
        """The zone a set may be dated by now, or None while Alexa's retry of this
        request could still learn another one (the lookup failed and none is stored)."""
        found = self.known_time_zone()
        if found is None and self.zone_lookup_failed:
            return None
        return found or UTC_NAME

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
        if not self.in_session:
            return None
        return Plan.from_attributes(self.session.get(PLAN_KEY), self.catalog)

    @plan.setter
    def plan(self, plan: Plan | None) -> None:
        if not self.in_session:
            return
        if plan is None:
            self.session.pop(PLAN_KEY, None)
        else:
            self.session[PLAN_KEY] = plan.to_attributes()

    def move_on(self) -> Plan | None:
        """The user moves on from the session's plan (next, repeat, start over, a new
        routine, hands-free, the pain answer after the last set...): its set counts if
        it was heard, exactly once. Every handler that moves on calls this.

        Returns the plan moved on from, no longer delivered, or None without one.
        """
        plan = self.plan
        if plan is None:
            return None
        self.count_heard(plan)
        self.plan = plan = replace(plan, delivered=False)
        return plan

    def count_heard(self, plan: Plan) -> None:
        """Count the plan's current set if it was delivered. The id comes from the
        Alexa request id, so a retried delivery counts once."""
        if not plan.delivered:
            return
        timeline = set_timeline(self.catalog, plan)
        day, minute = local_day_and_minute(self.heard_at, self.time_zone)
        self.work.count(
            Completion(
                completion_id=f"{self.request_id}#{plan.index}",
                exercise_id=plan.exercise_id,
                routine_id=plan.routine_id,
                reps=timeline.reps,
                seconds=round(timeline.duration_ms / 1000),
                local_day=day,
                at=self.heard_at,
                minute=minute,
            )
        )

    def keep_place(self, *, heard_to_the_end: bool) -> None:
        """The session is ending mid-routine: keep the user's place for "resume".

        A set counts only when we know it was heard to its end (Alexa closed the
        session after our reprompt went unanswered), or when it was the routine's
        last one, whose closing words were "that's it done". Otherwise the user may
        have stopped it midway, so the same exercise waits for them.
        """
        plan = self.plan
        if plan is None:
            return
        if plan.delivered and (heard_to_the_end or plan.is_last):
            self.count_heard(plan)
            if plan.is_last:
                self.work.pending.bookmark = None
                return
            plan = plan.moved(+1)
        self.work.pending.bookmark = replace(plan, delivered=False).to_bookmark()
