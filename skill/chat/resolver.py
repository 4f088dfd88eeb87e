"""Resolve typed utterances against the interaction model, as Alexa's NLU would.

Samples become patterns whose slots match the slot type's values and synonyms
(custom types, with entity resolution to the value's id) or numbers
(AMAZON.NUMBER). Built-in intents, the ways of opening the skill and the number
words beyond the catalog's counting words come from ``phrases/<language>.toml``.
Each locale resolves against its own model, ``interaction_models/<locale>.json``.
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
from skill.locales import FALLBACK_LOCALE, supported_locale
from skill.routines.catalog import load_catalog

MODELS_DIR = Path(__file__).resolve().parents[2] / "interaction_models"
PHRASES_DIR = Path(__file__).with_name("phrases")
FALLBACK = "AMAZON.FallbackIntent"


def normalize(text: str) -> str:
    """Lower case, letters of any language (ä, ñ, é), digits and apostrophes only."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^\w' ]+|_", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(normalize(w)) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Phrasing:
    """How one language opens the skill, asks it in one go, and names numbers."""

    builtin: dict[str, list[str]]
    numbers: dict[str, str]
    # Words for one digit, as a code is read out ("four eight two ...", "oh").
    digits: dict[str, str]
    banner: str
    open: re.Pattern[str]
    one_shot: re.Pattern[str]
    exit: frozenset[str]

    @classmethod
    def load(cls, locale: str, invocation: str) -> Phrasing:
        path = PHRASES_DIR / f"{locale.split('-')[0]}.toml"
        if not path.exists():
            path = PHRASES_DIR / f"{FALLBACK_LOCALE.split('-')[0]}.toml"
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
        said = raw["invocation"]
        wake, name = re.escape(said["wake"]), re.escape(invocation)
        # Alexa turns spoken numbers into digits for AMAZON.NUMBER; the catalog has the words.
        words = load_catalog(supported_locale(locale)).cues.numbers
        numbers = {normalize(word): str(n) for n, word in enumerate(words)}
        digits = {word: n for word, n in numbers.items() if len(n) == 1}
        digits.update({normalize(word): str(n) for word, n in raw.get("digits", {}).items()})
        numbers.update({normalize(word): str(n) for word, n in raw.get("numbers", {}).items()})
        return cls(
            builtin=raw["builtin"],
            numbers=numbers,
            digits=digits,
            banner=raw["chat"]["banner"],
            open=re.compile(rf"^(?:{wake}\s+)?(?:{_alternatives(said['open'])})\s+{name}$"),
            one_shot=re.compile(
                rf"^(?:{wake}\s+)?(?:{_alternatives(said['ask'])})\s+{name}\s+"
                rf"(?:(?:{_alternatives(said['joiners'])})\s+)?(?P<rest>.+)$"
            ),
            exit=frozenset(
                {normalize(w) for w in said["exit"]}
                | {f"{normalize(said['wake'])} {normalize(w)}" for w in said["exit"]}
            ),
        )


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
    def __init__(self, model: dict[str, Any], locale: str = FALLBACK_LOCALE) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalize(language["invocationName"])
        self.types = {t["name"]: t["values"] for t in language.get("types", [])}
        self.intents = language["intents"]
        self.phrasing = Phrasing.load(locale, self.invocation)
        # Built-in slot types the samples use, as the words that fill them.
        self.builtin_regex = {
            "AMAZON.TIME": builtin_slots.time_regex(self.phrasing.numbers),
            "AMAZON.DURATION": builtin_slots.duration_regex(self.phrasing.numbers),
            "AMAZON.DATE": builtin_slots.DATE_REGEX,
        }

    @classmethod
    def for_locale(cls, locale: str = FALLBACK_LOCALE) -> Resolver:
        """The resolver of ``locale``'s model; a locale without one reads en-US's."""
        path = MODELS_DIR / f"{locale}.json"
        if locale not in available_models():
            locale, path = FALLBACK_LOCALE, MODELS_DIR / f"{FALLBACK_LOCALE}.json"
        return cls(json.loads(path.read_text(encoding="utf-8")), locale)

    def _slot_regex(self, slot_type: str) -> str:
        if slot_type == "AMAZON.NUMBER":
            words = sorted(self.phrasing.numbers, key=len, reverse=True)
            digit = r"(?:\d|" + _alternatives(list(self.phrasing.digits)) + ")"
            return rf"{digit}(?: {digit})+|\d+|" + "|".join(map(re.escape, words))
        if slot_type in self.builtin_regex:
            return self.builtin_regex[slot_type]
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
            samples = intent.get("samples") or self.phrasing.builtin.get(intent["name"], [])
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
        numbers = self.phrasing.numbers
        if slot_type == "AMAZON.NUMBER":
            if " " in heard and heard not in numbers:
                # A code said digit by digit ("4 8 2 9 1 3"): AMAZON.NUMBER joins them.
                digits = self.phrasing.digits
                return SlotValue(
                    "".join(digits.get(w, w) for w in heard.split()), slot_type=slot_type
                )
            return SlotValue(numbers.get(heard, heard), slot_type=slot_type)
        if slot_type == "AMAZON.TIME":
            return SlotValue(builtin_slots.time_value(heard, numbers), slot_type=slot_type)
        if slot_type == "AMAZON.DURATION":
            return SlotValue(builtin_slots.duration_value(heard, numbers), slot_type=slot_type)
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
        if text in self.phrasing.exit:
            return Resolution("end")
        if self.phrasing.open.match(text):
            return Resolution("launch")
        one_shot = self.phrasing.one_shot.match(text)
        if one_shot:
            resolved = self.match_intent(one_shot.group("rest"))
            return Resolution("intent", resolved.intent, resolved.slots, one_shot=True)
        return self.match_intent(text)


def normalize_sample(sample: str) -> str:
    """Normalize a sample's words but keep its {slot} references intact."""
    return " ".join(p if p.startswith("{") else normalize(p) for p in sample.split())


def available_models() -> frozenset[str]:
    """The locales with an interaction model (the names a chat locale may take)."""
    return frozenset(path.stem for path in MODELS_DIR.glob("*.json"))
