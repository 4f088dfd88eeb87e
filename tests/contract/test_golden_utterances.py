"""Golden table: what people say -> the intent and slots Alexa must resolve.

Prevents: a sample edited or moved to another intent silently changing what a
common phrase does (e.g. "slow down" no longer changing the tempo). The same table
is read by virtual-alexa, a resolver we did not write: tests/virtual_alexa.
"""

from __future__ import annotations

import pytest

from skill.chat.resolver import Resolver
from tests.contract.golden import LAUNCH, golden_rows


@pytest.mark.parametrize(("utterance", "intent", "slots"), golden_rows())
def test_utterance_resolves_to_its_intent_and_slots(
    utterance: str, intent: str, slots: dict[str, str]
) -> None:
    resolution = Resolver.for_locale("en-US").resolve(utterance)
    if intent == LAUNCH:
        assert resolution.kind == "launch"
        return
    assert resolution.intent == intent
    got = {
        name: value.resolved_id or value.value for name, value in (resolution.slots or {}).items()
    }
    assert got == slots
