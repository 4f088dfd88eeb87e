"""The golden utterance table read by a resolver we did not write: virtual-alexa (npm).

Prevents: a model that only our own chat resolver reads as intended. For each golden
row, virtual-alexa turns the utterance into a request envelope from
interaction_models/en-US.json; its intent and slots must be the row's.

Where virtual-alexa differs from Alexa by design (DESIGN.md section 6), the
utterance or its reading is normalised as Alexa would, and nothing else:
- The wake word: the device hears "alexa", the skill never does; virtual-alexa
  takes only "ask <skill> to ..." (at the start) as a one-shot invocation.
- AMAZON.NUMBER: virtual-alexa passes the words as spoken ("five"); Alexa sends
  digits ("5"), as the table does.
- AMAZON.TIME and AMAZON.DURATION: virtual-alexa passes "3 pm" and "hour" as spoken;
  Alexa sends "15:00" and "PT1H" (ISO 8601), read as the chat reads them
  (skill/chat/builtin_slots.py, the one home of that conversion).
- Custom slot types: the entity-resolution id, as the skill reads them.
Rows it cannot resolve by design are in NOT_MATCHABLE with the reason; for those it
must match no sample at all, so they are checked too. A trap for new rows: it takes
any utterance containing "ask", "open", "launch", "tell" or "talk to" anywhere (even
"task") for an invocation, and sends a LaunchRequest unless "... to <request>" follows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.chat import builtin_slots
from tests.contract.golden import LAUNCH, golden_rows
from tests.virtual_alexa import virtual_alexa

MODEL = Path(__file__).parents[2] / "interaction_models" / "en-US.json"
WAKE_WORD = "alexa "
NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
# Intents virtual-alexa cannot resolve, by design: it matches utterances to samples exactly.
NOT_MATCHABLE = {
    "AMAZON.FallbackIntent": "has no samples: Alexa chooses it when nothing in the model"
    " matches, while virtual-alexa raises 'Unable to match utterance'",
}
# Rows whose sample has two slots side by side ("to {end} {days}"): virtual-alexa's
# matcher cannot split them and gives the whole tail to the first slot, where Alexa's
# NLU splits by slot type. For these the intent must match and the first slot must
# start with the row's spoken value; the split itself is not checked.
ADJACENT_SLOTS = {
    "remind me every 2 hours from 9 am to 5 pm every day": ("end", "5 pm"),
}
ROWS = golden_rows("en-US")


def heard(utterance: str) -> str:
    """What reaches the skill: the utterance without the wake word."""
    return utterance[len(WAKE_WORD) :] if utterance.lower().startswith(WAKE_WORD) else utterance


@pytest.fixture(scope="module")
def readings() -> dict[str, dict[str, Any]]:
    """Every golden utterance, resolved by one virtual-alexa run."""
    return virtual_alexa.resolve(MODEL, "en-US", [heard(row.utterance) for row in ROWS])


def slot_types() -> dict[tuple[str, str], str]:
    model = json.loads(MODEL.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    return {
        (intent["name"], slot["name"]): slot["type"]
        for intent in model["intents"]
        for slot in intent.get("slots", [])
    }


def as_alexa_sends(intent: str, name: str, slot: dict[str, Any], types: dict[Any, str]) -> str:
    value: str = slot["value"]
    slot_type = types[(intent, name)]
    if slot_type == "AMAZON.NUMBER":
        return NUMBER_WORDS.get(value, value)
    if slot_type == "AMAZON.TIME":
        return builtin_slots.time_value(value, NUMBER_WORDS)
    if slot_type == "AMAZON.DURATION":
        return builtin_slots.duration_value(value, NUMBER_WORDS)
    for authority in slot.get("resolutions", {}).get("resolutionsPerAuthority", []):
        if authority["status"]["code"] == "ER_SUCCESS_MATCH":
            resolved_id: str = authority["values"][0]["value"]["id"]
            return resolved_id
    return value


@pytest.mark.parametrize(
    ("utterance", "intent", "slots"), [row for row in ROWS if row.intent not in NOT_MATCHABLE]
)
def test_virtual_alexa_resolves_the_golden_intent_and_slots(
    readings: dict[str, dict[str, Any]], utterance: str, intent: str, slots: dict[str, str]
) -> None:
    reading = readings[heard(utterance)]
    assert "error" not in reading, reading.get("error")
    request = reading["request"]
    if intent == LAUNCH:
        assert request["type"] == "LaunchRequest"
        return
    assert request["type"] == "IntentRequest"
    assert request["intent"]["name"] == intent
    if utterance in ADJACENT_SLOTS:
        first, spoken = ADJACENT_SLOTS[utterance]
        assert request["intent"]["slots"][first]["value"].startswith(spoken)
        return
    types = slot_types()
    got = {
        name: as_alexa_sends(intent, name, slot, types)
        for name, slot in request["intent"].get("slots", {}).items()
        if slot.get("value") is not None
    }
    assert got == slots


@pytest.mark.parametrize(
    ("utterance", "intent"), [row[:2] for row in ROWS if row.intent in NOT_MATCHABLE]
)
def test_rows_virtual_alexa_cannot_resolve_match_no_sample(
    readings: dict[str, dict[str, Any]], utterance: str, intent: str
) -> None:
    reading = readings[heard(utterance)]
    assert "Unable to match utterance" in reading.get("error", ""), (NOT_MATCHABLE[intent], reading)
