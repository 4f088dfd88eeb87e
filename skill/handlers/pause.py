"""Pause and resume: the exact exercise is kept in the session and in the store."""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.common import deliver_set
from skill.handlers.respond import ask
from skill.handlers.routine import RoutineCommandHandler
from skill.handlers.stream import resume_stream
from skill.routines.plan import Plan
from skill.speech.ssml import Speech
from skill.turn.context import Turn


class PauseHandler(RoutineCommandHandler):
    intent_name = "AMAZON.PauseIntent"

    def handle_plan(self, turn: Turn, plan: Plan) -> Response:
        # The set being paused is not done: resume plays it again from its start.
        paused = replace(plan, delivered=False)
        turn.plan = paused
        turn.pending.bookmark = paused.to_bookmark()
        say = turn.messages.say
        exercise = turn.catalog.exercise(plan.exercise_id).name
        return ask(
            turn, Speech().say(say("pause.paused", exercise=exercise)), say("pause.paused_reprompt")
        )


class ResumeHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.ResumeIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        # Resuming a set just heard (not paused) does it again: the heard one counts.
        plan = turn.move_on()
        if plan is None:
            bookmark = turn.snapshot().bookmark
            if bookmark is not None and (streamed := resume_stream(turn, bookmark)):
                return streamed
            plan = Plan.from_bookmark(bookmark, turn.catalog) if bookmark else None
        if plan is None:
            if turn.snapshot().bookmark is not None:
                turn.pending.bookmark = None  # saved before a catalog change: it no longer fits
            say = turn.messages.say
            speech = Speech().say(say("pause.nothing_to_resume"), say("launch.offer"))
            return ask(turn, speech, say("launch.offer_reprompt"))
        turn.pending.bookmark = None
        exercise = turn.catalog.exercise(plan.exercise_id).name
        speech = Speech().say(turn.messages.say("pause.resume", exercise=exercise))
        speech.say(turn.messages.say("routine.safety_reminder"))
        return deliver_set(turn, replace(plan, delivered=False), speech)
