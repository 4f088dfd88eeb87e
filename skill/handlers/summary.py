"""Progress read back to the user ("how am I doing?") and the daily goal."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response
from ask_sdk_model.ui import StandardCard

from skill.handlers.common import number_slot
from skill.handlers.launch import QUICK_SNACK
from skill.handlers.questions import GOAL, set_question
from skill.handlers.respond import ask
from skill.progress.store import MAX_DAILY_GOAL, MIN_DAILY_GOAL
from skill.progress.summary import spoken_spread, spoken_summary, summarize
from skill.screens.progress import card_text, progress_screen, week_counts
from skill.speech.ssml import Speech
from skill.turn.context import OFFER_KEY, Turn


class ProgressSummaryHandler(AbstractRequestHandler):
    """ "How am I doing?", "what's my streak?", "what did I do this week?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProgressSummaryIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        # Sets still waiting in the session count too, so the summary adds up.
        snapshot = turn.work.snapshot_with_pending()
        if turn.store_failed:
            speech = Speech().say(say("progress.unreachable"))
            return ask(turn, speech, say("launch.offer_reprompt"), store_explained=True)
        summary = summarize(snapshot, turn.local_today())
        sentences = spoken_summary(
            summary,
            turn.messages,
            lambda exercise_id: turn.catalog.exercise(exercise_id).name,
            include_pain=turn.services.settings.store_pain_ratings,
        )
        speech = Speech().say(*sentences)
        # The Alexa app's card and a screen show the same week the voice summarises.
        week = week_counts(snapshot, turn.local_today())
        title = say("screen.card_title")
        card = StandardCard(title=title, text=card_text(turn.messages, sentences, week))
        turn.handler_input.response_builder.set_card(card)
        screen = progress_screen(turn.messages, summary, week)
        if turn.plan is None:
            speech.say(say("progress.offer"))
            turn.session[OFFER_KEY] = QUICK_SNACK
            reprompt = say("launch.offer_reprompt")
        else:
            reprompt = say("progress.carry_on")
            speech.say(reprompt)
        return ask(turn, speech, reprompt, store_explained=True, screen=screen)


class SpreadHandler(AbstractRequestHandler):
    """ "How spread out was I today?": the different hours of today the user moved in.

    Its own answer beside the summary's (whose card and screen show the week), with
    the same words when the store is down and the same way on.
    """

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SpreadIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        # Sets still waiting in the session count too, so the answer adds up.
        snapshot = turn.work.snapshot_with_pending()
        reprompt = say("launch.offer_reprompt") if turn.plan is None else say("progress.carry_on")
        if turn.store_failed:
            return ask(
                turn, Speech().say(say("progress.unreachable")), reprompt, store_explained=True
            )
        speech = Speech().say(spoken_spread(summarize(snapshot, turn.local_today()), turn.messages))
        if turn.plan is None:
            turn.session[OFFER_KEY] = QUICK_SNACK
            speech.say(say("progress.offer"))
        else:
            speech.say(reprompt)
        return ask(turn, speech, reprompt, store_explained=True)


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
