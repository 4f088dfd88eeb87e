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
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from skill.progress.store import PendingUpdate, ProgressStore, StoreError, UserSnapshot
from skill.routines.catalog import Catalog, load_catalog
from skill.routines.plan import Plan
from skill.settings import Settings
from skill.speech.guide import AudioSource
from skill.speech.messages import Messages, messages_for

log = logging.getLogger(__name__)

PLAN_KEY = "plan"
OFFER_KEY = "offer"
TURN_KEY = "turn"
CATALOG_LOCALE = "en-US"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def user_key(salt: str, user_id: str) -> str:
    """A stable pseudonym for a user: raw Alexa ids never reach the store or the logs."""
    return hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Services:
    """What the skill is built with: shared by every turn of this process."""

    settings: Settings
    store: ProgressStore
    clock: Clock = utc_now
    audio: AudioSource | None = None


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

    @classmethod
    def begin(cls, handler_input: HandlerInput, services: Services) -> Turn:
        envelope = handler_input.request_envelope
        locale = getattr(envelope.request, "locale", None) or CATALOG_LOCALE
        system = envelope.context.system if envelope.context else None
        person = getattr(system, "person", None)
        user = getattr(system, "user", None)
        # A recognised voice profile owns its progress on a shared device.
        identity = getattr(person, "person_id", None) or getattr(user, "user_id", None) or ""
        messages = messages_for(locale)
        return cls(
            handler_input=handler_input,
            services=services,
            messages=messages,
            catalog=load_catalog(CATALOG_LOCALE),
            user_key=user_key(services.settings.user_key_salt, identity),
            now=services.clock(),
        )

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
    def plan(self) -> Plan | None:
        return Plan.from_attributes(self.session.get(PLAN_KEY), self.catalog)

    @plan.setter
    def plan(self, plan: Plan | None) -> None:
        if plan is None:
            self.session.pop(PLAN_KEY, None)
        else:
            self.session[PLAN_KEY] = plan.to_attributes()

    def finish(self) -> None:
        """Write the turn's pending update once; a failure is logged, never raised."""
        update = self.pending.freeze()
        if update.is_empty:
            return
        try:
            self.services.store.save(self.user_key, update)
        except StoreError as exc:
            log.warning("progress store write failed: %s", type(exc).__name__)
            self.store_failed = True
