"""Which question the skill just asked, so a bare "yes" or "eight" answers that one.

A number alone means nothing by itself: after "how did that feel?" it is a pain
rating, after "how many reps?" a rep count, after "what goal?" a daily goal.
Any request that is not an answer forgets the question.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name

from skill.turn.context import Turn

QUESTION_KEY = "question"
CONFIRM_DELETE = "confirm_delete"
PAIN = "pain"
REPS = "reps"
GOAL = "goal"
CONFIRM_PLAN = "confirm_plan"
SHARE_PLAN = "share_plan"
PLAN_CODE = "plan_code"
# Reminders: the say-back waits for a yes; a question about the time waits for its answer.
CONFIRM_REMINDER = "confirm_reminder"
REMINDER_DETAIL = "reminder_detail"
NUMBER_ANSWER = "NumberAnswerIntent"

# Which intents answer each question.
ANSWERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        CONFIRM_DELETE: ("AMAZON.YesIntent", "AMAZON.NoIntent"),
        PAIN: ("PainRatingIntent", NUMBER_ANSWER),
        REPS: ("SetRepsIntent", NUMBER_ANSWER),
        GOAL: ("SetGoalIntent", NUMBER_ANSWER),
        CONFIRM_PLAN: ("AMAZON.YesIntent", "AMAZON.NoIntent"),
        SHARE_PLAN: ("AMAZON.YesIntent", "AMAZON.NoIntent"),
        PLAN_CODE: ("UsePlanCodeIntent", NUMBER_ANSWER),
        CONFIRM_REMINDER: ("AMAZON.YesIntent", "AMAZON.NoIntent"),
        REMINDER_DETAIL: ("SetReminderIntent",),
    }
)


class ForgetStaleQuestions(AbstractRequestInterceptor):
    """A yes/no or a number answers only the question asked in the turn right before."""

    def process(self, handler_input: HandlerInput) -> None:
        if handler_input.request_envelope.session is None:
            return
        session = handler_input.attributes_manager.session_attributes
        question = session.get(QUESTION_KEY)
        answers = ANSWERS.get(question, ()) if isinstance(question, str) else ()
        if not any(is_intent_name(name)(handler_input) for name in answers):
            session.pop(QUESTION_KEY, None)


def asked(handler_input: HandlerInput, question: str) -> bool:
    if handler_input.request_envelope.session is None:
        return False
    return bool(handler_input.attributes_manager.session_attributes.get(QUESTION_KEY) == question)


def set_question(turn: Turn, question: str | None) -> None:
    if not turn.in_session:
        return
    if question is None:
        turn.session.pop(QUESTION_KEY, None)
    else:
        turn.session[QUESTION_KEY] = question


def current_question(turn: Turn) -> str | None:
    question = turn.session.get(QUESTION_KEY) if turn.in_session else None
    return question if isinstance(question, str) else None
