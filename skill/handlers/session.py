"""Help, stop, cancel, session end, fallback, and the answers of last resort."""

from __future__ import annotations

import logging
import traceback

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response, SessionEndedReason

from skill.handlers.respond import ask, respond, tell
from skill.speech.messages import messages_for
from skill.speech.ssml import Speech
from skill.turn.context import Turn

log = logging.getLogger(__name__)


class HelpHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        return ask(turn, Speech().say(say("help.text")), say("help.reprompt"))


class StopHandler(AbstractRequestHandler):
    """Stop, cancel and "go home" end the session politely."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent_name("AMAZON.StopIntent")(handler_input)
            or is_intent_name("AMAZON.CancelIntent")(handler_input)
            or is_intent_name("AMAZON.NavigateHomeIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        turn.keep_place(heard_to_the_end=False)
        return tell(turn, Speech().say(turn.messages.say("goodbye.text")))


class NoHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        # "No" mid-routine ends the session as stop does: the place is kept for resume.
        turn.keep_place(heard_to_the_end=False)
        return tell(turn, Speech().say(turn.messages.say("yes_no.no_thanks")))


class SessionEndedHandler(AbstractRequestHandler):
    """Alexa closed the session: no speech is allowed in the answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        reason = getattr(handler_input.request_envelope.request, "reason", None)
        log.info("session ended: %s", getattr(reason, "value", reason))
        # Our reprompt went unanswered: the set before it was heard to its end.
        timed_out = reason == SessionEndedReason.EXCEEDED_MAX_REPROMPTS
        turn = Turn.of(handler_input)
        turn.keep_place(heard_to_the_end=timed_out)
        return respond(turn, None)


class FallbackHandler(AbstractRequestHandler):
    """Anything unrecognised, and any intent no other handler knows: a helpful reprompt."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        key = "fallback.in_routine" if turn.plan is not None else "fallback.text"
        return ask(turn, Speech().say(say(key)), say("fallback.reprompt"))


class OtherRequestHandler(AbstractRequestHandler):
    """Events this skill does not act on get an empty answer, never speech."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class ErrorHandler(AbstractExceptionHandler):
    """Any failure becomes a short spoken apology with the session kept open."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        # The type and the place only: an exception's message may carry user data.
        frames = traceback.extract_tb(exception.__traceback__)
        place = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "unknown"
        log.error("unhandled %s at %s", type(exception).__name__, place)
        request = handler_input.request_envelope.request
        spoken_to = is_request_type("IntentRequest")(handler_input) or is_request_type(
            "LaunchRequest"
        )(handler_input)
        if not spoken_to:
            return handler_input.response_builder.response  # events and session ends: no speech
        turn = Turn.find(handler_input)
        if turn is not None:
            # The sets heard before the failure still go where they can, said honestly.
            say = turn.messages.say
            return ask(turn, Speech().say(say("error.text")), say("error.reprompt"))
        messages = messages_for(getattr(request, "locale", None))
        builder = handler_input.response_builder
        builder.speak(Speech().say(messages.say("error.text")).ssml())
        builder.ask(Speech().say(messages.say("error.reprompt")).ssml())
        return builder.response
