"""Resolve typed utterances against the interaction model, as Alexa's NLU would.

Samples become patterns whose slots match the slot type's values and synonyms
(custom types, with entity resolution to the value's id) or numbers
(AMAZON.NUMBER). Built-in intents use the phrasings in ``builtin_phrases.toml``.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from skill.chat import builtin_slots
from skill.chat.envelopes import SlotValue
from skill.routines.catalog import load_catalog

MODELS_DIR = Path(__file__).resolve().parents[2] / "interaction_models"
BUILTIN_PHRASES = Path(__file__).with_name("builtin_phrases.toml")
FALLBACK = "AMAZON.FallbackIntent"

# Alexa turns spoken numbers into digits for AMAZON.NUMBER; the catalog has the words.
NUMBERS = {word: str(n) for n, word in enumerate(load_catalog("en-US").cues.numbers)}
NUMBERS.update({"thirty": "30", "forty": "40", "fifty": "50", "a hundred": "100"})
# A code said digit by digit ("4 8 2 9 1 3", "four eight two ..."): AMAZON.NUMBER joins them.
DIGITS = {word: n for word, n in NUMBERS.items() if len(n) == 1} | {"oh": "0"}
_DIGIT = r"(?:\d|" + "|".join(sorted(DIGITS, key=len, reverse=True)) + ")"
# Built-in slot types the samples use, as the words that fill them.
BUILTIN_REGEX = {
    "AMAZON.TIME": builtin_slots.time_regex(NUMBERS),
    "AMAZON.DURATION": builtin_slots.duration_regex(NUMBERS),
    "AMAZON.DATE": builtin_slots.DATE_REGEX,
}
_INVOCATION = re.compile(
    r"^(?:alexa\s+)?(?:ask|tell|use|have)\s+{name}\s+(?:to\s+|for\s+|about\s+|if\s+)?(?P<rest>.+)$"
)
_OPEN = re.compile(r"^(?:alexa\s+)?(?:open|launch|start|begin|run|talk to)\s+{name}$")


def normalize(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Resolution:
    """What Alexa would send: a launch, an intent with slots, or the end of a session."""

    kind: str  # "launch" | "intent" | "end"
    intent: str | None = None
    slots: dict[str, SlotValue] | None = None
    one_shot: bool = False


@dataclass(frozen=True)
class _Pattern:
    intent: str
    regex: re.Pattern[str]
    slot_types: dict[str, str]
    literal_chars: int


class Resolver:
    def __init__(self, model: dict[str, Any], builtin_phrases: dict[str, list[str]]) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalize(language["invocationName"])
        self.types = {t["name"]: t["values"] for t in language.get("types", [])}
        self.intents = language["intents"]
        self.builtin_phrases = builtin_phrases

    @classmethod
    def for_locale(cls, locale: str = "en-US") -> Resolver:
        model = json.loads((MODELS_DIR / f"{locale}.json").read_text(encoding="utf-8"))
        with BUILTIN_PHRASES.open("rb") as handle:
            phrases = tomllib.load(handle)
        return cls(model, phrases)

    def _slot_regex(self, slot_type: str) -> str:
        if slot_type == "AMAZON.NUMBER":
            words = sorted(NUMBERS, key=len, reverse=True)
            return rf"{_DIGIT}(?: {_DIGIT})+|\d+|" + "|".join(map(re.escape, words))
        if slot_type in BUILTIN_REGEX:
            return BUILTIN_REGEX[slot_type]
        phrases = {
            normalize(p)
            for value in self.types.get(slot_type, [])
            for p in (value["name"]["value"], *value["name"].get("synonyms", []))
        }
        # Longest first, so "lower back" wins over "back".
        return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))

    @cached_property
    def patterns(self) -> list[_Pattern]:
        patterns = []
        for intent in self.intents:
            slot_types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            samples = intent.get("samples") or self.builtin_phrases.get(intent["name"], [])
            for sample in samples:
                parts = re.split(r"(\{\w+\})", normalize_sample(sample))
                regex = ""
                literal = 0
                for part in parts:
                    if part.startswith("{"):
                        name = part[1:-1]
                        regex += f"(?P<{name}>{self._slot_regex(slot_types[name])})"
                    else:
                        regex += re.escape(part)
                        literal += len(part.strip())
                patterns.append(_Pattern(intent["name"], re.compile(regex), slot_types, literal))
        # Prefer the most specific sample when several match.
        return sorted(patterns, key=lambda p: -p.literal_chars)

    def _slot_value(self, slot_type: str, heard: str) -> SlotValue:
        if slot_type == "AMAZON.NUMBER":
            if " " in heard:
                return SlotValue(
                    "".join(DIGITS.get(w, w) for w in heard.split()), slot_type=slot_type
                )
            return SlotValue(NUMBERS.get(heard, heard), slot_type=slot_type)
        if slot_type == "AMAZON.TIME":
            return SlotValue(builtin_slots.time_value(heard, NUMBERS), slot_type=slot_type)
        if slot_type == "AMAZON.DURATION":
            return SlotValue(builtin_slots.duration_value(heard, NUMBERS), slot_type=slot_type)
        if slot_type == "AMAZON.DATE":
            return SlotValue(builtin_slots.date_value(heard, date.today), slot_type=slot_type)
        for value in self.types.get(slot_type, []):
            names = value["name"]
            if heard in {normalize(p) for p in (names["value"], *names.get("synonyms", []))}:
                return SlotValue(heard, value["id"], names["value"], slot_type)
        return SlotValue(heard, slot_type=slot_type)

    def match_intent(self, utterance: str) -> Resolution:
        text = normalize(utterance)
        for pattern in self.patterns:
            match = pattern.regex.fullmatch(text)
            if match:
                slots = {
                    name: self._slot_value(pattern.slot_types[name], heard)
                    for name, heard in match.groupdict().items()
                    if heard is not None
                }
                return Resolution("intent", pattern.intent, slots)
        return Resolution("intent", FALLBACK, {})

    def resolve(self, utterance: str) -> Resolution:
        """Resolve one typed line, including "open ..." and "ask ... to ..." forms."""
        text = normalize(utterance)
        name = re.escape(self.invocation)
        if text in {"exit", "quit", "alexa exit", "alexa quit"}:
            return Resolution("end")
        if re.match(_OPEN.pattern.format(name=name), text):
            return Resolution("launch")
        one_shot = re.match(_INVOCATION.pattern.format(name=name), text)
        if one_shot:
            resolved = self.match_intent(one_shot.group("rest"))
            return Resolution("intent", resolved.intent, resolved.slots, one_shot=True)
        return self.match_intent(text)


def normalize_sample(sample: str) -> str:
    """Normalize a sample's words but keep its {slot} references intact."""
    return " ".join(p if p.startswith("{") else normalize(p) for p in sample.split())
