"""What the plan handlers share: the plan store of the turn, read-backs, the launch offer."""

from __future__ import annotations

import logging

from skill.plans.model import Attempts, Link, PrescribedPlan, StoredPlan
from skill.plans.store import PlanStore
from skill.progress.store import StoreError
from skill.routines.model import Tempo
from skill.routines.plan import Plan
from skill.turn.context import Turn

log = logging.getLogger(__name__)

PLAN_OFFER = "plan"
ITEM_KEYS = {
    Tempo.SLOW: "plan.exercise_item_slow",
    Tempo.NORMAL: "plan.exercise_item",
    Tempo.FAST: "plan.exercise_item_fast",
}


class PlansUnavailableError(StoreError):
    """This deployment has no plan store (the progress store offers none)."""


def plans(turn: Turn) -> PlanStore:
    store = turn.services.plans
    if store is None:
        raise PlansUnavailableError("no plan store")
    return store


def user_plan(turn: Turn) -> tuple[Link | None, StoredPlan | None, Attempts]:
    """The user's link, its plan (None when gone) and wrong tries: the plan store's reads."""
    store = plans(turn)
    link, attempts = store.user_state(turn.user_key)
    stored = store.find(link.code) if link is not None else None
    return link, stored, attempts


def exercises_said(turn: Turn, plan: PrescribedPlan) -> str:
    items = []
    for prescribed in plan.exercises:
        exercise = turn.catalog.exercises.get(prescribed.id)
        if exercise is None:
            items.append(turn.messages.say("plan.exercise_gone"))
            continue
        reps = turn.messages.count("unit.reps", min(prescribed.reps, exercise.max_reps))
        items.append(
            turn.messages.say(ITEM_KEYS[prescribed.tempo], exercise=exercise.name, reps=reps)
        )
    return turn.messages.join(items, "and")


def read_back(turn: Turn, plan: PrescribedPlan, key: str = "plan.read_back") -> str:
    per_day = turn.messages.count("progress.count.snacks", plan.per_day)
    return turn.messages.say(
        key,
        title=plan.title,
        clinic=plan.clinic,
        exercises=exercises_said(turn, plan),
        per_day=per_day,
    )


def session_plan(turn: Turn, plan: PrescribedPlan) -> tuple[Plan | None, int]:
    """The guided session of ``plan`` and how many of its exercises left the catalog."""
    kept = [e for e in plan.exercises if e.id in turn.catalog.exercises]
    if not kept:
        return None, len(plan.exercises)
    guided = Plan(
        None,
        tuple(e.id for e in kept),
        tempo=kept[0].tempo,
        step_reps=tuple(e.reps for e in kept),
        step_tempos=tuple(e.tempo.value for e in kept),
    )
    return guided, len(plan.exercises) - len(kept)


def launch_offer(turn: Turn) -> str | None:
    """The launch greeting's offer of the user's live plan, if they have one."""
    if turn.services.plans is None:
        return None
    try:
        link, stored, _ = user_plan(turn)
    except StoreError as exc:
        log.warning("reading the user's plan failed: %s", type(exc).__name__)
        return None
    if link is None or stored is None or not stored.is_live(turn.now):
        return None
    plan = stored.plan
    return turn.messages.say("plan.launch_offer", clinic=plan.clinic, title=plan.title)
