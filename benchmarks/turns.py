"""The turn mix the benchmarks time: start back care, then next three times, repeated."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from skill.chat.envelopes import Conversation, SlotValue, to_json

BACK_CARE = {"routine": SlotValue("back care", "back_care", "back care", "ROUTINE_NAME")}


def run_turns(invoke: Callable[[dict[str, Any]], dict[str, Any]], turns: int) -> list[float]:
    """Milliseconds of each of ``turns`` requests sent through ``invoke`` as real envelopes."""
    conversation = Conversation()
    timings = []
    for turn in range(turns):
        if turn % 4 == 0:
            envelope = conversation.intent("StartRoutineIntent", BACK_CARE, new_session=True)
        else:
            envelope = conversation.intent("AMAZON.NextIntent")
        event = to_json(envelope)
        began = time.perf_counter()
        response = invoke(event)
        timings.append((time.perf_counter() - began) * 1000)
        conversation.update(response)
    return timings
