"""Load and validate a therapist's plan file (TOML, DESIGN.md section 4).

Like the exercise catalog (:mod:`skill.routines.catalog`), the loader reports every
problem at once, each as "file: place: message", so a therapist fixes the file in
one pass. It checks the domain's rules too: every exercise is in the catalog, its
reps within that exercise's limits, its tempo one the skill knows.

>>> plan = parse_plan_file(text, "knee.toml", load_catalog("en-US"))  # doctest: +SKIP
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from skill.plans.model import PlanExercise, PrescribedPlan
from skill.routines.catalog import Catalog
from skill.routines.catalog_checks import Problems
from skill.routines.model import Tempo

MIN_PER_DAY, MAX_PER_DAY = 1, 20
MAX_EXERCISES = 12
# Said aloud: long texts make the read-back too long to follow.
MAX_TITLE_CHARS, MAX_NOTE_CHARS = 80, 300
KNOWN_PLAN_FIELDS = frozenset({"title", "clinic", "per_day", "note", "exercises"})
KNOWN_EXERCISE_FIELDS = frozenset({"id", "reps", "tempo"})


class PlanFileError(ValueError):
    """The plan file is invalid; ``problems`` lists every error found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_plan_file(path: Path, catalog: Catalog) -> PrescribedPlan:
    """The validated plan in ``path``; raises :class:`PlanFileError` listing every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError([f"{path.name}: cannot be read: {type(exc).__name__}"]) from exc
    return parse_plan_file(text, path.name, catalog)


def parse_plan_file(text: str, source: str, catalog: Catalog) -> PrescribedPlan:
    problems = Problems(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanFileError([f"{source}: {exc}"]) from exc
    table = data.get("plan")
    if not isinstance(table, dict):
        raise PlanFileError([f"{source}: [plan]: missing (the file needs a [plan] table)"])
    for name in sorted(set(table) - KNOWN_PLAN_FIELDS):
        problems.add(f"[plan].{name}", "unknown field")
    title = _text(table.get("title"), "[plan].title", MAX_TITLE_CHARS, problems)
    clinic = _text(table.get("clinic"), "[plan].clinic", MAX_TITLE_CHARS, problems)
    note = None
    if "note" in table:
        note = _text(table["note"], "[plan].note", MAX_NOTE_CHARS, problems)
    per_day = _whole(table.get("per_day"), "[plan].per_day", MIN_PER_DAY, MAX_PER_DAY, problems)
    exercises = _exercises(table.get("exercises"), catalog, problems)
    if problems.items:
        raise PlanFileError(problems.items)
    return PrescribedPlan(title, clinic, per_day, exercises, note or None)


def _exercises(value: Any, catalog: Catalog, problems: Problems) -> tuple[PlanExercise, ...]:
    if not isinstance(value, list) or not value:
        problems.add("[plan].exercises", "needs at least one [[plan.exercises]]")
        return ()
    if len(value) > MAX_EXERCISES:
        problems.add("[plan].exercises", f"at most {MAX_EXERCISES} exercises")
    found = []
    for index, entry in enumerate(value):
        place = f"[plan].exercises[{index}]"
        if not isinstance(entry, dict):
            problems.add(place, "must be a table")
            continue
        exercise = _exercise(entry, place, catalog, problems)
        if exercise is not None:
            found.append(exercise)
    return tuple(found)


def _exercise(
    entry: dict[str, Any], place: str, catalog: Catalog, problems: Problems
) -> PlanExercise | None:
    for name in sorted(set(entry) - KNOWN_EXERCISE_FIELDS):
        problems.add(f"{place}.{name}", "unknown field")
    exercise_id = entry.get("id")
    known = catalog.exercises.get(exercise_id) if isinstance(exercise_id, str) else None
    if known is None:
        ids = ", ".join(sorted(catalog.exercises))
        problems.add(f"{place}.id", f"{exercise_id!r} is not a catalog exercise (one of: {ids})")
    high = known.max_reps if known is not None else 1000
    reps = _whole(entry.get("reps"), f"{place}.reps", 1, high, problems)
    tempo_name = entry.get("tempo", Tempo.NORMAL.value)
    tempo = Tempo(tempo_name) if tempo_name in {t.value for t in Tempo} else None
    if tempo is None:
        names = " | ".join(t.value for t in Tempo)
        problems.add(f"{place}.tempo", f"{tempo_name!r} is not a tempo ({names})")
    if known is None or tempo is None or reps == 0:
        return None
    return PlanExercise(known.id, reps, tempo)


def _text(value: Any, place: str, limit: int, problems: Problems) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.add(place, "must be a non-empty string")
        return ""
    if len(value) > limit:
        problems.add(place, f"must be at most {limit} characters (it is spoken)")
    return value.strip()


def _whole(value: Any, place: str, low: int, high: int, problems: Problems) -> int:
    """A whole number within [low, high]; 0 (and a problem) when it is not."""
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(place, f"must be a whole number from {low} to {high}")
        return 0
    if not low <= value <= high:
        problems.add(place, f"{value} is outside {low} to {high}")
        return 0
    return value
