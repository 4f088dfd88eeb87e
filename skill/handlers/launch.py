"""Opening the skill: a warm welcome, the one-time disclaimer, and an offer."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.handlers.common import ask
from skill.handlers.progress_hooks import welcome_back
from skill.handlers.turn import OFFER_KEY, REMINDED_KEY, Turn
from skill.routines.plan import Plan
from skill.speech.ssml import Speech

QUICK_SNACK = "quick_snack"


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        snapshot = turn.snapshot()
        speech = Speech()
        if snapshot.disclaimer_heard:
            speech.say(welcome_back(turn, snapshot))
        else:
            # Said once per user, on the very first launch (DESIGN.md section 7).
            speech.say(say("launch.welcome_first"), say("launch.disclaimer"))
            speech.say(say("launch.pain_free"))
            turn.pending.disclaimer_heard = True
            turn.session[REMINDED_KEY] = True
        paused = Plan.from_bookmark(snapshot.bookmark, turn.catalog) if snapshot.bookmark else None
        if paused is not None:
            exercise = turn.catalog.exercise(paused.exercise_id).name
            speech.say(say("launch.resume_offer", exercise=exercise))
        else:
            speech.say(say("launch.offer"))
        turn.session[OFFER_KEY] = QUICK_SNACK
        return ask(turn, speech, say("launch.offer_reprompt"))
