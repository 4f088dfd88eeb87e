"""Turning what the user did into store updates (a completed set counts exactly once)."""

from __future__ import annotations

from skill.handlers.turn import Turn
from skill.progress.store import Completion, UserSnapshot
from skill.progress.summary import streak_greeting, summarize
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
            local_day=turn.local_today(),
            at=turn.now,
        )
    )


def welcome_back(turn: Turn, snapshot: UserSnapshot) -> str:
    """The launch greeting for a returning user: with their streak when they have one."""
    greeting = streak_greeting(summarize(snapshot, turn.local_today()), turn.messages)
    return greeting or turn.messages.say("launch.welcome_back")
