"""Compose what the skill says around a guided set: intro, the paced set, what next.

The paced part comes from the set's timeline: one ``<audio>`` tag when a rendered
MP3 of that exact variant is published, otherwise the same cues as SSML breaks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from skill.routines.catalog import Catalog
from skill.routines.model import Exercise
from skill.routines.pacing import Timeline, compile_set
from skill.routines.plan import Plan
from skill.speech.messages import Messages
from skill.speech.ssml import Speech


class AudioSource(Protocol):
    """Published MP3s of guided sets, by timeline key (see the audio build)."""

    def url_for(self, timeline: Timeline) -> str | None: ...


def set_timeline(catalog: Catalog, plan: Plan) -> Timeline:
    exercise = catalog.exercise(plan.exercise_id)
    # The set's place in the session's run of sets picks its encouragement
    # (pacing.encouragement_for, plan.next_in_session).
    return compile_set(exercise, plan.reps_for(catalog), plan.tempo, place=plan.place)


def exercise_intro(messages: Messages, exercise: Exercise, plan: Plan, reps: int) -> list[str]:
    setup = " ".join(exercise.setup)
    if len(plan.exercise_ids) > 1:
        intro = messages.say(
            "routine.exercise_intro_numbered",
            number=plan.index + 1,
            count=len(plan.exercise_ids),
            exercise=exercise.name,
            setup=setup,
        )
    else:
        # It opens a sentence here: "Pelvic tilts. Lie on your back..."
        name = exercise.name[:1].upper() + exercise.name[1:]
        intro = messages.say("routine.exercise_intro", exercise=name, setup=setup)
    plan_key = "routine.reps_plan_sides" if exercise.has_sides else "routine.reps_plan"
    return [
        intro,
        exercise.safety,
        messages.say(plan_key, reps=messages.count("unit.reps", reps)),
        messages.say("routine.ready"),
    ]


def guided_set(
    speech: Speech,
    catalog: Catalog,
    messages: Messages,
    plan: Plan,
    audio: AudioSource | None = None,
) -> Speech:
    """Append the intro and the paced set of the plan's current exercise to ``speech``."""
    exercise = catalog.exercise(plan.exercise_id)
    timeline = set_timeline(catalog, plan)
    speech.say(*exercise_intro(messages, exercise, plan, timeline.reps))
    url = audio.url_for(timeline) if audio is not None else None
    if url is not None:
        return speech.audio(url)
    return speech.pause(800).timeline(timeline)


def after_set(messages: Messages, catalog: Catalog, plan: Plan) -> tuple[str, str]:
    """What to say once the set is over, and the reprompt: next exercise, or the end."""
    if plan.is_last:
        if plan.routine_id is not None:
            done = messages.say("routine.finished", routine=catalog.routine(plan.routine_id).name)
        elif plan.step_reps:  # a therapist's plan (skill/handlers/plan.py)
            done = messages.say("plan.finished")
        else:
            done = messages.say(
                "routine.finished_single", exercise=catalog.exercise(plan.exercise_id).name
            )
        # The pain check-in closes every routine; answering it counts the last set.
        return (
            f"{done} {messages.say('progress.pain_question')}",
            messages.say("progress.pain_reprompt"),
        )
    upcoming = catalog.exercise(plan.exercise_ids[plan.index + 1]).name
    return (
        f"{messages.say('routine.after_set')} {messages.say('routine.up_next', exercise=upcoming)}",
        messages.say("routine.up_next_reprompt", exercise=upcoming),
    )


def routine_minutes(catalog: Catalog, plan: Plan) -> int:
    total_ms = 0
    for index in range(len(plan.exercise_ids)):
        step = replace(plan, index=index)
        # Each set plus roughly 20 s for its spoken setup.
        total_ms += set_timeline(catalog, step).duration_ms + 20_000
    return max(1, round(total_ms / 60_000))
