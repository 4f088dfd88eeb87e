"""Load and validate the exercise catalog of a locale (data files in ``catalogs/``).

The loader reports every problem at once, each prefixed with its file and place,
so a content author fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from skill.routines.catalog_checks import (
    TEMPO_ORDER,
    Problems,
    check_counted_phase,
    check_encouragements,
    check_phase_cues,
    check_set_lengths,
)
from skill.routines.model import CuePhrases, Exercise, Phase, Routine, Step

CATALOG_DIR = Path(__file__).with_name("catalogs")
__all__ = ["TEMPO_ORDER", "Catalog", "CatalogError", "load_catalog", "parse_catalog"]


class CatalogError(ValueError):
    """The catalog data is invalid; ``problems`` lists every error found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Catalog:
    locale: str
    exercises: Mapping[str, Exercise]
    routines: Mapping[str, Routine]
    cues: CuePhrases

    def exercise(self, exercise_id: str) -> Exercise:
        return self.exercises[exercise_id]

    def routine(self, routine_id: str) -> Routine:
        return self.routines[routine_id]

    def routines_for_area(self, area: str) -> list[Routine]:
        """Routines for ``area``, best first: a routine's areas are listed main one first."""
        matching = [r for r in self.routines.values() if area in r.areas]
        return sorted(matching, key=lambda r: r.areas.index(area))

    @property
    def main_areas(self) -> list[str]:
        """The area each routine is mainly for, in catalog order, without repeats."""
        return list(dict.fromkeys(r.areas[0] for r in self.routines.values()))

    def exercises_for_area(self, area: str) -> list[Exercise]:
        return [e for e in self.exercises.values() if area in e.areas]

    @property
    def areas(self) -> set[str]:
        found = {a for e in self.exercises.values() for a in e.areas}
        return found | {a for r in self.routines.values() for a in r.areas}


def _strings(
    value: Any, place: str, problems: Problems, *, allow_empty: bool = False
) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(place, "must be a list of non-empty strings")
        return ()
    if not value and not allow_empty:
        problems.add(place, "must not be empty")
    return tuple(value)


def _text(value: Any, place: str, problems: Problems) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.add(place, "must be a non-empty string")
        return ""
    return value


def _count(value: Any, place: str, problems: Problems, low: int = 1, high: int = 30) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        problems.add(place, f"must be a whole number from {low} to {high}")
        return low
    return value


# How a phase keeps time on a later rep: exactly one of these fields.
LATER_WAYS = ("short", "quiet", "counted")


def _later_rep(raw: dict[str, Any], here: str, problems: Problems) -> tuple[bool, bool, str]:
    """(quiet, counted, short) of a phase: its short cue, or true for quiet or counted."""
    given = [key for key in LATER_WAYS if key in raw]
    if len(given) != 1:
        problems.add(here, "needs exactly one of short (1-3 words), quiet = true, counted = true")
    for key in ("quiet", "counted"):
        if key in raw and raw[key] is not True:
            problems.add(f"{here}.{key}", "may only be true (leave it out otherwise)")
    short = _text(raw["short"], f"{here}.short", problems) if "short" in raw else ""
    return "quiet" in raw, "counted" in raw, short


def _phases(value: Any, place: str, problems: Problems) -> tuple[Phase, ...]:
    if not isinstance(value, list) or not value:
        problems.add(place, "must be a non-empty list of phases")
        return ()
    phases = []
    for index, raw in enumerate(value):
        here = f"{place}[{index}]"
        if not isinstance(raw, dict):
            problems.add(here, "must be a table with cue, seconds and short (or quiet, counted)")
            continue
        for key in sorted(set(raw) - {"cue", "short", "breath", "seconds", *LATER_WAYS}):
            problems.add(f"{here}.{key}", "unknown field")
        cue = _text(raw.get("cue"), f"{here}.cue", problems)
        quiet, counted, short = _later_rep(raw, here, problems)
        breath = _text(raw["breath"], f"{here}.breath", problems) if "breath" in raw else ""
        seconds = raw.get("seconds")
        if (
            not isinstance(seconds, list)
            or len(seconds) != len(TEMPO_ORDER)
            or not all(isinstance(s, int | float) and 0.5 <= s <= 10 for s in seconds)
        ):
            problems.add(f"{here}.seconds", "must be [slow, normal, fast], each 0.5 to 10 s")
            continue
        if not seconds[0] >= seconds[1] >= seconds[2]:
            problems.add(
                f"{here}.seconds", "slow must not be quicker than normal, nor normal than fast"
            )
        timing = dict(zip(TEMPO_ORDER, map(float, seconds), strict=True))
        phase = Phase(cue, timing, short, breath, quiet=quiet, counted=counted)
        check_phase_cues(phase, here, problems)
        phases.append(phase)
    return tuple(phases)


def _cues(raw: Any, problems: Problems) -> CuePhrases:
    if not isinstance(raw, dict):
        problems.add("cues", "must be a table of the words around each set")
        raw = {}
    texts = {
        key: _text(raw.get(key), f"cues.{key}", problems)
        for key in ("first_side", "switch_side", "count", "end")
    }
    for key, placeholder in (("first_side", "side"), ("switch_side", "side"), ("count", "number")):
        if texts[key] and f"{{{placeholder}}}" not in texts[key]:
            problems.add(f"cues.{key}", f"must contain {{{placeholder}}}")
    numbers = _strings(raw.get("numbers"), "cues.numbers", problems)
    encouragements = _strings(raw.get("encouragements"), "cues.encouragements", problems)
    encouragements = check_encouragements(encouragements, problems)
    return CuePhrases(numbers=numbers, encouragements=encouragements, **texts)


def _exercise(exercise_id: str, raw: Any, cues: CuePhrases, problems: Problems) -> Exercise | None:
    place = f"exercises.{exercise_id}"
    if not isinstance(raw, dict):
        problems.add(place, "must be a table")
        return None
    known = {"name", "synonyms", "areas", "sides", "reps", "max_reps", "setup", "safety", "phases"}
    for key in sorted(set(raw) - known):
        problems.add(f"{place}.{key}", "unknown field")
    reps = _count(raw.get("reps"), f"{place}.reps", problems)
    max_reps = _count(raw.get("max_reps"), f"{place}.max_reps", problems)
    if max_reps < reps:
        problems.add(f"{place}.max_reps", "must not be below reps")
    sides = _strings(raw.get("sides", []), f"{place}.sides", problems, allow_empty=True)
    exercise = Exercise(
        id=exercise_id,
        name=_text(raw.get("name"), f"{place}.name", problems),
        synonyms=_strings(raw.get("synonyms"), f"{place}.synonyms", problems),
        areas=_strings(raw.get("areas"), f"{place}.areas", problems),
        setup=_strings(raw.get("setup"), f"{place}.setup", problems),
        safety=_text(raw.get("safety"), f"{place}.safety", problems),
        phases=_phases(raw.get("phases"), f"{place}.phases", problems),
        reps=reps,
        max_reps=max_reps,
        cues=cues,
        sides=sides,
    )
    if len(cues.numbers) <= max_reps:
        problems.add(f"{place}.max_reps", "the catalog's cues.numbers cannot count that far")
    if exercise.phases:
        check_counted_phase(exercise, f"{place}.phases", problems)
        check_set_lengths(exercise, place, problems)
    return exercise


def _routine(
    routine_id: str, raw: Any, exercises: Mapping[str, Exercise], problems: Problems
) -> Routine | None:
    place = f"routines.{routine_id}"
    if not isinstance(raw, dict):
        problems.add(place, "must be a table")
        return None
    steps = []
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.add(f"{place}.steps", "must be a non-empty list")
        raw_steps = []
    for index, step in enumerate(raw_steps):
        here = f"{place}.steps[{index}]"
        exercise_id = step.get("exercise") if isinstance(step, dict) else None
        if not isinstance(exercise_id, str) or exercise_id not in exercises:
            problems.add(here, f"unknown exercise {exercise_id!r}")
            continue
        reps = step.get("reps")
        if reps is not None:
            reps = _count(reps, f"{here}.reps", problems, high=exercises[exercise_id].max_reps)
        steps.append(Step(exercise_id, reps))
    return Routine(
        id=routine_id,
        name=_text(raw.get("name"), f"{place}.name", problems),
        synonyms=_strings(raw.get("synonyms"), f"{place}.synonyms", problems),
        areas=_strings(raw.get("areas"), f"{place}.areas", problems),
        description=_text(raw.get("description"), f"{place}.description", problems),
        steps=tuple(steps),
    )


def _check_unique_names(catalog: Catalog, problems: Problems) -> None:
    """A spoken name or synonym must lead to exactly one exercise or routine."""
    owners: dict[str, str] = {}
    entries: Iterable[tuple[str, str, tuple[str, ...]]] = [
        *((f"exercises.{e.id}", e.name, e.synonyms) for e in catalog.exercises.values()),
        *((f"routines.{r.id}", r.name, r.synonyms) for r in catalog.routines.values()),
    ]
    for place, name, synonyms in entries:
        for phrase in (name, *synonyms):
            key = phrase.lower()
            if key in owners and owners[key] != place:
                problems.add(place, f"{phrase!r} is already a name of {owners[key]}")
            owners[key] = place


def parse_catalog(locale: str, text: str, source: str) -> Catalog:
    """Parse catalog TOML; raises :class:`CatalogError` listing every problem."""
    problems = Problems(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError([f"{source}: {exc}"]) from exc
    cues = _cues(data.get("cues"), problems)
    exercises = {
        key: exercise
        for key, raw in dict(data.get("exercises", {})).items()
        if (exercise := _exercise(key, raw, cues, problems)) is not None
    }
    routines = {
        key: routine
        for key, raw in dict(data.get("routines", {})).items()
        if (routine := _routine(key, raw, exercises, problems)) is not None
    }
    if not exercises:
        problems.add("exercises", "the catalog has no exercises")
    catalog = Catalog(locale, exercises, routines, cues)
    _check_unique_names(catalog, problems)
    if problems.items:
        raise CatalogError(problems.items)
    return catalog


@cache
def load_catalog(locale: str) -> Catalog:
    """The validated catalog of ``locale`` (e.g. "en-US"), loaded once per process."""
    path = CATALOG_DIR / f"{locale}.toml"
    return parse_catalog(locale, path.read_text(encoding="utf-8"), path.name)


def available_locales() -> list[str]:
    return sorted(p.stem for p in CATALOG_DIR.glob("*.toml"))
