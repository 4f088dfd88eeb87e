"""A therapist's plan through the whole skill, on both stores (SQLite and dynalite).

GIVEN a plan stored under a code, WHEN a patient says the code, confirms, answers
the sharing question and starts the plan, THEN they hear exactly that plan, their
goal follows it, and the store holds the link (and consent) under both keys.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest

from skill.alexa_api.settings_api import no_lookup
from skill.builder import build_skill
from skill.lambda_function import invoke_json
from skill.plans.linking import create_plan
from skill.plans.model import PlanExercise, PrescribedPlan, StoredPlan
from skill.plans.store import PlanStore, plan_store_for
from skill.progress.store import StoreUnavailableError
from skill.settings import Settings
from tests.conftest import Talk, skill_disabled_event
from tests.integration.conftest import START, Backend, FakeClock
from tests.integration.plan_helpers import ASK, Patient, example_plan, link, spaced, user_key_of


def test_link_confirm_share_and_start_my_plan(
    backend: Backend, plans: PlanStore, knee: StoredPlan
) -> None:
    patient = Patient(backend)
    heard = patient.say(ASK + "use plan code " + spaced(knee.code))
    assert "This is Knee, week 2, your plan from Riverside Physio" in heard
    assert "mini heel slides, 10 reps, slowly and quad sets, 8 reps" in heard
    assert "3 movement snacks a day" in heard
    assert "Shall I add this plan" in heard
    heard = patient.say("yes")
    assert "Your daily goal is 3 movement snacks" in heard
    assert "may Riverside Physio see how often you do this plan?" in heard
    assert "pain ratings" not in heard  # this deployment does not store them
    assert "Riverside Physio can now see" in patient.say("yes")
    linked, _ = plans.user_state(user_key_of(patient))
    assert linked is not None and linked.sharing is True and linked.code == knee.code
    under_plan = plans.patients(knee.code)[1]
    assert [(k.number, k.user_key, k.sharing) for k in under_plan] == [(1, linked.user_key, True)]

    heard = patient.say("start my plan")
    assert "Here is your plan from Riverside Physio, Knee, week 2: 2 exercises" in heard
    assert "Keep your heel on the bed as it slides." in heard
    assert "Exercise 1 of 2: mini heel slides" in heard and "10 reps" in heard
    assert patient.talk.plan is not None and patient.talk.plan["tempo"] == "slow"
    heard = patient.say("next")
    assert "Exercise 2 of 2: quad sets" in heard and "8 reps" in heard
    assert patient.talk.plan is not None and patient.talk.plan["tempo"] == "normal"
    patient.say("slower")
    assert patient.talk.plan["tempo"] == "slow"
    assert "That's your plan done for this snack" in patient.talk.text(patient.talk.last)
    assert "of your 3 movement snacks" in patient.say("how am I doing")


def test_no_to_the_read_back_links_nothing(
    backend: Backend, plans: PlanStore, knee: StoredPlan
) -> None:
    patient = Patient(backend)
    patient.say(ASK + "my plan code is " + spaced(knee.code))
    assert "haven't added it" in patient.say("no")
    assert plans.user_state(user_key_of(patient))[0] is None
    assert "don't have a plan from a physical therapist" in patient.say("start my plan")


def test_a_code_asked_for_then_said_alone(backend: Backend, knee: StoredPlan) -> None:
    patient = Patient(backend)
    assert "six digit code" in patient.say(ASK + "I have a code from my physical therapist")
    assert "Shall I add this plan" in patient.say(spaced(knee.code))


def test_five_wrong_codes_lock_linking_for_an_hour(
    backend: Backend, plans: PlanStore, knee: StoredPlan
) -> None:
    patient = Patient(backend)
    wrong = "999999" if knee.code != "999999" else "999998"
    for left in ("4 more tries", "3 more tries", "2 more tries", "1 more try"):
        assert f"You have {left}" in patient.say("use plan code " + spaced(wrong))
    assert "locked for an hour" in patient.say("use plan code " + spaced(wrong))
    # Even the right code is refused while locked, and says so plainly.
    assert "locked for now" in patient.say("use plan code " + spaced(knee.code))
    assert "60 minutes" in patient.talk.text(patient.talk.last)
    backend.clock.now += timedelta(minutes=61)
    patient.new_session()
    assert "Shall I add this plan" in patient.say(ASK + "use plan code " + spaced(knee.code))


def test_a_misheard_code_costs_no_try(backend: Backend, plans: PlanStore) -> None:
    patient = Patient(backend)
    assert "didn't catch six digits" in patient.say("use plan code 4 8 2")
    assert plans.user_state(user_key_of(patient))[1].tries == 0


def test_expired_and_revoked_codes_are_said_plainly(
    backend: Backend, plans: PlanStore, knee: StoredPlan
) -> None:
    short = create_plan(plans, knee.plan, backend.clock.now, days=1)
    backend.clock.now += timedelta(days=2)
    patient = Patient(backend)
    assert "has expired" in patient.say(ASK + "use plan code " + spaced(short.code))
    plans.revoke(knee.code)
    assert "no longer in use" in patient.say("use plan code " + spaced(knee.code))
    assert plans.user_state(user_key_of(patient))[1].tries == 0


def test_sharing_no_then_share_then_withdraw(
    backend: Backend, plans: PlanStore, knee: StoredPlan
) -> None:
    patient = Patient(backend)
    link(patient, knee.code, share=False)
    assert plans.patients(knee.code)[1][0].sharing is False
    assert "can now see" in patient.say("share my progress with my therapist")
    assert plans.patients(knee.code)[1][0].sharing is True
    assert "no longer sees" in patient.say("stop sharing my progress")
    assert plans.patients(knee.code)[1][0].sharing is False
    assert "It isn't shared with Riverside Physio" in patient.say("what's my plan")


def test_sharing_question_names_pain_ratings_where_stored(
    backend: Backend, knee: StoredPlan
) -> None:
    patient = Patient(backend, pain=True)
    patient.say(ASK + "use plan code " + spaced(knee.code))
    assert "and the pain ratings you give me" in patient.say("yes")


def test_launch_offers_the_plan_and_yes_starts_it(backend: Backend, knee: StoredPlan) -> None:
    patient = Patient(backend)
    link(patient, knee.code, share=True)
    patient.new_session()
    heard = patient.talk.launch()
    assert "Would you like to do your plan from Riverside Physio, Knee, week 2?" in heard
    assert "Here is your plan from Riverside Physio" in patient.say("yes")


def test_delete_my_data_removes_the_link(
    backend: Backend, plans: PlanStore, knee: StoredPlan
) -> None:
    patient = Patient(backend)
    link(patient, knee.code, share=True)
    patient.say("delete my data")
    patient.say("yes")
    assert plans.user_state(user_key_of(patient))[0] is None
    assert plans.patients(knee.code)[1] == ()


def test_remove_my_plan_gives_the_goal_back(
    backend: Backend, plans: PlanStore, knee: StoredPlan
) -> None:
    patient = Patient(backend)
    patient.say(ASK + "set my daily goal to 8")
    link(patient, knee.code, share=True)
    assert "back to 8 movement snacks" in patient.say("remove my plan")
    assert plans.patients(knee.code)[1] == ()
    assert "your daily goal is 8" in patient.say("how am I doing")


def test_an_exercise_gone_from_the_catalog_is_skipped(backend: Backend, plans: PlanStore) -> None:
    old = PrescribedPlan(
        "Hip",
        "Riverside Physio",
        2,
        (PlanExercise("retired_move", 5), PlanExercise("quad_sets", 6)),
    )
    stored = create_plan(plans, old, backend.clock.now, days=30)
    patient = Patient(backend)
    assert "one exercise that's no longer available" in patient.say(
        ASK + "use plan code " + spaced(stored.code)
    )
    patient.say("yes")
    patient.say("no")
    heard = patient.say("start my plan")
    assert "1 exercise of your plan is no longer available here, so I'll skip it" in heard
    assert "Quad sets" in heard and "6 reps" in heard


@pytest.mark.integration
def test_the_skill_calls_only_the_granted_dynamodb_actions(
    dynamodb_client: Any, table_name: str
) -> None:
    """Prevents: a plan feature that works on dynalite and is refused by the IAM policy
    (the SAM template grants exactly IAM_ACTIONS; tests/infrastructure checks that)."""
    from skill.progress.dynamodb_store import IAM_ACTIONS, DynamoDbStore

    clock = FakeClock(START)
    store = DynamoDbStore(table_name, client=dynamodb_client, clock=clock)
    backend = Backend("dynamodb", store, clock, lambda key: 0, store)
    knee = example_plan(plan_store_for(store), backend)
    called: set[str] = set()

    def record(model: Any, **_: Any) -> None:
        called.add(f"dynamodb:{model.name}")

    events = dynamodb_client.meta.events
    events.register("before-call.dynamodb", record)
    try:
        patient = Patient(backend)
        link(patient, knee.code, share=True)
        patient.say("use plan code " + spaced("999999" if knee.code != "999999" else "999998"))
        patient.say("start my plan")
        patient.say("stop sharing my progress")
        patient.say("remove my plan")
        link(patient, knee.code, share=False)
        patient.say("delete my data")
        patient.say("yes")
        disable(patient)
    finally:
        events.unregister("before-call.dynamodb", record)
    assert called and called <= set(IAM_ACTIONS), called - set(IAM_ACTIONS)


def test_disabling_the_skill_removes_the_links(
    backend: Backend, plans: PlanStore, knee: StoredPlan
) -> None:
    patient = Patient(backend)
    link(patient, knee.code, share=True)
    disable(patient)
    assert plans.patients(knee.code)[1] == ()
    assert plans.user_state(user_key_of(patient))[0] is None


def disable(patient: Patient) -> None:
    event = skill_disabled_event(patient.talk.conversation.user_id, "NOT_PERSISTED")
    invoke_json(patient.talk.skill, event)


class DownPlanStore:
    """A plan store whose every call fails as an unreachable store does."""

    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise StoreUnavailableError("down")

        return fail


def test_a_plan_store_that_is_down_gets_an_honest_answer(backend: Backend) -> None:
    skill = build_skill(
        Settings(),
        backend.store,
        clock=backend.clock,
        time_zones=no_lookup,
        plans=DownPlanStore(),  # type: ignore[arg-type]
    )
    talk = Talk(skill, backend.store)  # type: ignore[arg-type]
    assert "Would you like a quick two minute movement snack?" in talk.launch()
    for said in ("use plan code 4 8 2 9 1 3", "start my plan", "what's my plan", "stop sharing"):
        assert "can't reach plans from your physical therapist" in talk.say(said)
        assert talk.session_open


def test_the_lambda_path_never_loads_the_report() -> None:
    """Prevents: matplotlib (or the report) creeping into the Lambda's cold start."""
    code = (
        "import sys, skill.lambda_function, skill.builder;"
        "bad = [m for m in sys.modules if m.startswith(('matplotlib', 'skill.plans.report'))];"
        "print(bad)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
