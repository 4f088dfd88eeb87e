"""A paused therapist's plan resumes with its prescription, on both stores (issue 10).

GIVEN a patient doing a plan whose reps and tempo differ from the catalog's
defaults, WHEN the plan is left midway (pause, stop, or a session that timed out)
and the patient comes back later in a new session and says resume, THEN the next
exercise is spoken with the plan's reps and tempo, and the plan ends as a plan.
A bookmark stored before prescriptions were kept still resumes at its exercise.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import timedelta

import pytest
from ask_sdk_model import SessionEndedReason

from skill.plans.linking import create_plan
from skill.plans.model import PlanExercise, PrescribedPlan
from skill.plans.store import plan_store_for
from skill.progress.sqlite_store import SqliteStore
from skill.routines.model import Tempo
from tests.integration.conftest import Backend
from tests.integration.plan_helpers import ASK, CATALOG, Patient, link

# Every exercise prescribed apart from the catalog's own set (8 reps at a normal pace),
# so a resume that lost the prescription is heard at once.
KNEE = PrescribedPlan(
    "Knee, week 3",
    "Riverside Physio",
    3,
    (
        PlanExercise("heel_slides", 10, Tempo.SLOW),
        PlanExercise("quad_sets", 12, Tempo.FAST),
        PlanExercise("pelvic_tilts", 6, Tempo.SLOW),
    ),
)


@pytest.fixture
def patient(backend: Backend) -> Patient:
    plans = plan_store_for(backend.store)
    stored = create_plan(plans, KNEE, backend.clock.now, days=30)
    patient = Patient(backend)
    link(patient, stored.code, share=False)
    heard = patient.say("start my plan")
    assert "Exercise 1 of 3: mini heel slides" in heard and "We'll do 10 reps" in heard
    return patient


def leave_at_quad_sets_by_pausing(patient: Patient) -> None:
    patient.say("next")
    assert "Paused at quad sets" in patient.say("pause")


def leave_at_quad_sets_by_stopping(patient: Patient) -> None:
    patient.say("next")
    patient.say("stop")


def leave_after_heel_slides_by_timing_out(patient: Patient) -> None:
    # Our reprompt went unanswered: the heel slides were heard, the quad sets wait.
    talk = patient.talk
    talk.send(talk.conversation.session_ended(SessionEndedReason.EXCEEDED_MAX_REPROMPTS))


def come_back_later(patient: Patient) -> str:
    patient.backend.clock.now += timedelta(hours=3)
    patient.new_session()
    return patient.say(ASK + "resume")


@pytest.mark.parametrize(
    "leave",
    [
        leave_at_quad_sets_by_pausing,
        leave_at_quad_sets_by_stopping,
        leave_after_heel_slides_by_timing_out,
    ],
)
def test_a_plan_left_midway_resumes_with_its_prescription(
    patient: Patient, leave: Callable[[Patient], None]
) -> None:
    leave(patient)
    heard = come_back_later(patient)
    assert "Exercise 2 of 3: quad sets" in heard
    assert "We'll do 12 reps" in heard
    assert patient.talk.plan is not None and patient.talk.plan["tempo"] == "fast"
    heard = patient.say("next")
    assert "Exercise 3 of 3: pelvic tilts" in heard and "We'll do 6 reps" in heard
    assert patient.talk.plan is not None and patient.talk.plan["tempo"] == "slow"
    # Still the therapist's plan to its end, not a routine of loose exercises.
    assert "That's your plan done for this snack" in heard


def test_a_bookmark_stored_before_prescriptions_still_resumes(
    patient: Patient, backend: Backend, request: pytest.FixtureRequest
) -> None:
    leave_at_quad_sets_by_pausing(patient)
    rewrite_bookmarks(backend, request, _without_prescription)
    heard = come_back_later(patient)
    assert "Exercise 2 of 3: quad sets" in heard
    # Nothing prescribed was stored, so the catalog's own set is what it can offer.
    assert f"We'll do {CATALOG.exercise('quad_sets').reps} reps" in heard


def _without_prescription(encoded: str) -> str:
    """A stored bookmark as the release before prescriptions wrote it."""
    data = json.loads(encoded)
    assert data.pop("step_reps") == [10, 12, 6]
    assert data.pop("step_tempos") == ["slow", "fast", "slow"]
    return json.dumps(data, separators=(",", ":"))


def rewrite_bookmarks(
    backend: Backend, request: pytest.FixtureRequest, change: Callable[[str], str]
) -> None:
    """Rewrite every stored bookmark in raw storage, bypassing the stores' own code."""
    if isinstance(backend.store, SqliteStore):
        with closing(sqlite3.connect(backend.store.path)) as db, db:
            rows = db.execute("SELECT user_key, bookmark FROM users WHERE bookmark IS NOT NULL")
            for key, encoded in rows.fetchall():
                db.execute(
                    "UPDATE users SET bookmark = ? WHERE user_key = ?", (change(encoded), key)
                )
        return
    client = request.getfixturevalue("dynamodb_client")
    table = request.getfixturevalue("table_name")
    for item in client.scan(TableName=table)["Items"]:
        if "S" in item.get("bm", {}):
            client.update_item(
                TableName=table,
                Key={"pk": item["pk"], "sk": item["sk"]},
                UpdateExpression="SET bm = :bm",
                ExpressionAttributeValues={":bm": {"S": change(item["bm"]["S"])}},
            )
