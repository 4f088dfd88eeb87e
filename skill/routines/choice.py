"""Which plan a request asks for: by exercise, routine or body area, or by a name heard.

Each slot comes as (resolved id or None, words heard or None), as entity resolution
gives them. Resolved ids win; words Alexa heard but could not resolve are matched
against names and synonyms last.
"""

from __future__ import annotations

from skill.routines.catalog import Catalog
from skill.routines.plan import Plan

Slot = tuple[str | None, str | None]


def match_name(catalog: Catalog, heard: str) -> Plan | None:
    """The exercise or routine whose name or synonym is ``heard``."""
    wanted = heard.strip().lower()
    for exercise in catalog.exercises.values():
        if wanted in {exercise.name, *exercise.synonyms}:
            return Plan.for_exercise(exercise)
    for routine in catalog.routines.values():
        if wanted in {routine.name, *routine.synonyms}:
            return Plan.for_routine(routine)
    return None


def requested_plan(catalog: Catalog, exercise: Slot, routine: Slot, area: Slot) -> Plan | None:
    """The plan the slots ask for, or None when nothing known matches."""
    if exercise[0] is not None and exercise[0] in catalog.exercises:
        return Plan.for_exercise(catalog.exercise(exercise[0]))
    if routine[0] is not None and routine[0] in catalog.routines:
        return Plan.for_routine(catalog.routine(routine[0]))
    if area[0] is not None:
        routines = catalog.routines_for_area(area[0])
        if routines:
            return Plan.for_routine(routines[0])
        exercises = catalog.exercises_for_area(area[0])
        if exercises:
            return Plan(None, tuple(e.id for e in exercises))
    for _, heard in (exercise, routine, area):
        if heard and (plan := match_name(catalog, heard)) is not None:
            return plan
    return None
