"""Turning what the user did into store updates (a completed set counts exactly once)."""

from __future__ import annotations

from skill.handlers.turn import Turn
from skill.progress.store import Completion
from skill.routines.plan import Plan
from skill.speech.guide import set_timeline


def record_completion(turn: Turn, plan: Plan) -> None:
    """Count the plan's current set if it was delivered: the user moved on after hearing it.

    The id comes from the Alexa request id, so a retried delivery counts once.
    """
    if not plan.delivered:
        return
    timeline = set_timeline(turn.catalog, plan)
    request_id = turn.handler_input.request_envelope.request.request_id or ""
    turn.pending.completions.append(
        Completion(
            completion_id=f"{request_id}#{plan.index}",
            exercise_id=plan.exercise_id,
            routine_id=plan.routine_id,
            reps=timeline.reps,
            seconds=round(timeline.duration_ms / 1000),
            local_day=turn.now.date(),
            at=turn.now,
        )
    )
