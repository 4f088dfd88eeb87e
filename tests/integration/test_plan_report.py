"""A week of simulated use by three patients on one plan, checked number by number.

GIVEN the example plan (3 snacks a day; 2 exercises, so one run of it is 2 sets,
counted as snacks the way the progress store counts them today), patient 1 and
patient 2 share and patient 3 declines; WHEN they use the skill for seven days,
THEN the therapist's csv says exactly what was done, and the html page shows the
same numbers and the flags (pain of 7 or more, 3 or more days without a snack).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from skill.cli import main
from skill.plans.model import StoredPlan
from skill.plans.report_data import build_report
from skill.plans.report_render import report_csv, report_html
from skill.plans.store import PlanStore
from tests.integration.conftest import Backend
from tests.integration.plan_helpers import ASK, Patient, link

# Runs of the whole plan per day; patient 2 answers the pain check-in with these.
RUNS_1 = [2, 1, 0, 2, 1, 1, 2]
RUNS_2 = [1, 1, 1, 0, 0, 0, 0]
PAIN_2 = ["2", "3", "8"]
FIRST_DAY = date(2026, 11, 25)


def run_plan(patient: Patient, pain: str = "2") -> None:
    patient.new_session()
    patient.say(ASK + "start my plan")
    patient.say("next")  # heel slides heard: counts
    patient.say(pain)  # the pain check-in after quad sets: counts


def simulate_week(backend: Backend, code: str) -> None:
    start = backend.clock.now
    one, two, three = (Patient(backend, name, pain=True) for name in ("one", "two", "three"))
    link(one, code, share=True)
    link(two, code, share=True)
    link(three, code, share=False)
    pains = iter(PAIN_2)
    for day in range(7):
        # Each run of the plan is its own sitting, an hour after the one before: one snack.
        sittings = (start + timedelta(days=day, hours=hour) for hour in range(24))
        for _ in range(RUNS_1[day]):
            backend.clock.now = next(sittings)
            run_plan(one)
        for _ in range(RUNS_2[day]):
            backend.clock.now = next(sittings)
            run_plan(two, next(pains))
        backend.clock.now = next(sittings)
        run_plan(three)


def expected_csv() -> str:
    lines = ["patient,day,snacks,per_day,pain"]
    for number, runs in ((1, RUNS_1), (2, RUNS_2)):
        pains = iter(PAIN_2)
        for day, count in enumerate(runs):
            ratings = (
                " ".join(next(pains) for _ in range(count))
                if number == 2
                else " ".join(["2"] * count)
            )
            when = FIRST_DAY + timedelta(days=day)
            lines.append(f"patient {number},{when.isoformat()},{count},3,{ratings}")
    lines.append("patient 3,not shared,,,")
    return "\n".join(lines) + "\n"


def test_the_csv_says_exactly_what_each_patient_did(
    backend: Backend, plans: PlanStore, knee: StoredPlan, request: pytest.FixtureRequest
) -> None:
    simulate_week(backend, knee.code)
    if backend.name == "sqlite":
        url = f"sqlite:///{backend.store.path}"  # type: ignore[attr-defined]
    else:
        request.getfixturevalue("aws_env")
        url = f"dynamodb://{backend.store.table_name}"  # type: ignore[attr-defined]
    args = ["report", "--plan", knee.code, "--weeks", "1", "--until", "2026-12-01", "--store", url]
    result = CliRunner().invoke(main, args, env={"STORE_PAIN_RATINGS": "true"})
    assert result.exit_code == 0, result.output
    assert result.output == expected_csv()


def test_the_page_has_the_same_numbers_and_the_flags(
    backend: Backend, plans: PlanStore, knee: StoredPlan
) -> None:
    simulate_week(backend, knee.code)
    report = build_report(
        plans,
        backend.store,
        knee.code,
        knee.created_at.date() + timedelta(days=6),
        1,
        pain_shown=True,
    )
    assert report is not None
    one, two, three = report.patients
    # min(sets, 3) per day: 3+2+0+3+2+2+3 = 15 of 21; patient 2: 2+2+2 = 6 of 21.
    # Snacks done up to the 3 a day asked for, over 7 days: 9 of 21 and 3 of 21.
    assert (one.adherence_percent, two.adherence_percent) == (43, 14)
    assert (one.current_streak, one.days_since_last_snack) == (4, 0)
    assert (two.current_streak, two.days_since_last_snack) == (0, 4)
    assert dict(one.exercise_sets) == {"heel_slides": 9, "quad_sets": 9}
    assert two.pain_trend is None  # a week of ratings: no week before to compare with
    assert [(f.kind, f.value) for f in two.flags] == [("pain", 8), ("no_snacks", 4)]
    assert one.flags == () and not three.shared
    page = report_html(report, b"\x89PNG")
    assert "patient 2: pain rating 8 on 2026-11-27" in page
    assert "patient 2: 4 days without a snack" in page
    assert report_csv(report).count("patient 1,") == 7
