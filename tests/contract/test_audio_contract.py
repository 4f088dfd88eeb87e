"""Contracts between the skill's guided sets and the audio build (audio/ <-> skill/)."""

from __future__ import annotations

from audio.build import routine_jobs, set_jobs
from skill.routines.catalog import load_catalog
from skill.routines.model import Tempo
from skill.routines.plan import Plan
from skill.speech.guide import set_timeline

CATALOG = load_catalog("en-US")


def test_every_set_the_skill_can_guide_is_a_build_variant() -> None:
    """Prevents sets that always fall back to SSML because the build never renders them:
    each routine step, each exercise alone, at every tempo and every rep count a user
    may ask for (1 to max_reps)."""
    built = {job.key for job in set_jobs(CATALOG)}
    plans = [Plan.for_routine(r) for r in CATALOG.routines.values()]
    plans += [Plan.for_exercise(e) for e in CATALOG.exercises.values()]
    asked = set()
    for plan in plans:
        for index, exercise_id in enumerate(plan.exercise_ids):
            max_reps = CATALOG.exercise(exercise_id).max_reps
            for tempo in Tempo:
                for reps in (None, *range(1, max_reps + 1)):
                    step = Plan(plan.routine_id, plan.exercise_ids, index, reps, tempo)
                    asked.add(set_timeline(CATALOG, step).key)
    assert asked - built == set()


def test_every_routine_has_a_track_with_a_chapter_per_exercise() -> None:
    """Prevents hands-free next/previous jumping to the wrong exercise."""
    jobs = {job.key: job for job in routine_jobs(CATALOG)}
    assert set(jobs) == set(CATALOG.routines)
    for routine in CATALOG.routines.values():
        chapters = jobs[routine.id].chapters
        assert [exercise_id for exercise_id, _ in chapters] == [
            s.exercise_id for s in routine.steps
        ]
        starts = [ms for _, ms in chapters]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_a_hands_free_routine_says_each_set_as_the_step_by_step_session_does() -> None:
    """Prevents the routine track and the guided sets from disagreeing on a set's
    words (its encouragement is picked by the set's place in the routine)."""
    jobs = {job.key: job for job in routine_jobs(CATALOG)}
    for routine in CATALOG.routines.values():
        (layout,) = jobs[routine.id].layouts
        track_words = [cue.text for cue in layout.cues]
        plan = Plan.for_routine(routine)
        for index in range(len(routine.steps)):
            step = Plan(plan.routine_id, plan.exercise_ids, index)
            words = [cue.text for cue in set_timeline(CATALOG, step).cues]
            spans = range(len(track_words) - len(words) + 1)
            assert any(track_words[i : i + len(words)] == words for i in spans), (routine.id, index)
