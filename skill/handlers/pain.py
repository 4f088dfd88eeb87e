"""Pain in conversation: "ouch, that hurts" stops the movement; a 0-10 rating is acted on.

What a rating means is the domain's (:mod:`skill.progress.pain`); whether it is kept
is the unit of work's (only when the deployment opts in). Never diagnose.
"""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.common import number_slot
from skill.handlers.questions import PAIN, set_question
from skill.handlers.respond import ask, tell
from skill.handlers.routine import finish_routine
from skill.progress.pain import advice, is_rating
from skill.progress.store import PainRating
from skill.speech.ssml import Speech
from skill.turn.context import Turn


class PainRatingHandler(AbstractRequestHandler):
    """ "My pain is a 3": a 0-10 rating, asked after a routine or offered at any time."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PainRatingIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return answer_pain(Turn.of(handler_input), number_slot(handler_input, "rating"))


class PainReportHandler(AbstractRequestHandler):
    """ "Ouch, that hurts": stop the movement at once, then ask how it feels now."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PainReportIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        set_question(turn, PAIN)
        plan = turn.plan
        if plan is not None:
            turn.plan = replace(plan, delivered=False)  # stopped midway: it does not count
        speech = Speech().say(say("progress.pain_stop"), say("progress.pain_question_now"))
        return ask(turn, speech, say("progress.pain_reprompt"))


def answer_pain(turn: Turn, rating: int | None) -> Response:
    """Act on a rating: carry on gently, ease off and stop, or stop and see the therapist.

    Answering after the last set is moving on, so that set counts; a rating that
    ends the routine (``PainAdvice.ends_routine``) ends it with care.
    """
    say = turn.messages.say
    if rating is None or not is_rating(rating):
        set_question(turn, PAIN)
        return ask(turn, Speech().say(say("progress.pain_invalid")), say("progress.pain_reprompt"))
    turn.work.rate_pain(PainRating(f"{turn.request_id}#pain", rating, turn.local_today(), turn.now))
    plan = turn.plan
    if plan is not None and plan.is_last:
        turn.move_on()  # the check-in after the last set: it was done
        turn.plan = None
    found = advice(rating)
    if found.ends_routine:
        turn.plan = None
        turn.pending.bookmark = None
        return tell(turn, Speech().say(say(f"progress.pain_{found.value}")))
    sentence = say(f"progress.pain_{found.value}")
    if turn.plan is not None:
        return ask(turn, Speech().say(sentence, say("progress.carry_on")), say("progress.carry_on"))
    return finish_routine(turn, Speech().say(sentence))
