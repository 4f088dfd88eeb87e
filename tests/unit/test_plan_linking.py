"""Codes and the bound on guessing them (skill/plans/linking.py), on a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from skill.plans import linking
from skill.plans.linking import CodeCheck, check_code, create_plan, new_code
from skill.plans.model import PlanExercise, PrescribedPlan
from skill.plans.sqlite_plans import SqlitePlanStore
from skill.plans.store import CodeTakenError

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PLAN = PrescribedPlan("Knee", "Clinic", 3, (PlanExercise("quad_sets", 8),))


@pytest.fixture
def store(tmp_path: Path) -> SqlitePlanStore:
    return SqlitePlanStore(tmp_path / "progress.sqlite3")


def test_codes_are_six_digits_without_a_leading_zero() -> None:
    """Prevents: a code Alexa's number slot would shorten ("0 4 ..." heard as 4...)."""
    codes = {new_code() for _ in range(2000)}
    assert all(len(c) == 6 and c.isdigit() and c[0] != "0" for c in codes)
    assert len(codes) > 1900  # drawn at random, not counted up


def test_a_taken_code_is_drawn_again(
    store: SqlitePlanStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = create_plan(store, PLAN, NOW, days=30)
    draws = iter([first.code, first.code, "654321"])
    monkeypatch.setattr(linking, "new_code", lambda: next(draws))
    assert create_plan(store, PLAN, NOW, days=30).code == "654321"
    monkeypatch.setattr(linking, "new_code", lambda: first.code)
    with pytest.raises(CodeTakenError):
        create_plan(store, PLAN, NOW, days=30)


def test_the_fifth_wrong_code_locks_for_an_hour(store: SqlitePlanStore) -> None:
    stored = create_plan(store, PLAN, NOW, days=30)
    wrong = "999999" if stored.code != "999999" else "999998"
    for _ in range(4):
        attempts = store.user_state("u")[1]
        assert check_code(store, "u", wrong, attempts, NOW).check is CodeCheck.WRONG
    attempts = store.user_state("u")[1]
    assert check_code(store, "u", wrong, attempts, NOW).check is CodeCheck.LOCKED_NOW
    attempts = store.user_state("u")[1]
    assert attempts.locked_until == NOW + timedelta(hours=1)
    later = NOW + timedelta(minutes=59)
    assert check_code(store, "u", stored.code, attempts, later).check is CodeCheck.LOCKED
    after = NOW + timedelta(hours=1)
    result = check_code(store, "u", " ".join(stored.code), attempts, after)
    assert result.check is CodeCheck.FOUND and result.plan == stored
    # Another user is not locked by this one's guesses.
    assert check_code(store, "v", stored.code, store.user_state("v")[1], NOW).plan == stored


def test_expiry_follows_days(store: SqlitePlanStore) -> None:
    stored = create_plan(store, PLAN, NOW, days=7)
    attempts = store.user_state("u")[1]
    assert check_code(store, "u", stored.code, attempts, NOW + timedelta(days=6)).plan
    expired = check_code(store, "u", stored.code, attempts, NOW + timedelta(days=7))
    assert expired.check is CodeCheck.EXPIRED


def test_a_forged_session_plan_with_no_reps_is_refused() -> None:
    """Prevents: session attributes (they come back from the device) asking for 0 reps."""
    from skill.routines.catalog import load_catalog
    from skill.routines.plan import Plan

    catalog = load_catalog("en-US")
    good = Plan(None, ("quad_sets",), step_reps=(8,), step_tempos=("slow",))
    assert Plan.from_attributes(good.to_attributes(), catalog) == good
    forged = {**good.to_attributes(), "step_reps": [0]}
    assert Plan.from_attributes(forged, catalog) is None
    assert Plan.from_attributes({**good.to_attributes(), "step_tempos": ["warp"]}, catalog) is None
