"""The turn mix the benchmarks time: start back care, then next three times, repeated.

Every request is a real envelope: a new request id each turn, a new session id every
fourth, and each turn carries the session attributes of the answer before it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Sequence
from typing import Any

from skill.chat.envelopes import Conversation, SlotValue, to_json

BACK_CARE = {"routine": SlotValue("back care", "back_care", "back care", "ROUTINE_NAME")}
# Requests per dialog: a new session ("start back care"), then three "next".
DIALOG_TURNS = 4

Event = dict[str, Any]
Invoke = Callable[[Event], Event]


def dialog_event(conversation: Conversation, turn: int) -> Event:
    """The ``turn``-th request of the mix: each dialog opens a new session."""
    if turn % DIALOG_TURNS == 0:
        envelope = conversation.intent("StartRoutineIntent", BACK_CARE, new_session=True)
    else:
        envelope = conversation.intent("AMAZON.NextIntent")
    return to_json(envelope)


class TurnMix:
    """One user's conversation in the mix, one request at a time."""

    def __init__(self, conversation: Conversation | None = None) -> None:
        self.conversation = conversation or Conversation()
        self.turn = 0

    def next_event(self) -> Event:
        event = dialog_event(self.conversation, self.turn)
        self.turn += 1
        return event

    def timed(self, invoke: Invoke) -> float:
        """Milliseconds ``invoke`` takes to answer the next request; the answer is carried."""
        event = self.next_event()
        began = time.perf_counter()
        response = invoke(event)
        elapsed = (time.perf_counter() - began) * 1000
        self.conversation.update(response)
        return elapsed


def turn_mix(
    new_user: bool = False, api_endpoint: str | None = None
) -> Generator[Event, Event | None, None]:
    """Request envelopes (JSON) of the turn mix; ``send`` each answer back to carry its
    session attributes into the next request.

    ``new_user`` makes each dialog another user's, and ``api_endpoint`` replaces
    Alexa's API host (a local stand-in) in the envelopes.
    """
    conversation = Conversation()
    turn = 0
    while True:
        if new_user and turn and turn % DIALOG_TURNS == 0:
            conversation = Conversation()
        event = dialog_event(conversation, turn)
        if api_endpoint is not None:
            event["context"]["System"]["apiEndpoint"] = api_endpoint
        response = yield event
        if response is not None:
            conversation.update(response)
        turn += 1


def run_turns(invoke: Invoke, turns: int) -> list[float]:
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
