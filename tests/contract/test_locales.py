"""Every locale is the whole skill: the same intents, slots, sentences, catalog and voice.

Each test reads the data files themselves (not the runtime's fallback to en-US) and
fails with the complete list of what a locale lacks, key by key, so that finishing a
translation after en-US grew is one pass through that list.
"""

from __future__ import annotations

import json
import string
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from audio.voices import VOICES
from skill.locales import FALLBACK_LOCALE, SUPPORTED_LOCALES, supported_locale
from skill.routines.catalog import CATALOG_DIR, load_catalog
from skill.speech.messages import LOCALE_DIR, messages_for
from skill.turn.context import catalog_for
from tests.contract.golden import GOLDEN, golden_rows

ROOT = Path(__file__).parents[2]
MODELS = ROOT / "interaction_models"
MANIFEST = ROOT / "infrastructure" / "skill-package" / "skill.json"
# DESIGN.md section 4: the locales the skill is published in.
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN", "es-US", "de-DE")
OTHERS = [locale for locale in LOCALES if locale != FALLBACK_LOCALE]
# Catalog texts that are the same words in every language.
UNIVERSAL_TEXTS = {"{number}."}
MIN_GOLDEN_ROWS = 40
# How each locale tells the time; the others say 12 hours with am and pm.
CLOCK_HOURS = {"de-DE": 24}


def check(problems: dict[str, list[str]]) -> None:
    """Fails with one block per locale: everything it lacks or gets wrong, in full."""
    text = "\n".join(
        f"{locale}:\n  " + "\n  ".join(items) for locale, items in problems.items() if items
    )
    assert not text, f"\n{text}"


def toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def sentences(locale: str) -> dict[str, Any]:
    """The locale file's sentences by key; ``[language]`` holds its rules, not words."""
    raw = toml(LOCALE_DIR / f"{locale}.toml")
    raw.pop("language", None)
    return flatten(raw)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def language_model(locale: str) -> dict[str, Any]:
    raw = json.loads((MODELS / f"{locale}.json").read_text(encoding="utf-8"))
    model: dict[str, Any] = raw["interactionModel"]["languageModel"]
    return model


def test_every_locale_has_every_part_and_one_list_names_them() -> None:
    """Prevents a locale that exists for one part of the skill only: a model Alexa
    routes to a skill that answers in English, a voice for a catalog nobody can reach,
    or messages and catalog disagreeing on which locales fall back to en-US."""
    published = json.loads(MANIFEST.read_text(encoding="utf-8"))["manifest"]
    parts = {
        "interaction model": {p.stem for p in MODELS.glob("*.json")},
        "sentences": {p.stem for p in LOCALE_DIR.glob("*.toml")},
        "catalog": {p.stem for p in CATALOG_DIR.glob("*.toml")},
        "golden table": {p.stem for p in GOLDEN.glob("*.tsv")},
        "voice": set(VOICES),
        "manifest entry": set(published["publishingInformation"]["locales"]),
    }
    missing = {
        locale: [f"no {part}" for part, have in parts.items() if locale not in have]
        for locale in LOCALES
    }
    extra = {name: sorted(have - set(LOCALES)) for name, have in parts.items()}
    check(missing)
    assert {name: found for name, found in extra.items() if found} == {}
    assert set(LOCALES) == SUPPORTED_LOCALES


@pytest.mark.parametrize("locale", ["fr-FR", "es-ES", "", "../en-US", None, 7])
def test_an_unsupported_locale_falls_back_to_en_us_everywhere(locale: object) -> None:
    """Prevents half a fallback: English sentences around another locale's catalog."""
    assert supported_locale(locale) == FALLBACK_LOCALE
    assert messages_for(locale).locale == FALLBACK_LOCALE
    assert catalog_for(locale).locale == FALLBACK_LOCALE


@pytest.mark.parametrize("locale", LOCALES)
def test_a_supported_locale_gets_its_own_sentences_and_catalog(locale: str) -> None:
    """Prevents a translated file that the request locale never reaches."""
    assert messages_for(locale).locale == locale
    assert catalog_for(locale).locale == locale


def test_every_locale_has_every_message_key_with_the_same_placeholders() -> None:
    """Prevents a sentence missing in one language (a crash in front of that user) or
    a placeholder the code never fills. Lists every missing key per locale."""
    reference = sentences(FALLBACK_LOCALE)
    problems: dict[str, list[str]] = {}
    for locale in OTHERS:
        table = sentences(locale)
        items = [f"missing {key}" for key in reference if key not in table]
        items += [f"not in en-US: {key}" for key in table if key not in reference]
        items += [
            f"{key} placeholders {sorted(placeholders(table[key]))}, "
            f"en-US has {sorted(placeholders(text))}"
            for key, text in reference.items()
            if isinstance(text, str)
            and key in table
            and placeholders(table[key]) != placeholders(text)
        ]
        problems[locale] = items
    check(problems)


def test_every_locale_counts_and_lists_in_its_own_words() -> None:
    """Prevents "3 Wiederholung", "a, b and c" or "5 pm" in German: each locale states
    its plural rule, its own list words and its clock."""
    words = {"es": ("{head} y {last}", "{head} o {last}"),
             "de": ("{head} und {last}", "{head} oder {last}")}  # fmt: skip
    for locale in LOCALES:
        raw = toml(LOCALE_DIR / f"{locale}.toml")
        assert raw["language"]["plural_one"] == [1], locale
        assert raw["language"].get("clock_hours", 12) == CLOCK_HOURS.get(locale, 12), locale
        expected = words.get(locale.split("-")[0], ("{head} and {last}", "{head} or {last}"))
        assert (raw["list"]["and"], raw["list"]["or"]) == expected, locale


def intent_signature(model: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])} for i in model["intents"]}


def test_every_locale_has_every_intent_slot_and_slot_value() -> None:
    """Prevents an intent or a slot value (an exercise, an area) that one language
    cannot say. Lists every missing intent, slot and value id per locale."""
    reference = language_model(FALLBACK_LOCALE)
    intents = intent_signature(reference)
    values = {t["name"]: [v["id"] for v in t["values"]] for t in reference["types"]}
    problems: dict[str, list[str]] = {}
    for locale in OTHERS:
        model = language_model(locale)
        found = intent_signature(model)
        items = [f"missing intent {name}" for name in intents if name not in found]
        items += [f"not in en-US: intent {name}" for name in found if name not in intents]
        items += [
            f"{name} slots {found[name]}, en-US has {slots}"
            for name, slots in intents.items()
            if name in found and found[name] != slots
        ]
        types = {t["name"]: {v["id"] for v in t["values"]} for t in model["types"]}
        for type_name, ids in values.items():
            items += [
                f"missing {type_name} value {i}" for i in ids if i not in types.get(type_name, ())
            ]
        assert model["invocationName"] == reference["invocationName"]
        problems[locale] = items
    check(problems)


def catalog_shape(raw: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Everything but the words: ids, areas, reps, timings, steps, each phase's kind."""
    for kind in ("exercises", "routines"):
        for key, entry in raw.get(kind, {}).items():
            for field, value in entry.items():
                place = f"{kind}.{key}.{field}"
                if field in ("areas", "reps", "max_reps", "steps"):
                    yield place, value
                elif field in ("sides", "setup"):
                    yield place, len(value)
                elif field == "phases":
                    for index, phase in enumerate(value):
                        kinds = sorted(k for k, v in phase.items() if not isinstance(v, str))
                        texts = sorted(k for k, v in phase.items() if isinstance(v, str))
                        yield f"{place}[{index}]", (kinds, texts, phase["seconds"])
    cues = raw.get("cues", {})
    yield "cues", sorted(cues)
    yield "cues.numbers", len(cues.get("numbers", []))
    yield "cues.encouragements", len(cues.get("encouragements", []))


def catalog_texts(raw: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every spoken text with its place: what a translation must replace."""
    for key, value in flatten(raw).items():
        if key.endswith((".areas", ".steps", ".reps", ".max_reps")) or key == "area_names":
            continue
        if isinstance(value, str):
            yield key, value
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield f"{key}[{index}]", item
                elif isinstance(item, dict):
                    for field, text in item.items():
                        if isinstance(text, str):
                            yield f"{key}[{index}].{field}", text


def test_every_catalog_has_the_same_exercises_timings_and_cues_as_en_us() -> None:
    """Prevents a locale whose sets differ from en-US's (other reps, other holds,
    a phase without its cue) or that lags behind a catalog change: lists every
    place that differs, and every text a language other than English left in English."""
    reference_raw = toml(CATALOG_DIR / f"{FALLBACK_LOCALE}.toml")
    reference = dict(catalog_shape(reference_raw))
    english = dict(catalog_texts(reference_raw))
    problems: dict[str, list[str]] = {}
    for locale in OTHERS:
        raw = toml(CATALOG_DIR / f"{locale}.toml")
        shape = dict(catalog_shape(raw))
        items = [f"missing {place}" for place in reference if place not in shape]
        items += [f"not in en-US: {place}" for place in shape if place not in reference]
        items += [
            f"{place} is {shape[place]!r}, en-US has {value!r}"
            for place, value in reference.items()
            if place in shape and shape[place] != value
        ]
        if not locale.startswith("en-"):
            items += [
                f"{place} still in English: {text!r}"
                for place, text in catalog_texts(raw)
                if english.get(place) == text and text not in UNIVERSAL_TEXTS
            ]
            areas = load_catalog(locale).areas
            spoken = set(raw.get("area_names", {}))
            items += [f"missing area_names.{area}" for area in sorted(areas - spoken)]
        problems[locale] = items
    check(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_a_golden_table_covering_every_custom_intent(locale: str) -> None:
    """Prevents a language whose everyday phrases no test resolves."""
    rows = golden_rows(locale)
    assert len(rows) >= MIN_GOLDEN_ROWS
    custom = {i["name"] for i in language_model(locale)["intents"] if "." not in i["name"]}
    assert custom - {row.intent for row in rows} == set()
