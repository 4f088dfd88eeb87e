"""Whatever an event holds, ``skill.lambda_function.handler`` answers and never raises.

Envelopes of every request type are built from ask-sdk-model classes and mutated (fields
dropped, added and retyped; odd locales, timestamps, intents and slots). Prevents: an event
the SDK cannot deserialise, or a shape a handler never expected, escaping the entry point
as an exception (Alexa then tells the user the skill failed) or reaching the catch-all.
"""

from __future__ import annotations

import pytest

# A dev dependency still to be added to pyproject (hypothesis): until then, skipped visibly.
pytest.importorskip("hypothesis")

import copy
from typing import Any

from hypothesis import given, settings

from skill import gate, lambda_function
from tests.property.alexa_requests import with_track
from tests.property.checks import check_answer, unhandled_errors
from tests.property.envelopes import BOUNDED, envelopes, mutated
from tests.web.support import RecordingStore


def _answer(event: Any) -> dict[str, Any]:
    """The handler's answer, which must come without an "unhandled" ERROR line."""
    with unhandled_errors() as errors:
        answer = lambda_function.handler(copy.deepcopy(event), None)
    assert errors == []
    return answer


@BOUNDED
@given(event=mutated())
def test_every_mutated_event_gets_a_valid_answer_and_a_refusal_writes_nothing(
    lambda_store: RecordingStore, track_token: str, event: Any
) -> None:
    event = with_track(event, track_token)
    saves = len(lambda_store.saves)
    answer = _answer(event)
    check_answer(event, answer)
    if gate.refusal(event) is not None:
        assert answer == lambda_function.empty_response()
        assert len(lambda_store.saves) == saves


@settings(BOUNDED, max_examples=120)
@given(event=envelopes())
def test_every_valid_event_is_let_in_and_answered(
    lambda_store: RecordingStore, track_token: str, event: Any
) -> None:
    """Prevents a gate so strict that real Alexa requests are refused."""
    event = with_track(event, track_token)
    assert gate.refusal(event) is None
    check_answer(event, _answer(event))


def test_an_event_that_is_not_even_an_object_gets_an_empty_answer() -> None:
    events: tuple[Any, ...] = (None, [], "LaunchRequest", 7)
    for event in events:
        assert _answer(event) == lambda_function.empty_response()
