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


CUES = """
[cues]
first_side = "{side} side."
switch_side = "Now switch to your {side} side."
count = "{number}."
end = "And relax."
numbers = ["zero", "one", "two", "three", "four", "five", "six"]
encouragements = ["You're past halfway.", "{remaining} more."]
"""


def one_phase(phase: str) -> str:
    """A catalog whose only exercise has one phase, given as a TOML inline table."""
    return f"""{CUES}
[exercises.cat]
name = "cat"
synonyms = ["kitty"]
areas = ["back"]
setup = ["Sit."]
safety = "Gently."
reps = 3
max_reps = 5
phases = [{phase}]
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog("xx-XX", text, "xx-XX.toml")
    return caught.value.problems


def test_a_well_formed_one_phase_catalog_loads() -> None:
    catalog = parse_catalog(
        "xx-XX", one_phase('{ cue = "Arch.", short = "Arch.", seconds = [3, 2, 1] }'), "x"
    )
    assert catalog.exercise("cat").phases[0].short == "Arch."


def test_a_tempo_change_nobody_could_hear_is_reported() -> None:
    problems = problems_of(one_phase('{ cue = "Arch.", short = "Arch.", seconds = [2, 2, 2] }'))
    assert any("too close to hear" in p for p in problems)


def test_a_phase_that_does_not_say_how_it_keeps_time_later_is_reported_with_its_place() -> None:
    """Every later rep needs its cue: a short one, trusted silence, or the count."""
    for later in ("", 'short = "Arch.", quiet = true, '):
        problems = problems_of(one_phase(f'{{ cue = "Arch.", {later}seconds = [3, 2, 1] }}'))
        assert any("exercises.cat.phases[0]: needs exactly one of short" in p for p in problems)


def test_the_count_may_only_cue_the_last_of_several_phases_and_must_fit_it() -> None:
    arch = '{ cue = "Arch.", short = "Arch.", seconds = [3, 2, 1] }'
    problems = problems_of(one_phase('{ cue = "Arch.", counted = true, seconds = [3, 2, 1] }'))
    assert any("phases[0].counted: only the last of two or more phases" in p for p in problems)
    counted = '{ cue = "Arch.", counted = true, seconds = [3, 2, 1] }'
    problems = problems_of(one_phase(f"{counted}, {arch}"))
    assert any("phases[0].counted: only the last" in p for p in problems)
    # "Two." fits 0.6 s (570 ms), "Three." (670 ms) does not: a fast release that short
    # cannot be cued by the count.
    release = '{ cue = "Release.", counted = true, seconds = [3, 2, 0.6] }'
    problems = problems_of(one_phase(f"{arch}, {release}"))
    assert any("phases[1].counted: the count 'Three.' takes about 670 ms" in p for p in problems)


def test_a_quiet_hold_and_a_counted_release_load() -> None:
    hold = '{ cue = "Hold.", quiet = true, breath = "Breathe.", seconds = [3, 2, 1.5] }'
    release = '{ cue = "And release.", counted = true, seconds = [3, 2, 1.5] }'
    arch = '{ cue = "Arch.", short = "Arch.", seconds = [3, 2, 1.5] }'
    catalog = parse_catalog("xx-XX", one_phase(f"{arch}, {hold}, {release}"), "x")
    phases = catalog.exercise("cat").phases
    assert [(p.short, p.quiet, p.counted) for p in phases] == [
        ("Arch.", False, False),
        ("", True, False),
        ("", False, True),
    ]


def test_a_short_cue_that_cannot_be_said_within_the_fast_phase_is_refused() -> None:
    """Prevents a later rep's cue from stretching its phase: 3 words need ~1.1 s, fast is 1 s."""
    phase = '{ cue = "Arch.", short = "Arch it now.", breath = "Breathe in as you arch.", '
    problems = problems_of(one_phase(phase + "seconds = [3, 2, 1] }"))
    assert any("phases[0].short: 'Arch it now.' takes about 1110 ms" in p for p in problems)
    assert any("phases[0].breath: 'Breathe in as you arch.'" in p for p in problems)


def test_a_short_cue_of_more_than_three_words_is_refused() -> None:
    problems = problems_of(
        one_phase('{ cue = "Arch.", short = "Now arch your back.", seconds = [9, 8, 7] }')
    )
    assert any("phases[0].short: must be 1 to 3 words" in p for p in problems)


def test_encouragements_that_could_repeat_or_name_unknown_values_are_refused() -> None:
    text = one_phase('{ cue = "Arch.", short = "Arch.", seconds = [3, 2, 1] }').replace(
        """encouragements = ["You're past halfway.", "{remaining} more."]""",
        """encouragements = ["{reps} to go.", "{reps} to go."]""",
    )
    problems = problems_of(text)
    assert any("cues.encouragements: needs at least two different" in p for p in problems)
    assert any(
        "encouragements[0]: may only contain the placeholder {remaining}" in p for p in problems
    )
