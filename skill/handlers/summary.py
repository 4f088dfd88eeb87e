"""Progress read back to the user ("how am I doing?") and the daily goal."""

from __future__ import annotations

from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.common import number_slot
from skill.handlers.launch import QUICK_SNACK
from skill.handlers.questions import GOAL, set_question
from skill.handlers.respond import ask
from skill.progress.store import MAX_DAILY_GOAL, MIN_DAILY_GOAL
from skill.progress.summary import Summary, spoken_spread, spoken_summary, summarize
from skill.speech.ssml import Speech
from skill.turn.context import OFFER_KEY, Turn


class ProgressSummaryHandler(AbstractRequestHandler):
    """ "How am I doing?", "what's my streak?", "what did I do this week?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProgressSummaryIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return read_back(
            turn,
            lambda summary: spoken_summary(
                summary,
                turn.messages,
                lambda exercise_id: turn.catalog.exercise(exercise_id).name,
                include_pain=turn.services.settings.store_pain_ratings,
            ),
        )


class SpreadHandler(AbstractRequestHandler):
    """ "How spread out was I today?": the different hours of today the user moved in."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SpreadIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return read_back(turn, lambda summary: [spoken_spread(summary, turn.messages)])


def read_back(turn: Turn, sentences: Callable[[Summary], list[str]]) -> Response:
    """Progress read back (``sentences`` of today's summary), then an offer of a snack,
    or, in a routine, how to carry on."""
    say = turn.messages.say
    # Sets still waiting in the session count too, so the summary adds up.
    snapshot = turn.work.snapshot_with_pending()
    if turn.store_failed:
        speech = Speech().say(say("progress.unreachable"))
        return ask(turn, speech, say("launch.offer_reprompt"), store_explained=True)
    speech = Speech().say(*sentences(summarize(snapshot, turn.local_today())))
    if turn.plan is None:
        speech.say(say("progress.offer"))
        turn.session[OFFER_KEY] = QUICK_SNACK
        return ask(turn, speech, say("launch.offer_reprompt"), store_explained=True)
    speech.say(say("progress.carry_on"))
    return ask(turn, speech, say("progress.carry_on"), store_explained=True)


class SetGoalHandler(AbstractRequestHandler):
    """ "Set my daily goal to 8"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SetGoalIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return set_goal(turn, number_slot(handler_input, "goal"))


def set_goal(turn: Turn, goal: int | None) -> Response:
    say = turn.messages.say
    if goal is None or not MIN_DAILY_GOAL <= goal <= MAX_DAILY_GOAL:
        set_question(turn, GOAL)
        text = say("progress.goal_invalid", low=MIN_DAILY_GOAL, high=MAX_DAILY_GOAL)
        return ask(turn, Speech().say(text), text)
    turn.pending.daily_goal = goal
    snacks = turn.messages.count("progress.count.snacks", goal)
    speech = Speech().say(say("progress.goal_set", goal=snacks))
    return ask(turn, speech, say("launch.offer_reprompt"))
