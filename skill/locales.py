"""The locales the skill speaks: one list for its sentences, its catalog and its voice.

A locale is supported when it has both its sentences (``speech/locales/<locale>.toml``)
and its catalog texts (``routines/catalogs/<locale>.toml``): half a translation would
answer in two languages at once. A request's locale is data from outside, so it is
matched against this fixed set before it names a file or a cache entry; anything else
(unknown, long, a path, not a string) falls back to en-US, for every part alike.
"""

from __future__ import annotations

from pathlib import Path

FALLBACK_LOCALE = "en-US"
_HERE = Path(__file__).parent


def _stems(folder: Path) -> set[str]:
    return {path.stem for path in folder.glob("*.toml")}


SUPPORTED_LOCALES = frozenset(
    _stems(_HERE / "speech" / "locales") & _stems(_HERE / "routines" / "catalogs")
)


def supported_locale(locale: object) -> str:
    """``locale`` if the skill speaks it, else en-US: safe as a path or a cache key."""
    return locale if isinstance(locale, str) and locale in SUPPORTED_LOCALES else FALLBACK_LOCALE
