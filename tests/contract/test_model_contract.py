"""Contracts between the interaction model, the handlers, the prompts and the catalog."""

from __future__ import annotations

import ast
import json
import re
import string
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.builder import request_handlers
from skill.chat.envelopes import Conversation
from skill.progress.pain import PainAdvice
from skill.routines.catalog import available_locales as catalog_locales
from skill.routines.catalog import load_catalog
from skill.speech.messages import available_locales, load_messages, messages_for
from skill.turn.work import Outcome

ROOT = Path(__file__).parents[2]
MODELS = sorted((ROOT / "interaction_models").glob("*.json"))
REQUIRED_BUILTINS = {
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
}  # fmt: skip


def language_model(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]


def handled_intents() -> set[str]:
    """Intent names the handler modules match: is_intent_name("X") or intent_name = "X"."""
    names = set()
    for path in (ROOT / "skill" / "handlers").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Assign)
                and [getattr(t, "id", None) for t in node.targets] == ["intent_name"]
                and isinstance(node.value, ast.Constant)
            ):
                names.add(node.value.value)
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "is_intent_name"
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


def test_there_is_an_en_us_model_with_the_invocation_name() -> None:
    """Prevents: shipping without the locale and invocation name other tools rely on."""
    assert ROOT / "interaction_models" / "en-US.json" in MODELS
    for path in MODELS:
        assert language_model(path)["invocationName"] == "movement snacks"


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_every_model_intent_has_a_handler_and_every_handler_an_intent(path: Path) -> None:
    """Prevents: an intent users can trigger that falls into the catch-all, or dead handlers."""
    model_intents = {i["name"] for i in language_model(path)["intents"]}
    handled = handled_intents()
    assert model_intents - handled - {"AMAZON.FallbackIntent"} == set()
    assert handled - model_intents == set()
    assert model_intents >= REQUIRED_BUILTINS


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_custom_intents_have_enough_distinct_samples(path: Path) -> None:
    """Prevents: thin models that Alexa resolves poorly, and a phrase claimed by two intents."""
    intents = language_model(path)["intents"]
    owners = Counter(s.lower() for i in intents for s in i.get("samples", []))
    assert [s for s, n in owners.items() if n > 1] == []
    for intent in intents:
        if not intent["name"].startswith("AMAZON."):
            assert len(intent["samples"]) >= 12, intent["name"]


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_slot_types_cover_the_catalog(path: Path) -> None:
    """Prevents: an exercise, routine or body area the skill knows but users cannot name."""
    catalog = load_catalog(path.stem if path.stem in catalog_locales() else "en-US")
    types = {t["name"]: t["values"] for t in language_model(path)["types"]}

    def names(type_name: str) -> dict[str, set[str]]:
        return {
            v["id"]: {v["name"]["value"], *v["name"].get("synonyms", [])} for v in types[type_name]
        }

    exercises = names("EXERCISE_NAME")
    assert set(exercises) == set(catalog.exercises)
    for exercise in catalog.exercises.values():
        assert {exercise.name, *exercise.synonyms} <= exercises[exercise.id]
    routines = names("ROUTINE_NAME")
    assert set(routines) == set(catalog.routines)
    for routine in catalog.routines.values():
        assert {routine.name, *routine.synonyms} <= routines[routine.id]
    assert set(names("BODY_AREA")) == catalog.areas
    for intent in language_model(path)["intents"]:
        for slot in intent.get("slots", []):
            assert slot["type"] in types or slot["type"].startswith("AMAZON.")


def message_keys_used() -> set[str]:
    keys = set()
    for path in (ROOT / "skill").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "say"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and "." in node.args[0].value
            ):
                keys.add(node.args[0].value)
    return keys


def test_every_message_key_the_code_names_exists_in_every_locale() -> None:
    """Prevents: a handler naming a sentence the locale file lacks (a crash at run time)."""
    used = message_keys_used()
    assert used, "the scan found no message keys"
    for locale in available_locales():
        assert used - set(load_messages(locale).table) == set(), locale


def message_calls() -> Iterator[tuple[str, ast.expr]]:
    """(method, first argument) of every ``say``/``count`` call in the skill."""
    for path in (ROOT / "skill").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                if name in ("say", "count"):
                    yield name, node.args[0]


def key_like_constants() -> set[str]:
    """String constants in the skill shaped like a message key of a locale table: the
    keys a handler picks in a conditional (``key = "a.b" if x else "a.c"``) too."""
    tables = {key.split(".")[0] for key in messages_for("en-US").table}
    # A dotted name ending in a letter: "progress.pain_" (an f-string's part) is not one.
    shape = re.compile(r"[a-z_]+(\.[a-z_]*[a-z])+")
    found = set()
    for path in (ROOT / "skill").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value
                if shape.fullmatch(value) and value.split(".")[0] in tables:
                    found.add(value)
    return found


def plural_keys(base: str, locale: str) -> set[str]:
    """The keys ``count(base, n)`` may name in ``locale``: one per plural category."""
    messages = load_messages(locale)
    return {f"{base}_{messages.plural_form(n)}" for n in range(0, 102)}


def keys_chosen_at_run_time() -> set[str]:
    """Keys made from values: each outcome's word, each pain advice, list conjunctions."""
    keys = {o.message_key for o in Outcome if o.message_key is not None}
    keys |= {f"progress.pain_{advice.value}" for advice in PainAdvice}
    return keys | {"list.separator", "list.and", "list.or"}


@pytest.mark.parametrize("locale", available_locales())
def test_every_key_chosen_at_run_time_exists(locale: str) -> None:
    """Prevents: a key built from a value (an f-string, an outcome, a plural) that only
    fails when that value first occurs, in front of a user."""
    table = set(load_messages(locale).table)
    assert keys_chosen_at_run_time() - table == set()
    counted = {
        arg.value
        for name, arg in message_calls()
        if name == "count" and isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }
    assert counted, "the scan found no count() keys"
    for base in counted:
        assert plural_keys(base, locale) <= table, base
    for key in key_like_constants():
        assert key in table or plural_keys(key, locale) <= table, key


def test_every_f_string_key_names_keys_that_exist() -> None:
    """Prevents: ``say(f"progress.pain_{x}")`` whose prefix no longer names any sentence."""
    table = set(messages_for("en-US").table)
    patterns = []
    for name, arg in message_calls():
        if isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
            parts = [
                re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_]+" for v in arg.values
            ]
            patterns.append("".join(parts) + ("_[a-z]+" if name == "count" else ""))
    assert patterns, "the scan found no f-string keys"
    for pattern in patterns:
        assert any(re.fullmatch(pattern, key) for key in table), pattern


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_locales_have_the_same_keys_and_placeholders() -> None:
    """Prevents: a translation missing a sentence, or a placeholder the code does not fill."""
    reference = messages_for("en-US")
    for locale in available_locales():
        messages = load_messages(locale)
        assert set(messages.table) == set(reference.table), locale
        for key in reference.table:
            assert placeholders(messages.table[key]) == placeholders(reference.table[key]), (
                locale,
                key,
            )


def test_dispatch_order_ends_with_the_catch_alls() -> None:
    """Prevents: a catch-all registered early swallowing real intents."""
    names = [type(h).__name__ for h in request_handlers()]
    assert names[-2:] == ["FallbackHandler", "OtherRequestHandler"]


@pytest.mark.parametrize("intent", sorted(handled_intents()))
def test_every_handled_intent_answers_through_the_skill(intent: str, talk: object) -> None:
    """Prevents: an intent whose handler crashes into the apology on a fresh session."""
    from tests.conftest import Talk

    assert isinstance(talk, Talk)
    talk.conversation = Conversation()
    text = talk.intent(intent, new_session=True)
    assert "went wrong" not in text
