"""Movement reminders: set (after a say-back and a yes), list, cancel; the permission.

Thin: slots -> :func:`skill.reminders.parse.parse` -> a say-back; a yes ->
:func:`skill.handlers.reminder_flow.create_pending` (the Reminders API, or the
permission first). The answer to our permission request arrives as a
Connections.Response: ACCEPTED creates the pending schedule, DENIED is remembered
for the session, NOT_ANSWERED offers to ask again, and a device that cannot ask by
voice (a status other than 200) gets the consent card and where to grant it.
"""

from __future__ import annotations

from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.alexa_api.reminders_api import Failure, RemindersError, schedule_of
from skill.handlers.common import resolved_slot
from skill.handlers.questions import CONFIRM_REMINDER, REMINDER_DETAIL, asked, set_question
from skill.handlers.reminder_flow import (
    ASK_FOR,
    DENIED_KEY,
    DRAFT_KEY,
    PENDING_KEY,
    answer,
    api,
    create_pending,
    local_now,
    permission_card,
)
from skill.handlers.respond import ask
from skill.reminders.parse import PARTS_OF_DAY, SLOTS, Draft, Unclear, merge, parse
from skill.reminders.schedule import Schedule
from skill.reminders.words import confirm, describe
from skill.speech.ssml import Speech
from skill.turn.context import Turn


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
        draft = merge(earlier if isinstance(earlier, dict) else {}, heard(handler_input))
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
        request: Any = handler_input.request_envelope.request
        code = str(getattr(getattr(request, "status", None), "code", ""))
        payload = request.payload if isinstance(request.payload, dict) else {}
        word = payload.get("status")
        if code != "200":
            # This device cannot ask by voice: the card, and where to grant it.
            return permission_card(turn, "reminders.permission_card")
        if word == "ACCEPTED":
            return create_pending(turn)
        if word == "DENIED":
            turn.session[DENIED_KEY] = True
            turn.session.pop(PENDING_KEY, None)
            return answer(turn, "reminders.permission_denied")
        # NOT_ANSWERED: the schedule waits; yes asks again.
        set_question(turn, CONFIRM_REMINDER)
        return answer(turn, "reminders.permission_not_answered", "reminders.confirm_reprompt")


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
    return answer(turn, key)


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
