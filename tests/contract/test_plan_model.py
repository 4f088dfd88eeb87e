"""The plan intents in the en-US model, the chat resolver and the handlers agree.

Prevents: a plan phrase that Alexa would send to another intent, a code said digit
by digit that never reaches the skill, and an intent without a handler.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from skill.builder import request_handlers
from skill.chat.resolver import Resolver, normalize_sample

MODEL = Path(__file__).resolve().parents[2] / "interaction_models" / "en-US.json"
PLAN_INTENTS = (
    "UsePlanCodeIntent",
    "StartPlanIntent",
    "WhatIsMyPlanIntent",
    "RemovePlanIntent",
    "ShareProgressIntent",
    "StopSharingIntent",
)
INTENTS = {
    i["name"]: i
    for i in json.loads(MODEL.read_text())["interactionModel"]["languageModel"]["intents"]
}


@pytest.mark.parametrize("name", PLAN_INTENTS)
def test_each_plan_intent_has_twelve_samples_that_resolve_to_it(name: str) -> None:
    samples = INTENTS[name]["samples"]
    assert len(samples) >= 12
    resolver = Resolver.for_locale("en-US")
    for sample in samples:
        said = normalize_sample(sample).replace("{code}", "4 8 2 9 1 3")
        assert resolver.resolve(said).intent == name, sample


def test_no_sample_belongs_to_two_intents() -> None:
    counts = Counter(
        normalize_sample(s).lower()
        for intent in INTENTS.values()
        for s in intent.get("samples", [])
    )
    assert [s for s, n in counts.items() if n > 1] == []


@pytest.mark.parametrize(
    "said", ["use plan code 4 8 2 9 1 3", "my plan code is four eight two nine one three"]
)
def test_a_code_said_digit_by_digit_arrives_as_six_digits(said: str) -> None:
    """AMAZON.NUMBER joins digits said one by one (as Lex documents for its own
    AMAZON.Number: "one two three" -> 123); virtual-alexa matches one token only, so
    the golden table says the code as "482913" and this checks the chat resolver."""
    resolution = Resolver.for_locale("en-US").resolve(said)
    assert resolution.slots is not None and resolution.slots["code"].value == "482913"
    assert INTENTS["UsePlanCodeIntent"]["slots"] == [{"name": "code", "type": "AMAZON.NUMBER"}]


def test_every_plan_intent_has_a_handler() -> None:
    names = {type(h).__name__ for h in request_handlers()}
    expected = {
        "UsePlanCodeHandler",
        "StartPlanHandler",
        "WhatIsMyPlanHandler",
        "RemovePlanHandler",
        "ShareProgressHandler",
        "StopSharingHandler",
    }
    assert expected <= names
