"""The catalog loader: valid data loads, broken data reports every problem with its place."""

from __future__ import annotations

import pytest

from skill.routines.catalog import CatalogError, load_catalog, parse_catalog

REQUIRED_EXERCISES = {
    "ankle_rolls", "shoulder_circles", "standing_stretch", "neck_rotations", "trunk_twists",
    "pelvic_tilts", "heel_slides", "quad_sets", "seated_cat_cow", "pendulum_swings",
    "scapular_squeezes",
}  # fmt: skip
REQUIRED_ROUTINES = {"desk_break", "knee_recovery", "back_care", "shoulder_recovery", "quick_snack"}


def test_the_catalog_covers_the_design_card() -> None:
    catalog = load_catalog("en-US")
    assert set(catalog.exercises) >= REQUIRED_EXERCISES
    assert set(catalog.routines) >= REQUIRED_ROUTINES
    for exercise in catalog.exercises.values():
        assert exercise.setup and exercise.safety and exercise.phases and exercise.areas


BROKEN = """
[exercises.a]
name = "alpha"
synonyms = ["first"]
areas = ["back"]
setup = ["Sit."]
safety = ""
reps = 0
max_reps = 5
phases = [{ cue = "Go.", seconds = [1, 2, 3] }]
colour = "red"

[exercises.b]
name = "beta"
synonyms = ["alpha"]
areas = ["back"]
setup = ["Sit."]
safety = "Gently."
reps = 3
max_reps = 5
phases = [{ cue = "Go.", seconds = [2, 1] }]

[routines.r]
name = "routine"
synonyms = ["r"]
areas = ["back"]
description = "a routine"
steps = [{ exercise = "missing" }]
"""


def test_broken_data_reports_every_problem_with_file_and_place() -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog("xx-XX", BROKEN, "xx-XX.toml")
    problems = caught.value.problems
    expected = [
        "exercises.a.safety",
        "exercises.a.reps",
        "exercises.a.colour: unknown field",
        "exercises.a.phases[0].seconds: slow must not be quicker",
        "exercises.b.phases[0].seconds: must be [slow, normal, fast]",
        "routines.r.steps[0]: unknown exercise 'missing'",
        "'alpha' is already a name of exercises.a",
        "cues: must be a table",
    ]
    for fragment in expected:
        assert any(fragment in p for p in problems), fragment
    assert all(p.startswith("xx-XX.toml: ") for p in problems)


def test_unparseable_toml_is_reported_with_its_file() -> None:
    with pytest.raises(CatalogError, match=r"bad\.toml"):
        parse_catalog("xx-XX", "[exercises", "bad.toml")


def test_a_tempo_change_nobody_could_hear_is_reported() -> None:
    long_cue = "Slowly and gently breathe in and lift your chest while you arch your back."
    text = f"""
[exercises.cat]
name = "cat"
synonyms = ["kitty"]
areas = ["back"]
setup = ["Sit."]
safety = "Gently."
reps = 3
max_reps = 5
phases = [{{ cue = "{long_cue}", seconds = [3, 2, 1] }}]
"""
    with pytest.raises(CatalogError, match="too close to hear"):
        parse_catalog("xx-XX", text, "xx-XX.toml")
