"""The interceptors that begin and finish every turn.

:class:`BeginTurn` makes the :class:`~skill.turn.context.Turn` before any handler
runs, and hands its unit of work to the request's log line (:mod:`skill.observability`).
Handlers that speak finish their turn themselves, through the responder
(:mod:`skill.handlers.respond`), so the outcome's honest word is part of what they say.
:class:`FinishTurn` is only the safety net for answers without speech (AudioPlayer
events, SessionEndedRequest, skill events), which may say nothing.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import observability
from skill.turn.context import TURN_KEY, Services, Turn


class BeginTurn(AbstractRequestInterceptor):
    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, handler_input: HandlerInput) -> None:
        turn = Turn.begin(handler_input, self.services)
        handler_input.attributes_manager.request_attributes[TURN_KEY] = turn
        # The request's log line reports where its progress went and its store calls.
        observability.track(turn.work)


class FinishTurn(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response) -> None:
        turn = Turn.find(handler_input)
        if turn is not None and not turn.work.finished:
            # Unsaved sets ride in the session, unless it ends with this answer.
            turn.work.finish(session_ends=response.should_end_session is not False)
