"""The golden utterance table (tests/golden/<locale>.tsv), read for every resolver."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

GOLDEN = Path(__file__).parents[1] / "golden"
# The intent column's word for "this opens the skill": a LaunchRequest, not an intent.
LAUNCH = "LAUNCH"


class GoldenRow(NamedTuple):
    utterance: str
    intent: str
    slots: dict[str, str]


def golden_locales() -> list[str]:
    """Every locale with a golden table (the locale tests require one per model)."""
    return sorted(path.stem for path in GOLDEN.glob("*.tsv"))


def golden_rows(locale: str = "en-US") -> list[GoldenRow]:
    """utterance <TAB> intent <TAB> name=id,name=id (numbers as digits); # comments."""
    rows = []
    for line in (GOLDEN / f"{locale}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        utterance, intent, slots = [*line.split("\t"), "", ""][:3]
        expected = dict(pair.split("=", 1) for pair in slots.split(",") if pair)
        rows.append(GoldenRow(utterance, intent, expected))
    return rows
