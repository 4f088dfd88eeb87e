"""Turning what the user did into store updates (a completed set counts exactly once)."""

from __future__ import annotations

from dataclasses import replace

from skill.handlers.turn import Turn
from skill.progress.localtime import local_day
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
            local_day=local_day(turn.heard_at, turn.time_zone),
            at=turn.heard_at,
        )
    )


def welcome_back(turn: Turn, snapshot: UserSnapshot) -> str:
    """The launch greeting for a returning user: with their streak when they have one."""
    greeting = streak_greeting(summarize(snapshot, turn.local_today()), turn.messages)
    return greeting or turn.messages.say("launch.welcome_back")


def keep_place(turn: Turn, *, heard_to_the_end: bool) -> None:
    """The session is ending mid-routine: keep the user's place for "resume".

    A set counts only when we know it was heard to its end (Alexa closed the
    session after our reprompt went unanswered), or when it was the routine's
    last one, whose closing words were "that's it done". Otherwise the user may
    have stopped it midway, so the same exercise waits for them.
    """
    plan = turn.plan
    if plan is None:
        return
    if plan.delivered and (heard_to_the_end or plan.is_last):
        record_completion(turn, plan)
        if plan.is_last:
            turn.pending.bookmark = None
            return
        plan = plan.moved(+1)
    turn.pending.bookmark = replace(plan, delivered=False).to_bookmark()
