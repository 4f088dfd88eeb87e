"""Small helpers the handlers share: slot resolution and delivering a guided set."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model import Response
from ask_sdk_model.slu.entityresolution import StatusCode
from ask_sdk_model.ui import SimpleCard

from skill.handlers.questions import PAIN, set_question
from skill.handlers.respond import ask
from skill.routines.plan import Plan, next_in_session
from skill.screens.exercise import exercise_screen
from skill.speech.guide import after_set, guided_set
from skill.speech.ssml import Speech
from skill.turn.context import Turn


def resolved_slot(handler_input: HandlerInput, name: str) -> tuple[str | None, str | None]:
    """(canonical id, heard words) of a slot; id None when entity resolution found no match."""
    try:
        slot = get_slot(handler_input, name)
    except (TypeError, AttributeError):  # not an IntentRequest, or no slots
        return None, None
    if slot is None or not slot.value:
        return None, None
    for authority in getattr(slot.resolutions, "resolutions_per_authority", None) or []:
        status = getattr(authority.status, "code", None)
        if status == StatusCode.ER_SUCCESS_MATCH and authority.values:
            return authority.values[0].value.id, slot.value
    return None, slot.value


def number_slot(handler_input: HandlerInput, name: str) -> int | None:
    """A whole-number slot; "?" or words Alexa could not turn into digits give None."""
    _, value = resolved_slot(handler_input, name)
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


def deliver_set(turn: Turn, plan: Plan, speech: Speech | None = None) -> Response:
    """Speak the plan's current set, then what comes next; the set counts once moved on."""
    speech = speech if speech is not None else Speech()
    plan = next_in_session(plan, turn.session)  # its encouragement follows the last set's
    guided_set(speech, turn.catalog, turn.messages, plan, turn.services.audio)
    closing, reprompt = after_set(turn.messages, turn.catalog, plan)
    speech.pause(500).say(closing)
    turn.plan = plan.delivered_now()
    # The last set closes with "how did that feel?": a bare number now answers it.
    set_question(turn, PAIN if plan.is_last else None)
    exercise = turn.catalog.exercise(plan.exercise_id)
    card = SimpleCard(
        title=turn.messages.say("card.exercise_title", exercise=exercise.name),
        content="\n".join((*exercise.setup, exercise.safety)),
    )
    turn.handler_input.response_builder.set_card(card)
    screen = exercise_screen(turn.messages, turn.catalog, plan)
    return ask(turn, speech, reprompt, screen=screen)
