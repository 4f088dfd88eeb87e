"""A bare number or "that hurts" is understood from the question just asked."""

from __future__ import annotations

from tests.conftest import Talk

THERAPIST = "physical therapist"


def test_a_bare_number_mid_routine_is_not_taken_as_pain(talk: Talk) -> None:
    talk.say("ask movement snacks to start back care")
    text = talk.say("seven")
    assert "not sure what for" in text and "my pain is 7" in text
    assert talk.session_open and talk.plan is not None  # the routine goes on


def test_a_number_after_the_reps_question_sets_the_reps(talk: Talk) -> None:
    talk.say("ask movement snacks to start back care")
    assert "from 1 to 15 reps" in talk.say("do 40 reps")
    text = talk.say("seven")
    assert "We'll do 7 reps" in text and "Seven." in text and "Eight." not in text


def test_a_number_after_the_goal_question_sets_the_goal(talk: Talk) -> None:
    talk.launch()
    assert "How many would you like" in talk.say("set my daily goal to 50")
    assert "daily goal is now 10" in talk.say("ten")


def test_a_number_after_the_last_set_is_the_pain_rating(talk: Talk) -> None:
    last = talk.say("ask movement snacks to start pelvic tilts")
    assert last.endswith("How did that feel, from 0 for no pain to 10?")
    assert "another movement snack" in talk.say("2")


def test_saying_it_hurts_stops_the_movement_and_asks_how_it_feels(talk: Talk) -> None:
    talk.say("ask movement snacks to start back care")
    text = talk.say("ouch")
    assert "stop that movement" in text and "How does it feel now" in text
    assert talk.session_open


def test_moderate_pain_ends_the_routine_without_offering_more(talk: Talk) -> None:
    talk.say("ask movement snacks to start back care")
    talk.say("that hurts")
    text = talk.say("five")
    assert "stop here and rest" in text and "another" not in text
    assert not talk.session_open


def test_high_pain_suggests_the_therapist(talk: Talk) -> None:
    talk.say("ask movement snacks to start back care")
    talk.say("it hurts")
    text = talk.say("about an eight")
    assert THERAPIST in text and not talk.session_open
