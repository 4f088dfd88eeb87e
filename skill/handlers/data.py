"""The user's data: deleting it on request, and when the skill is disabled."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from skill.handlers.questions import CONFIRM_DELETE, asked, set_question
from skill.handlers.respond import ask, respond, tell
from skill.progress.store import StoreError, split_user_key
from skill.speech.ssml import Speech
from skill.turn.context import Turn

log = logging.getLogger(__name__)

SKILL_DISABLED = "AlexaSkillEvent.SkillDisabled"


class DeleteDataHandler(AbstractRequestHandler):
    """ "Reset my progress" / "delete my data": asks for a spoken yes first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DeleteDataIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        set_question(turn, CONFIRM_DELETE)
        say = turn.messages.say
        speech = Speech().say(say("progress.delete_confirm"))
        return ask(turn, speech, say("progress.delete_reprompt"))


class ConfirmDeleteHandler(AbstractRequestHandler):
    """Yes, right after the deletion question: remove everything stored about this user."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) and asked(
            handler_input, CONFIRM_DELETE
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        # Nothing of this user may be written back after the deletion.
        turn.work.forget()
        set_question(turn, None)
        try:
            # The plan link first: it is found through the user's own items.
            if turn.services.plans is not None:
                turn.services.plans.forget_user(turn.user_key)
            turn.services.store.delete_user(turn.user_key)
        except StoreError as exc:
            log.warning("deleting a user failed: %s", type(exc).__name__)
            return ask(turn, Speech().say(say("progress.delete_failed")), say("help.reprompt"))
        return tell(turn, Speech().say(say("progress.deleted")))


class KeepDataHandler(AbstractRequestHandler):
    """No, right after the deletion question: nothing changes."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input) and asked(
            handler_input, CONFIRM_DELETE
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        set_question(turn, None)
        say = turn.messages.say
        return ask(turn, Speech().say(say("progress.kept")), say("launch.offer_reprompt"))


class SkillDisabledHandler(AbstractRequestHandler):
    """The user disabled the skill: their data goes unless Alexa says it persists.

    The body's userInformationPersistenceStatus is PERSISTED when the same user id
    returns on re-enabling; anything else (NOT_PERSISTED, or unknown) deletes.
    """

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type(SKILL_DISABLED)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        body = getattr(handler_input.request_envelope.request, "body", None)
        status = body.get("userInformationPersistenceStatus") if isinstance(body, dict) else None
        if status != "PERSISTED":
            try:
                # The account and every voice profile under it, plan links first.
                account = split_user_key(turn.user_key)[0]
                if turn.services.plans is not None:
                    turn.services.plans.forget_account(account)
                turn.services.store.delete_account(account)
            except StoreError as exc:
                # Day buckets still expire by TTL; the log tells operators to finish the job.
                log.error("deleting a disabled user failed: %s", type(exc).__name__)
        return respond(turn, None)
