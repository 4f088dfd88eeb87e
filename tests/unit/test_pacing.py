"""The timeline is the single source of a set's pacing (DESIGN.md section 2).

A set sounds like a therapist counting a patient through it: taught once per
side, then short cues on the beat, every rep counted, one encouragement.
"""

from __future__ import annotations

import itertools

import pytest

from skill.routines.catalog import load_catalog
from skill.routines.model import Exercise, Tempo
from skill.routines.pacing import (
    Cue,
    CueKind,
    Timeline,
    compile_set,
    estimated_speech_ms,
    phase_slot_ms,
)

CATALOG = load_catalog("en-US")
EXERCISES = list(CATALOG.exercises.values())
NUMBERS = CATALOG.cues.numbers


def sides_of(timeline: Timeline, exercise: Exercise) -> list[list[Cue]]:
    """The cues of each side, in order (a sideless exercise has one)."""
    names = exercise.sides or (None,)
    return [[c for c in timeline.cues if c.side == name and c.rep] for name in names]


def later_rep_words(exercise: Exercise, rep: int, first_side: bool) -> list[str]:
    """What a therapist says on a later rep: each phase's short cue, nothing in a
    quiet phase, the count as the cue of a counted one (or after the rep), the
    breath reminded once per set, on the first side's second rep."""
    said = []
    for phase in exercise.phases:
        if phase.counted:
            said.append(f"{NUMBERS[rep].capitalize()}.")
        elif rep == 2 and first_side and phase.breath:
            said.append(phase.breath)
        elif phase.short:
            said.append(phase.short)
    if not exercise.phases[-1].counted:
        said.append(f"{NUMBERS[rep].capitalize()}.")
    return said


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_each_side_is_taught_once_then_cued_short_and_counted_one_to_n(
    exercise: Exercise,
) -> None:
    reps = exercise.reps
    timeline = compile_set(exercise, reps, Tempo.NORMAL)
    for index, side_cues in enumerate(sides_of(timeline, exercise)):
        texts = [c.text for c in side_cues]
        taught = [c.text for c in side_cues if c.rep == 1 and c.kind is CueKind.PHASE]
        assert taught == [phase.cue for phase in exercise.phases]
        for phase in exercise.phases:
            if phase.cue not in (phase.short, phase.breath):  # "Hold." may teach and cue
                assert texts.count(phase.cue) == 1, phase.cue
        counts = [c.text for c in side_cues if c.kind is CueKind.COUNT]
        assert counts == [f"{NUMBERS[n].capitalize()}." for n in range(1, reps + 1)]
        for rep in range(2, reps + 1):
            said = [
                c.text
                for c in side_cues
                if c.rep == rep and c.kind in (CueKind.SHORT, CueKind.COUNT)
            ]
            assert said == later_rep_words(exercise, rep, first_side=index == 0)


def test_pelvic_tilts_sound_like_a_therapist_counting() -> None:
    """Taught once; then "tilt", the hold trusted in silence, the count as the release."""
    tilts = CATALOG.exercise("pelvic_tilts")
    timeline = compile_set(tilts, reps=3, tempo=Tempo.NORMAL)
    assert [c.text for c in timeline.cues] == [
        "Breathe out and tilt your pelvis back, flattening your lower back.",
        "Hold.",
        "And release.",
        "One.",
        "Breathe out, tilt.",
        "Two.",
        "Tilt.",
        "Three.",
        "And relax.",
    ]


def test_a_breath_reminder_is_given_once_per_set() -> None:
    quads = CATALOG.exercise("quad_sets")
    heard = [c.text for c in compile_set(quads, 8, Tempo.NORMAL).cues]
    assert heard.count("Hold, keep breathing.") == 1 and heard.count("Hold.") == 1
    heel_slides = CATALOG.exercise("heel_slides")
    ankles = CATALOG.exercise("ankle_rolls")
    for exercise in (heel_slides, ankles):
        for cue in compile_set(exercise, 6, Tempo.SLOW).cues:
            if cue.text in {p.breath for p in exercise.phases if p.breath}:
                assert (cue.rep, cue.side) == (2, (exercise.sides or (None,))[0])


def later_phase_starts(exercise: Exercise, tempo: Tempo, count: Cue) -> list[int]:
    """Where each phase of a later rep must start, found from the rep's count: the
    cue of a counted last phase, or said once the rep's phases are over."""
    seconds = [p.duration_ms(tempo) for p in exercise.phases]
    before_count = sum(seconds[:-1]) if exercise.phases[-1].counted else sum(seconds)
    return list(itertools.accumulate([count.start_ms - before_count, *seconds[:-1]]))


@pytest.mark.parametrize("tempo", list(Tempo))
@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_no_later_phase_lasts_longer_than_its_catalog_seconds(
    exercise: Exercise, tempo: Tempo
) -> None:
    """Every later phase starts on its beat and its words are said within its seconds;
    a quiet phase hears nothing."""
    timeline = compile_set(exercise, exercise.max_reps, tempo)
    for side_cues in sides_of(timeline, exercise):
        for rep in range(2, exercise.max_reps + 1):
            cues = [c for c in side_cues if c.rep == rep]
            (count,) = [c for c in cues if c.kind is CueKind.COUNT]
            starts = later_phase_starts(exercise, tempo, count)
            in_phases = [c for c in cues if c.kind is CueKind.SHORT]
            if exercise.phases[-1].counted:
                in_phases.append(count)
            for cue in in_phases:
                index = starts.index(cue.start_ms)
                phase = exercise.phases[index]
                assert not phase.quiet or cue.text == phase.breath
                assert estimated_speech_ms(cue.text) <= phase.duration_ms(tempo)


def test_the_first_rep_may_take_longer_to_teach_but_never_less_than_the_movement() -> None:
    tilts = CATALOG.exercise("pelvic_tilts")
    tilt = tilts.phases[0]
    assert phase_slot_ms(tilt, 1, Tempo.FAST) == estimated_speech_ms(tilt.cue) > 2500
    assert phase_slot_ms(tilt, 1, Tempo.SLOW) == max(4000, estimated_speech_ms(tilt.cue))
    assert phase_slot_ms(tilt, 3, Tempo.FAST) == 2500


def test_slower_changes_the_silences_not_the_words() -> None:
    tilts = CATALOG.exercise("pelvic_tilts")
    slow = compile_set(tilts, reps=3, tempo=Tempo.SLOW)
    fast = compile_set(tilts, reps=3, tempo=Tempo.FAST)
    assert [c.text for c in slow.cues] == [c.text for c in fast.cues]
    assert slow.duration_ms > fast.duration_ms


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if e.sides], ids=lambda e: e.id)
def test_sided_exercises_work_every_side_in_turn_and_restart_the_count(
    exercise: Exercise,
) -> None:
    timeline = compile_set(exercise, reps=2, tempo=Tempo.NORMAL)
    side_cues = [c for c in timeline.cues if c.kind is CueKind.SIDE]
    assert [c.side for c in side_cues] == list(exercise.sides)
    assert exercise.sides[1] in side_cues[1].text and side_cues[1].text.startswith("Now")
    after_switch = timeline.cues[timeline.cues.index(side_cues[1]) + 1]
    assert after_switch.text == exercise.phases[0].cue and after_switch.rep == 1
    starts = [c.start_ms for c in timeline.cues]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def encouragements(timeline: Timeline) -> list[tuple[int, str]]:
    return [(c.rep, c.text) for c in timeline.cues if c.kind is CueKind.ENCOURAGEMENT]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_one_encouragement_past_the_middle_of_sets_of_five_or_more(exercise: Exercise) -> None:
    for reps in range(1, exercise.max_reps + 1):
        heard = encouragements(compile_set(exercise, reps, Tempo.NORMAL))
        if reps < 5:
            assert heard == []
        else:
            ((after, _words),) = heard
            assert reps / 2 < after < reps


def test_the_encouragement_says_how_many_reps_are_left() -> None:
    quads = CATALOG.exercise("quad_sets")
    # Place 1 (a routine's second set) gets the second words: "{remaining} more."
    assert encouragements(compile_set(quads, 5, Tempo.NORMAL, place=1)) == [(3, "Two more.")]
    assert encouragements(compile_set(quads, 8, Tempo.NORMAL, place=1)) == [(5, "Three more.")]


def test_sets_in_a_row_of_any_routine_never_hear_the_same_encouragement() -> None:
    for routine in CATALOG.routines.values():
        # Five reps each, so every step speaks one and "{remaining}" is the same number.
        heard = [
            encouragements(compile_set(CATALOG.exercise(step.exercise_id), 5, Tempo.FAST, place))
            for place, step in enumerate(routine.steps)
        ]
        for before, after in itertools.pairwise(heard):
            assert before[0][1] != after[0][1], routine.id


def test_the_same_set_at_the_same_place_always_sounds_the_same() -> None:
    """Prevents hidden state: the audio build renders exactly what the skill will say."""
    quads = CATALOG.exercise("quad_sets")
    first = compile_set(quads, 8, Tempo.NORMAL, place=2)
    again = compile_set(quads, 8, Tempo.NORMAL, place=2)
    assert first == again and first.key == "quad_sets-normal-8-e2"
    assert compile_set(quads, 8, Tempo.NORMAL, place=3).key == "quad_sets-normal-8"
