"""Movement reminders: set (after a say-back and a yes), list, cancel; the permission.

Thin: slots -> :func:`skill.reminders.parse.parse` -> a say-back; a yes -> the
Reminders API (:mod:`skill.alexa_api.reminders_api`). The schedule waiting for its
yes, or for the permission, rides in the session (``reminder_pending``), so a
failure, a throttled API or the permission round trip loses nothing.

Permission: without the reminders scope in the envelope (or when the API answers
401/403) the skill asks by voice (Connections.SendRequest "AskFor"); a device that
cannot (the Connections.Response status is not 200) gets the consent card and a
sentence on where to grant it. After a no, the skill does not ask again in that session.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill.alexa_api.endpoints import Endpoints
from skill.alexa_api.reminders_api import (
    Failure,
    RemindersApi,
    RemindersError,
    Wording,
    reminder_requests,
    schedule_of,
)
from skill.handlers.common import resolved_slot
from skill.handlers.questions import CONFIRM_REMINDER, REMINDER_DETAIL, asked, set_question
from skill.handlers.respond import ask, respond, tell
from skill.progress.localtime import zone
from skill.reminders.parse import PARTS_OF_DAY, SLOTS, Draft, Unclear, parse
from skill.reminders.schedule import Schedule
from skill.reminders.words import confirm, describe
from skill.speech.ssml import Speech
from skill.turn.context import Turn

SCOPE = "alexa::alerts:reminders:skill:readwrite"
DRAFT_KEY = "reminder_draft"
PENDING_KEY = "reminder_pending"
DENIED_KEY = "reminders_denied"
ASK_FOR = "AskFor"
# What the user is told per failure; each keeps the pending schedule unless noted.
FAILURE_KEYS = {
    Failure.THROTTLED: "reminders.throttled",
    Failure.UNAVAILABLE: "reminders.unavailable",
}


def answer(turn: Turn, key: str, reprompt: str = "reminders.after_reprompt") -> Response:
    say = turn.messages.say
    return ask(turn, Speech().say(say(key)), say(reprompt))


def api(turn: Turn) -> RemindersApi:
    return RemindersApi(Endpoints.for_test_endpoint(turn.services.settings.alexa_api_test_endpoint))


def local_now(turn: Turn) -> datetime:
    return turn.now.astimezone(zone(turn.time_zone))


def heard(handler_input: HandlerInput) -> Draft:
    """The reminder slots of this request: resolved ids for custom types, else the value."""
    draft: Draft = {}
    for name in SLOTS:
        resolved, value = resolved_slot(handler_input, name)
        if resolved or value:
            draft[name] = resolved or value or ""
    return draft


class SetReminderHandler(AbstractRequestHandler):
    """ "Remind me every hour between 9 and 5": the say-back, or a question first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SetReminderIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        earlier = turn.session.get(DRAFT_KEY) if asked(handler_input, REMINDER_DETAIL) else None
        draft = {**(earlier if isinstance(earlier, dict) else {}), **heard(handler_input)}
        now = local_now(turn)
        result = parse(draft, now)
        turn.session.pop(DRAFT_KEY, None)
        if isinstance(result, Unclear):
            text = say(result.key, **result.params)
            if not result.keep_draft:
                set_question(turn, None)
                return ask(turn, Speech().say(text), say("reminders.ask_when_reprompt"))
            turn.session[DRAFT_KEY] = {k: str(v) for k, v in draft.items()}
            set_question(turn, REMINDER_DETAIL)
            return ask(turn, Speech().say(text), text)
        turn.session[PENDING_KEY] = result.to_attributes()
        set_question(turn, CONFIRM_REMINDER)
        speech = Speech().say(confirm(turn.messages, result, now.date()))
        return ask(turn, speech, say("reminders.confirm_reprompt"))


class ConfirmReminderHandler(AbstractRequestHandler):
    """Yes, right after the say-back: create the schedule (or ask for the permission)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) and asked(
            handler_input, CONFIRM_REMINDER
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        set_question(turn, None)
        return create_pending(turn)


class DeclineReminderHandler(AbstractRequestHandler):
    """No, right after the say-back: nothing is set."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input) and asked(
            handler_input, CONFIRM_REMINDER
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        set_question(turn, None)
        turn.session.pop(PENDING_KEY, None)
        return answer(turn, "reminders.not_created")


class PermissionAnswerHandler(AbstractRequestHandler):
    """The answer to our AskFor: ACCEPTED creates the pending schedule."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return is_request_type("Connections.Response")(handler_input) and (
            getattr(request, "name", None) == ASK_FOR
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        request: Any = handler_input.request_envelope.request
        code = str(getattr(getattr(request, "status", None), "code", ""))
        payload = request.payload if isinstance(request.payload, dict) else {}
        answer = payload.get("status")
        if code != "200":
            # This device cannot ask by voice: the card, and where to grant it.
            return permission_card(turn, "reminders.permission_card")
        if answer == "ACCEPTED":
            return create_pending(turn)
        if answer == "DENIED":
            turn.session[DENIED_KEY] = True
            turn.session.pop(PENDING_KEY, None)
            speech = Speech().say(say("reminders.permission_denied"))
            return ask(turn, speech, say("reminders.after_reprompt"))
        set_question(turn, CONFIRM_REMINDER)
        speech = Speech().say(say("reminders.permission_not_answered"))
        return ask(turn, speech, say("reminders.confirm_reprompt"))


def granted(turn: Turn) -> bool:
    """Whether the envelope says the user gave this skill the reminders scope."""
    system = turn.handler_input.request_envelope.context.system
    permissions = getattr(getattr(system, "user", None), "permissions", None)
    scopes = getattr(permissions, "scopes", None) or {}
    if SCOPE in scopes:
        return getattr(getattr(scopes[SCOPE], "status", None), "value", None) == "GRANTED"
    return bool(getattr(permissions, "consent_token", None))


def ask_permission(turn: Turn) -> Response:
    """By voice, unless the user said no to that in this session."""
    if turn.session.get(DENIED_KEY):
        return permission_card(turn, "reminders.permission_still_needed")
    payload = {
        "@type": "AskForPermissionsConsentRequest",
        "@version": "2",
        "permissionScopes": [{"permissionScope": SCOPE, "consentLevel": "ACCOUNT"}],
    }
    builder = turn.handler_input.response_builder
    builder.add_directive(SendRequestDirective(name=ASK_FOR, payload=payload, token="reminders"))
    # Alexa asks the question itself; the session waits for its Connections.Response.
    return respond(turn, None)


def permission_card(turn: Turn, key: str) -> Response:
    turn.handler_input.response_builder.set_card(AskForPermissionsConsentCard(permissions=[SCOPE]))
    say = turn.messages.say
    return ask(turn, Speech().say(say(key)), say("reminders.after_reprompt"))


def create_pending(turn: Turn) -> Response:
    """Create the schedule waiting in the session; every failure keeps it for a retry."""
    say = turn.messages.say
    schedule = Schedule.from_attributes(turn.session.get(PENDING_KEY))
    if schedule is None:
        return answer(turn, "reminders.ask_when", "reminders.ask_when_reprompt")
    if not granted(turn):
        return ask_permission(turn)
    now = local_now(turn)
    wording = Wording(turn.messages.locale, say("reminders.spoken_text"))
    requests = reminder_requests(schedule, wording, turn.time_zone, now)
    envelope = turn.handler_input.request_envelope
    try:
        made = api(turn).create(envelope, requests)
    except RemindersError as exc:
        return failed(turn, exc)
    turn.session.pop(PENDING_KEY, None)
    what = describe(turn.messages, schedule, now.date())
    return tell(turn, Speech().say(turn.messages.count("reminders.created", len(made), what=what)))


def failed(turn: Turn, exc: RemindersError) -> Response:
    say = turn.messages.say
    if exc.made and not exc.cleaned:
        turn.session.pop(PENDING_KEY, None)
        return answer(turn, "reminders.partly_left")
    if exc.failure is Failure.PERMISSION and not exc.made:
        return ask_permission(turn)  # revoked since the envelope was made
    if exc.failure is Failure.LIMIT:
        return ask(turn, Speech().say(say("reminders.limit")), say("reminders.after_reprompt"))
    key = "reminders.partly_created" if exc.made else FAILURE_KEYS.get(exc.failure)
    set_question(turn, CONFIRM_REMINDER)
    speech = Speech().say(say(key or "reminders.unavailable"))
    return ask(turn, speech, say("reminders.confirm_reprompt"))


class ListRemindersHandler(AbstractRequestHandler):
    """ "What reminders do I have": each schedule in a few words."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ListRemindersIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        try:
            found = api(turn).reminders(handler_input.request_envelope)
        except RemindersError as exc:
            return unreadable(turn, exc, "reminders.list_failed")
        today = local_now(turn).date()
        items = [describe(turn.messages, s, today) for s in map(schedule_of, found) if s]
        if not items:
            text = say("reminders.none")
        else:
            joined = turn.messages.join(items, "and")
            text = turn.messages.count("reminders.you_have", len(items), items=joined)
        return ask(turn, Speech().say(text), say("reminders.after_reprompt"))


def unreadable(turn: Turn, exc: RemindersError, key: str) -> Response:
    if exc.failure is Failure.PERMISSION:
        return permission_card(turn, "reminders.permission_card")
    say = turn.messages.say
    return ask(turn, Speech().say(say(key)), say("reminders.after_reprompt"))


class CancelRemindersHandler(AbstractRequestHandler):
    """ "Cancel my reminders" (all of them) or "stop the evening reminder" (those whose
    every time falls in the evening)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CancelRemindersIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        part, _ = resolved_slot(handler_input, "part")
        reminders_api = api(turn)
        envelope = handler_input.request_envelope
        try:
            found = reminders_api.reminders(envelope)
            if part in PARTS_OF_DAY:
                hours = PARTS_OF_DAY[part]
                found = [r for r in found if in_hours(schedule_of(r), hours)]
            reminders_api.delete(envelope, [str(r.alert_token) for r in found])
        except RemindersError as exc:
            return unreadable(turn, exc, "reminders.cancel_failed")
        if part in PARTS_OF_DAY:
            name = say(f"reminders.part_{part}")
            key = "reminders.cancelled_part" if found else "reminders.no_part"
            text = say(key, part=name)
        elif found:
            text = turn.messages.count("reminders.cancelled", len(found))
        else:
            text = say("reminders.none")
        return ask(turn, Speech().say(text), say("reminders.after_reprompt"))


def in_hours(schedule: Schedule | None, hours: tuple[int, ...]) -> bool:
    return schedule is not None and all(t.hour in hours for t in schedule.times)
