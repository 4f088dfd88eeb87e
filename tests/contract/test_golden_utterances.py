"""Golden table: what people say -> the intent and slots Alexa must resolve.

Prevents: a sample edited or moved to another intent silently changing what a
common phrase does (e.g. "slow down" no longer changing the tempo).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.chat.resolver import Resolver

GOLDEN = Path(__file__).parents[1] / "golden" / "en-US.tsv"


def _rows() -> list[tuple[str, str, dict[str, str]]]:
    rows = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        utterance, intent, slots = [*line.split("\t"), "", ""][:3]
        expected = dict(pair.split("=", 1) for pair in slots.split(",") if pair)
        rows.append((utterance, intent, expected))
    return rows


@pytest.mark.parametrize(("utterance", "intent", "slots"), _rows())
def test_utterance_resolves_to_its_intent_and_slots(
    utterance: str, intent: str, slots: dict[str, str]
) -> None:
    resolution = Resolver.for_locale("en-US").resolve(utterance)
    if intent == "LAUNCH":
        assert resolution.kind == "launch"
        return
    assert resolution.intent == intent
    got = {
        name: value.resolved_id or value.value for name, value in (resolution.slots or {}).items()
    }
    assert got == slots
