"""Browsing the catalog: "what routines are there", "what can I do for my shoulder"."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.common import resolved_slot
from skill.handlers.respond import ask
from skill.speech.ssml import Speech
from skill.turn.context import Turn


class ListRoutinesHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ListRoutinesIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        names = [r.name for r in turn.catalog.routines.values()]
        text = say("catalog.routines", count=len(names), routines=turn.messages.join(names))
        speech = Speech().say(text)
        return ask(turn, speech, say("catalog.routines_reprompt"))


class ListExercisesHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ListExercisesIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        area, heard = resolved_slot(handler_input, "area")
        routines = turn.catalog.routines_for_area(area) if area else []
        exercises = turn.catalog.exercises_for_area(area) if area else []
        if not routines and not exercises:
            areas = turn.messages.join(turn.catalog.main_area_names, "or")
            speech = Speech().say(say("catalog.area_unknown", areas=areas))
            return ask(turn, speech, say("catalog.unknown_reprompt"))
        exercise_names = turn.messages.join([e.name for e in exercises])
        area_said = turn.catalog.area_name(area or "", heard)
        if routines:
            text = say(
                "catalog.for_area",
                area=area_said,
                routines=turn.messages.join([r.name for r in routines], "or"),
                exercises=exercise_names,
            )
        else:
            text = say("catalog.for_area_exercises", area=area_said, exercises=exercise_names)
        return ask(turn, Speech().say(text), say("catalog.unknown_reprompt"))
