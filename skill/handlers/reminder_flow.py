"""Creating a confirmed schedule, and asking for the reminders permission on the way.

The schedule waiting for its yes, or for the permission, rides in the session
(``reminder_pending``); every failure keeps it there for a retry, except a schedule
whose cleanup failed (the user is sent to the Alexa app instead).

Permission: without the reminders scope in the envelope (or when the API answers
401/403) the skill asks by voice (Connections.SendRequest "AskFor"). After a no it
does not ask again in that session: the consent card and where to grant it instead.
"""

from __future__ import annotations

from datetime import datetime

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
)
from skill.alexa_api.settings_api import TimeZoneLookupFailed
from skill.handlers.questions import CONFIRM_REMINDER, set_question
from skill.handlers.respond import ask, respond, tell
from skill.progress.localtime import zone
from skill.reminders.schedule import Schedule
from skill.reminders.words import describe
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


def reminder_zone(turn: Turn) -> str | None:
    """The zone reminders fire in, never a guess: the Settings API's or the stored one.
    When neither is known this turn (the lookup failed earlier in the session), it is
    looked up once more, and None (nothing is set) if that fails too."""
    name = turn.known_time_zone()
    if name is not None:
        return name
    try:
        return turn.services.time_zones(turn.handler_input.request_envelope)
    except TimeZoneLookupFailed:
        return None


def create_pending(turn: Turn) -> Response:
    """Create the schedule waiting in the session; every failure keeps it for a retry."""
    say = turn.messages.say
    schedule = Schedule.from_attributes(turn.session.get(PENDING_KEY))
    if schedule is None:
        return answer(turn, "reminders.ask_when", "reminders.ask_when_reprompt")
    if not granted(turn):
        return ask_permission(turn)
    time_zone = reminder_zone(turn)
    if time_zone is None:
        set_question(turn, CONFIRM_REMINDER)
        return answer(turn, "reminders.no_time_zone", "reminders.confirm_reprompt")
    now = turn.now.astimezone(zone(time_zone))
    wording = Wording(turn.messages.locale, say("reminders.spoken_text"))
    requests = reminder_requests(schedule, wording, time_zone, now)
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
