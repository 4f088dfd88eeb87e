"""Golden table: what people say -> the intent and slots Alexa must resolve.

Prevents: a sample edited or moved to another intent silently changing what a
common phrase does (e.g. "slow down" no longer changing the tempo). The same table
is read by virtual-alexa, a resolver we did not write: tests/virtual_alexa.
"""

from __future__ import annotations

import pytest

from skill.chat.resolver import Resolver
from tests.contract.golden import LAUNCH, golden_locales, golden_rows

ROWS = [(locale, *row) for locale in golden_locales() for row in golden_rows(locale)]


@pytest.mark.parametrize(("locale", "utterance", "intent", "slots"), ROWS)
def test_utterance_resolves_to_its_intent_and_slots(
    locale: str, utterance: str, intent: str, slots: dict[str, str]
) -> None:
    resolution = Resolver.for_locale(locale).resolve(utterance)
    if intent == LAUNCH:
        assert resolution.kind == "launch"
        return
    assert resolution.intent == intent
    got = {
        name: value.resolved_id or value.value for name, value in (resolution.slots or {}).items()
    }
    assert got == slots
