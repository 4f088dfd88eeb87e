"""Opening the skill: a warm welcome, the one-time disclaimer, and an offer."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.handlers.plan_words import PLAN_OFFER, launch_offer
from skill.handlers.respond import ask
from skill.progress.store import UserSnapshot
from skill.progress.summary import summarize, welcome_greeting
from skill.routines.plan import Plan
from skill.speech.ssml import Speech
from skill.turn.context import OFFER_KEY, REMINDED_KEY, Turn

QUICK_SNACK = "quick_snack"


def welcome_back(turn: Turn, snapshot: UserSnapshot) -> str:
    """The launch greeting for a returning user: today's snacks and their streak, if any."""
    greeting = welcome_greeting(summarize(snapshot, turn.local_today()), turn.messages)
    return greeting or turn.messages.say("launch.welcome_back")


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
        elif (prescribed := launch_offer(turn)) is not None:
            # A therapist's plan is offered first (skill/handlers/plan_words.py).
            speech.say(prescribed)
            turn.session[OFFER_KEY] = PLAN_OFFER
            return ask(turn, speech, say("plan.offer_reprompt"))
        else:
            speech.say(say("launch.offer"))
        turn.session[OFFER_KEY] = QUICK_SNACK
        return ask(turn, speech, say("launch.offer_reprompt"))
