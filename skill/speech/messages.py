"""Spoken sentences per locale, loaded from ``locales/<locale>.toml`` by message key."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locales")
FALLBACK_LOCALE = "en-US"


class MessageError(KeyError):
    """A handler asked for a message key, or a placeholder, the locale file lacks."""


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, str):
            flat[name] = value
        else:
            raise MessageError(f"{name}: a message must be a string")
    return flat


class Messages:
    """The sentences of one locale; ``say("launch.offer")`` returns plain text."""

    def __init__(self, locale: str, table: Mapping[str, str]) -> None:
        self.locale = locale
        self.table = dict(table)

    def say(self, key: str, **params: object) -> str:
        try:
            template = self.table[key]
        except KeyError as exc:
            raise MessageError(f"{self.locale}: no message {key!r}") from exc
        try:
            return template.format(**params)
        except KeyError as exc:
            raise MessageError(f"{self.locale}: {key!r} needs {exc}") from exc

    def placeholders(self, key: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.table[key]) if name}


def available_locales() -> list[str]:
    return sorted(p.stem for p in LOCALE_DIR.glob("*.toml"))


@cache
def messages_for(locale: str) -> Messages:
    """Messages of ``locale``; an unsupported locale falls back to en-US."""
    path = LOCALE_DIR / f"{locale}.toml"
    if not path.exists():
        locale, path = FALLBACK_LOCALE, LOCALE_DIR / f"{FALLBACK_LOCALE}.toml"
    with path.open("rb") as handle:
        return Messages(locale, _flatten(tomllib.load(handle)))


def spoken_list(items: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c': lists read naturally aloud."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
