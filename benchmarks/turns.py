"""The turn mix the benchmarks time: start back care, then next three times, repeated."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any

from skill.chat.envelopes import Conversation, SlotValue, to_json

BACK_CARE = {"routine": SlotValue("back care", "back_care", "back care", "ROUTINE_NAME")}
# Requests per dialog: a new session ("start back care"), then three "next".
DIALOG_TURNS = 4

Event = dict[str, Any]


def turn_mix(
    new_user: bool = False, api_endpoint: str | None = None
) -> Generator[Event, Event | None, None]:
    """Request envelopes (JSON) of the turn mix; ``send`` each answer back to carry its
    session attributes into the next request.

    Every dialog opens a new session with new request ids; ``new_user`` makes each
    dialog another user's, and ``api_endpoint`` replaces Alexa's API host (a local
    stand-in) in the envelopes.
    """
    conversation = Conversation()
    turn = 0
    while True:
        if turn % DIALOG_TURNS == 0:
            if new_user and turn:
                conversation = Conversation()
            envelope = conversation.intent("StartRoutineIntent", BACK_CARE, new_session=True)
        else:
            envelope = conversation.intent("AMAZON.NextIntent")
        event = to_json(envelope)
        if api_endpoint is not None:
            event["context"]["System"]["apiEndpoint"] = api_endpoint
        response = yield event
        if response is not None:
            conversation.update(response)
        turn += 1


def run_turns(invoke: Callable[[Event], Event], turns: int) -> list[float]:
    """Milliseconds of each of ``turns`` requests sent through ``invoke`` as real envelopes."""
    source = turn_mix()
    event = next(source)
    timings = []
    for _ in range(turns):
        began = time.perf_counter()
        response = invoke(event)
        timings.append((time.perf_counter() - began) * 1000)
        event = source.send(response)
    return timings
