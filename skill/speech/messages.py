"""Spoken sentences per locale, loaded from ``locales/<locale>.toml`` by message key.

Only the locales of :data:`skill.locales.SUPPORTED_LOCALES` are ever loaded for a
request (anything else falls back to en-US, as the catalog does).

Counted nouns and spoken lists are data too: ``count("unit.reps", 8)`` picks
``unit.reps_one`` or ``unit.reps_other`` by the locale's plural rule (the
``[language]`` table), and ``join(items, "and")`` reads a list with the locale's
own conjunction. ``[language] clock_hours`` (12 or 24) says how the locale tells the time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from skill.locales import FALLBACK_LOCALE, SUPPORTED_LOCALES, supported_locale

__all__ = ["FALLBACK_LOCALE", "SUPPORTED_LOCALES", "Messages", "messages_for", "supported_locale"]
LOCALE_DIR = Path(__file__).with_name("locales")
# Whole numbers only are counted aloud; the locale lists those that take the "one" form.
LANGUAGE_TABLE = "language"


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

    def __init__(
        self,
        locale: str,
        table: Mapping[str, str],
        plural_one: frozenset[int] = frozenset({1}),
        clock_hours: int = 12,
    ) -> None:
        self.locale = locale
        self.table = dict(table)
        self.plural_one = plural_one
        # How the locale tells the time: 12 (9 am, 5 pm) or 24 hours (9 Uhr, 17 Uhr).
        self.clock_hours = clock_hours

    def say(self, key: str, **params: object) -> str:
        try:
            template = self.table[key]
        except KeyError as exc:
            raise MessageError(f"{self.locale}: no message {key!r}") from exc
        try:
            return template.format(**params)
        except KeyError as exc:
            raise MessageError(f"{self.locale}: {key!r} needs {exc}") from exc

    def plural_form(self, n: int) -> str:
        """The plural category of ``n`` in this locale: ``one`` or ``other``."""
        return "one" if n in self.plural_one else "other"

    def count(self, key: str, n: int, **params: object) -> str:
        """``count("unit.minutes", 3)`` -> "3 minutes", by ``unit.minutes_one/_other``."""
        return self.say(f"{key}_{self.plural_form(n)}", n=n, **params)

    def join(self, items: list[str], conjunction: str = "and") -> str:
        """'a', 'a and b', 'a, b and c', with the locale's ``list.and`` / ``list.or``."""
        if len(items) <= 1:
            return "".join(items)
        head = self.say("list.separator").join(items[:-1])
        return self.say(f"list.{conjunction}", head=head, last=items[-1])


def available_locales() -> list[str]:
    """Every locale with a sentence file (supported or not yet: see skill.locales)."""
    return sorted(p.stem for p in LOCALE_DIR.glob("*.toml"))


def messages_for(locale: object) -> Messages:
    """Messages of ``locale``; an unsupported locale falls back to en-US."""
    return load_messages(supported_locale(locale))


@cache
def load_messages(locale: str) -> Messages:
    """The sentence file of ``locale`` itself (a name from :func:`available_locales`)."""
    with (LOCALE_DIR / f"{locale}.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    language = raw.pop(LANGUAGE_TABLE, {})
    plural_one = frozenset(int(n) for n in language.get("plural_one", [1]))
    clock_hours = 24 if language.get("clock_hours") == 24 else 12
    return Messages(locale, _flatten(raw), plural_one, clock_hours)
