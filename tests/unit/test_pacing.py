"""The timeline is the single source of a set's pacing (DESIGN.md section 2)."""

from __future__ import annotations

import itertools

import pytest

from skill.routines.catalog import load_catalog
from skill.routines.model import Tempo
from skill.routines.pacing import CueKind, compile_set, estimated_speech_ms

CATALOG = load_catalog("en-US")


def test_pelvic_tilt_phases_follow_each_other_at_their_planned_times() -> None:
    tilts = CATALOG.exercise("pelvic_tilts")
    timeline = compile_set(tilts, reps=2, tempo=Tempo.NORMAL)
    first_rep = [c for c in timeline.cues if c.rep == 1]
    assert [c.text for c in first_rep] == [p.cue for p in tilts.phases]
    gaps = [b.start_ms - a.start_ms for a, b in itertools.pairwise(first_rep)]
    # The tilt lasts its 3 s, or longer if its words take longer to say; the hold 2 s.
    assert gaps == [max(3000, estimated_speech_ms(tilts.phases[0].cue)), 2000]
    assert [c.text for c in timeline.cues if c.kind is CueKind.COUNT] == ["Two."]


def test_slower_tempo_makes_a_longer_set_with_the_same_cues() -> None:
    tilts = CATALOG.exercise("pelvic_tilts")
    slow = compile_set(tilts, reps=3, tempo=Tempo.SLOW)
    fast = compile_set(tilts, reps=3, tempo=Tempo.FAST)
    assert [c.text for c in slow.cues] == [c.text for c in fast.cues]
    assert slow.duration_ms > fast.duration_ms


@pytest.mark.parametrize("exercise", [e for e in CATALOG.exercises.values() if e.sides])
def test_sided_exercises_work_every_side_in_turn(exercise: object) -> None:
    from skill.routines.model import Exercise

    assert isinstance(exercise, Exercise)
    timeline = compile_set(exercise, reps=2, tempo=Tempo.NORMAL)
    side_cues = [c for c in timeline.cues if c.kind is CueKind.SIDE]
    assert [c.side for c in side_cues] == list(exercise.sides)
    assert "switch" in side_cues[1].text
    starts = [c.start_ms for c in timeline.cues]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
