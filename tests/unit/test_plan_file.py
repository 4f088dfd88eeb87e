"""The plan file contract (DESIGN.md section 4): what a therapist writes, and what is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.plans.model import PlanExercise, PrescribedPlan
from skill.plans.plan_file import PlanFileError, load_plan_file, parse_plan_file
from skill.routines.catalog import load_catalog
from skill.routines.model import Tempo

CATALOG = load_catalog("en-US")
EXAMPLE = Path(__file__).resolve().parents[2] / "skill" / "plans" / "example_plan.toml"


def test_the_example_plan_file_loads_as_written() -> None:
    """Prevents: the README's example plan drifting from what the loader accepts."""
    assert load_plan_file(EXAMPLE, CATALOG) == PrescribedPlan(
        title="Knee, week 2",
        clinic="Riverside Physio",
        per_day=3,
        note="Keep your heel on the bed as it slides.",
        exercises=(
            PlanExercise("heel_slides", 10, Tempo.SLOW),
            PlanExercise("quad_sets", 8, Tempo.NORMAL),
        ),
    )


def test_note_and_tempo_are_optional() -> None:
    text = """
[plan]
title = "Back"
clinic = "Clinic"
per_day = 2
[[plan.exercises]]
id = "pelvic_tilts"
reps = 5
"""
    plan = parse_plan_file(text, "back.toml", CATALOG)
    assert plan.note is None and plan.exercises == (PlanExercise("pelvic_tilts", 5),)


def test_every_problem_is_reported_at_once_with_file_and_place() -> None:
    """Prevents: a therapist fixing a plan file one error per run."""
    text = """
[plan]
title = ""
per_day = 40
colour = "blue"
[[plan.exercises]]
id = "moonwalk"
reps = 10
[[plan.exercises]]
id = "quad_sets"
reps = 500
tempo = "glacial"
"""
    with pytest.raises(PlanFileError) as caught:
        parse_plan_file(text, "bad.toml", CATALOG)
    problems = caught.value.problems
    max_reps = CATALOG.exercise("quad_sets").max_reps
    assert problems == [
        "bad.toml: [plan].colour: unknown field",
        "bad.toml: [plan].title: must be a non-empty string",
        "bad.toml: [plan].clinic: must be a non-empty string",
        "bad.toml: [plan].per_day: 40 is outside 1 to 20",
        "bad.toml: [plan].exercises[0].id: 'moonwalk' is not a catalog exercise (one of: "
        + ", ".join(sorted(CATALOG.exercises))
        + ")",
        f"bad.toml: [plan].exercises[1].reps: 500 is outside 1 to {max_reps}",
        "bad.toml: [plan].exercises[1].tempo: 'glacial' is not a tempo (slow | normal | fast)",
    ]


def test_broken_toml_and_a_missing_table_are_said_plainly() -> None:
    with pytest.raises(PlanFileError, match=r"x.toml: .*line 1"):
        parse_plan_file("[plan\n", "x.toml", CATALOG)
    with pytest.raises(PlanFileError, match=r"y.toml: \[plan\]: missing"):
        parse_plan_file("title = 'x'\n", "y.toml", CATALOG)


def test_a_plan_survives_storage_as_json() -> None:
    plan = load_plan_file(EXAMPLE, CATALOG)
    assert PrescribedPlan.from_json(plan.to_json()) == plan
