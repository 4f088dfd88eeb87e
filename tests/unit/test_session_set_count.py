"""The session's count of spoken sets, which picks each set's encouragement."""

from __future__ import annotations

from typing import Any

import pytest

from skill.routines.catalog import load_catalog
from skill.routines.plan import SETS_HEARD_KEY, Plan, next_in_session
from skill.speech.guide import set_timeline

CATALOG = load_catalog("en-US")
QUADS = Plan.for_exercise(CATALOG.exercise("quad_sets"))


def test_each_spoken_set_moves_the_count_and_the_encouragement_on() -> None:
    session: dict[str, Any] = {}
    first = next_in_session(QUADS, session)
    second = next_in_session(QUADS, session)
    assert (first.heard, second.heard, session[SETS_HEARD_KEY]) == (0, 1, 2)
    assert set_timeline(CATALOG, first).key == "quad_sets-normal-8"
    assert set_timeline(CATALOG, second).key == "quad_sets-normal-8-e1"


@pytest.mark.parametrize("forged", ["3", -1, True, 2.5, None])
def test_a_forged_or_missing_count_starts_again_from_zero(forged: object) -> None:
    session: dict[str, Any] = {SETS_HEARD_KEY: forged}
    assert next_in_session(QUADS, session).heard == 0 and session[SETS_HEARD_KEY] == 1


def test_the_stamped_plan_survives_the_session_attributes_and_a_forged_one_does_not() -> None:
    stamped = next_in_session(QUADS, {SETS_HEARD_KEY: 4})
    assert Plan.from_attributes(stamped.to_attributes(), CATALOG) == stamped
    for forged in (-2, "4", False):
        data = {**stamped.to_attributes(), "heard": forged}
        assert Plan.from_attributes(data, CATALOG) is None


def test_a_plan_no_session_spoke_takes_its_routine_step_as_its_place() -> None:
    """A routine track played hands-free was rendered with each step's index."""
    knee = Plan.for_routine(CATALOG.routine("knee_recovery")).moved(+2)
    assert knee.place == 2 and next_in_session(knee, {SETS_HEARD_KEY: 7}).place == 7
