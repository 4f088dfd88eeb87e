"""A number on its own ("eight") answers the question just asked (see questions.py)."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.common import number_slot
from skill.handlers.pain import answer_pain
from skill.handlers.questions import GOAL, PAIN, REPS, current_question
from skill.handlers.respond import ask
from skill.handlers.routine import set_reps
from skill.handlers.summary import set_goal
from skill.speech.ssml import Speech
from skill.turn.context import Turn


class NumberAnswerHandler(AbstractRequestHandler):
    """A number answers the question just asked; without one, ask what it means."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("NumberAnswerIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        number = number_slot(handler_input, "number")
        question = current_question(turn)
        if question == PAIN:
            return answer_pain(turn, number)
        if question == GOAL:
            return set_goal(turn, number)
        plan = turn.plan
        if question == REPS and plan is not None:
            return set_reps(turn, plan, number)
        say = turn.messages.say
        heard = number if number is not None else say("progress.number_unheard")
        text = say("progress.number_unclear", number=heard)
        return ask(turn, Speech().say(text), say("help.reprompt"))
