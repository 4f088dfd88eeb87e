"""The request log names every intent of the interaction models, and nothing else.

The Lambda bundle ships no interaction model, so skill/observability.py keeps the custom
intent names itself; these tests tie that set to interaction_models/*.json.
"""

from __future__ import annotations

import json
from pathlib import Path

from skill.observability import BUILT_IN_INTENT, CUSTOM_INTENTS, OTHER, RequestLine

MODELS = Path(__file__).parents[2] / "interaction_models"


def model_intents() -> set[str]:
    names: set[str] = set()
    for path in sorted(MODELS.glob("*.json")):
        model = json.loads(path.read_text(encoding="utf-8"))
        names |= {i["name"] for i in model["interactionModel"]["languageModel"]["intents"]}
    return names


def logged_intent(name: object) -> str | None:
    line = RequestLine("test")
    line.describe({"request": {"type": "IntentRequest", "intent": {"name": name}}})
    return line.intent


def test_every_intent_of_the_models_is_logged_by_its_name() -> None:
    """Prevents a new intent (or locale) whose requests all log as "other"."""
    names = model_intents()
    assert {n for n in names if not n.startswith("AMAZON.")} == CUSTOM_INTENTS
    assert all(logged_intent(name) == name for name in names)
    assert all(BUILT_IN_INTENT.fullmatch(n) for n in names if n.startswith("AMAZON."))


def test_names_outside_the_models_are_logged_as_other() -> None:
    """Prevents a forged intent name carrying an id or a number into the log."""
    for name in (
        "amzn1.ask.account.AEXAMPLE",
        "AMAZON.5",
        "AMAZON.Pain.7",
        "StartRoutineIntent ",
        "AMAZON." + "A" * 61,
        7,
        None,
    ):
        assert logged_intent(name) == OTHER, name
