"""The plan store contract on both stores, and the `plan` commands against each.

Prevents: a DynamoDB or SQLite plan store that disagrees with the other (numbering,
consent, deletion), and a code printed by `plan create` that the store cannot find.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from skill.cli import main
from skill.plans.model import Attempts, PlanExercise, PrescribedPlan, StoredPlan
from skill.plans.store import CodeTakenError, PlanNotFoundError, PlanStore, plan_store_for
from tests.integration.conftest import Backend

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PLAN = PrescribedPlan("Knee", "Clinic", 3, (PlanExercise("quad_sets", 8),), "A note.")
EXAMPLE = Path(__file__).resolve().parents[2] / "skill" / "plans" / "example_plan.toml"


@pytest.fixture
def plans(backend: Backend) -> PlanStore:
    return plan_store_for(backend.store)


def stored(code: str = "482913", days: int = 30) -> StoredPlan:
    return StoredPlan(code, PLAN, NOW, NOW + timedelta(days=days))


def test_a_plan_is_found_by_its_code_and_a_code_is_never_given_twice(plans: PlanStore) -> None:
    plans.create(stored())
    assert plans.find("482913") == stored()
    assert plans.find("111111") is None
    with pytest.raises(CodeTakenError):
        plans.create(stored())
    plans.revoke("482913")
    found = plans.find("482913")
    assert found is not None and found.revoked and not found.is_live(NOW)
    with pytest.raises(PlanNotFoundError):
        plans.revoke("111111")


def test_links_are_numbered_in_linking_order_and_kept_under_both_keys(
    plans: PlanStore,
) -> None:
    plans.create(stored())
    first = plans.add_link("acct-a", "482913", NOW, 5)
    second = plans.add_link("acct-b/person-1", "482913", NOW + timedelta(hours=1), None)
    assert (first.number, second.number) == (1, 2)
    assert plans.user_state("acct-a") == (first, Attempts())
    plans.set_sharing(second, True)
    _, links = plans.patients("482913")
    assert [(k.number, k.user_key, k.sharing) for k in links] == [
        (1, "acct-a", None),
        (2, "acct-b/person-1", True),
    ]
    plans.remove_link(first)
    assert plans.user_state("acct-a")[0] is None
    assert [k.number for k in plans.patients("482913")[1]] == [2]


def test_relinking_moves_the_patient_and_clears_wrong_tries(plans: PlanStore) -> None:
    plans.create(stored())
    plans.create(stored("654321"))
    plans.add_link("acct-a", "482913", NOW, 5)
    plans.set_attempts("acct-a", Attempts(3))
    moved = plans.add_link("acct-a", "654321", NOW, 5)
    assert plans.user_state("acct-a") == (moved, Attempts())
    assert plans.patients("482913")[1] == ()


def test_forgetting_a_user_or_an_account_removes_every_link(
    backend: Backend, plans: PlanStore
) -> None:
    plans.create(stored())
    plans.add_link("acct-a", "482913", NOW, 5)
    plans.add_link("acct-a/person-1", "482913", NOW, 5)
    plans.add_link("acct-b", "482913", NOW, 5)
    plans.set_attempts("acct-b", Attempts(2))
    plans.forget_user("acct-b")
    assert plans.user_state("acct-b") == (None, Attempts())
    plans.forget_account("acct-a")
    assert plans.patients("482913")[1] == ()
    assert plans.user_state("acct-a/person-1")[0] is None
    assert backend.raw_rows("acct-a") == 0 and backend.raw_rows("acct-b") == 0


def _store_url(backend: Backend, request: pytest.FixtureRequest) -> str:
    if backend.name == "sqlite":
        return f"sqlite:///{backend.store.path}"  # type: ignore[attr-defined]
    request.getfixturevalue("aws_env")
    return f"dynamodb://{backend.store.table_name}"  # type: ignore[attr-defined]


def cli(*args: str, **env: Any) -> Any:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_plan_create_show_revoke(backend: Backend, request: pytest.FixtureRequest) -> None:
    url = _store_url(backend, request)
    created = cli("plan", "create", str(EXAMPLE), "--store", url, "--days", "10")
    assert created.exit_code == 0, created.output
    code = created.output.strip().splitlines()[-1]
    assert len(code) == 6 and code.isdigit()
    shown = cli("plan", "show", code, "--store", url)
    assert "Knee, week 2 (Riverside Physio): 3 a day; live" in shown.output
    assert "- heel_slides: 10 reps, slow" in shown.output
    assert "patients linked: 0, sharing: 0" in shown.output
    assert cli("plan", "revoke", code, "--store", url).exit_code == 0
    assert "; revoked" in cli("plan", "show", code, "--store", url).output
    missing = CliRunner().invoke(main, ["plan", "show", "111111", "--store", url])
    assert missing.exit_code == 1 and "no plan has the code 111111" in missing.output


def test_plan_create_lists_every_problem_and_stores_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[plan]\ntitle = "x"\nper_day = 0\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    result = CliRunner().invoke(main, ["plan", "create", str(bad), "--store", url])
    assert result.exit_code == 1
    assert "bad.toml: [plan].clinic: must be a non-empty string" in result.output
    assert "bad.toml: [plan].per_day: 0 is outside 1 to 20" in result.output
    assert "bad.toml: [plan].exercises: needs at least one" in result.output


def test_a_report_of_an_unknown_code_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    result = CliRunner().invoke(main, ["report", "--plan", "111111", "--store", url])
    assert result.exit_code == 1 and "no plan has the code 111111" in result.output
