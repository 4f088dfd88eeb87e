"""Two sets in a row never hear the same encouragement, whether a routine's steps or
single exercises asked for one after another (issue 11): the session counts its sets."""

from __future__ import annotations

import itertools

from skill.routines.catalog import load_catalog
from tests.conftest import Talk

CUES = load_catalog("en-US").cues


def encouragement_in(text: str) -> str:
    """The one encouragement a set of eight or five reps says (reps to go: three or two)."""
    phrases = {
        CUES.encouragement(index, remaining)
        for index in range(len(CUES.encouragements))
        for remaining in (2, 3)
    }
    (heard,) = [phrase for phrase in phrases if phrase in text]
    return heard


def test_two_single_exercises_in_a_row_hear_different_encouragements(talk: Talk) -> None:
    first = encouragement_in(talk.say("start pelvic tilts"))
    second = encouragement_in(talk.say("start quad sets"))
    assert first != second
    # Answering "how did that feel" ends the exercise, not the session's count.
    talk.say("my pain is 2")
    third = encouragement_in(talk.say("start pelvic tilts"))
    assert third != second


def test_a_repeated_set_hears_the_next_encouragement(talk: Talk) -> None:
    first = encouragement_in(talk.say("start quad sets"))
    assert encouragement_in(talk.intent("AMAZON.RepeatIntent")) != first


def test_consecutive_sets_of_a_routine_hear_different_encouragements(talk: Talk) -> None:
    heard = [encouragement_in(talk.say("start my knee routine"))]
    for _ in range(2):
        heard.append(encouragement_in(talk.intent("AMAZON.NextIntent")))
    assert all(before != after for before, after in itertools.pairwise(heard)), heard
