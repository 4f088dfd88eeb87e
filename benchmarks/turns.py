"""The turn mix the benchmarks time: start back care, then next three times, repeated.

Every request is a real envelope: a new request id each turn, a new session id every
fourth, and each turn carries the session attributes of the answer before it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from skill.chat.envelopes import Conversation, SlotValue, to_json

BACK_CARE = {"routine": SlotValue("back care", "back_care", "back care", "ROUTINE_NAME")}

Invoke = Callable[[dict[str, Any]], dict[str, Any]]


class TurnMix:
    """One user's conversation in the mix, one request at a time."""

    def __init__(self, conversation: Conversation | None = None) -> None:
        self.conversation = conversation or Conversation()
        self.turn = 0

    def next_event(self) -> dict[str, Any]:
        if self.turn % 4 == 0:
            envelope = self.conversation.intent("StartRoutineIntent", BACK_CARE, new_session=True)
        else:
            envelope = self.conversation.intent("AMAZON.NextIntent")
        self.turn += 1
        return to_json(envelope)

    def timed(self, invoke: Invoke) -> float:
        """Milliseconds ``invoke`` takes to answer the next request; the answer is carried."""
        event = self.next_event()
        began = time.perf_counter()
        response = invoke(event)
        elapsed = (time.perf_counter() - began) * 1000
        self.conversation.update(response)
        return elapsed


def run_turns(invoke: Callable[[dict[str, Any]], dict[str, Any]], turns: int) -> list[float]:
    """Milliseconds of each of ``turns`` requests sent through ``invoke`` as real envelopes."""
    mix = TurnMix()
    return [mix.timed(invoke) for _ in range(turns)]


def run_alternated(invokes: Sequence[Invoke], turns: int) -> list[list[float]]:
    """:func:`run_turns` for several skills at once, one user each, turn by turn; the
    order flips every turn, so machine load and warm caches fall on each alike."""
    mixes = [TurnMix() for _ in invokes]
    timings: list[list[float]] = [[] for _ in invokes]
    for turn in range(turns):
        order = range(len(invokes)) if turn % 2 == 0 else reversed(range(len(invokes)))
        for index in order:
            timings[index].append(mixes[index].timed(invokes[index]))
    return timings
