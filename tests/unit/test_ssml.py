"""SSML: well-formed, within Alexa's limits, for every set the skill can speak."""

from __future__ import annotations

import itertools

import pytest

from skill.routines.catalog import load_catalog
from skill.routines.model import Tempo
from skill.routines.plan import Plan
from skill.speech.guide import after_set, guided_set
from skill.speech.messages import messages_for
from skill.speech.ssml import Speech, ssml_to_text, validate_ssml

CATALOG = load_catalog("en-US")
MESSAGES = messages_for("en-US")


def test_long_pauses_are_chained_breaks_of_at_most_ten_seconds() -> None:
    ssml = Speech().say("Hold.").pause(23_500).ssml()
    assert ssml.count("<break") == 3
    assert validate_ssml(ssml) == []
    assert "(pause 23.5s)" in ssml_to_text(ssml)


def test_text_is_escaped_so_the_xml_stays_valid() -> None:
    ssml = Speech().say("Knees & toes <gently>").ssml()
    assert validate_ssml(ssml) == []
    assert ssml_to_text(ssml) == "Knees & toes <gently>"


@pytest.mark.parametrize(
    ("ssml", "problem"),
    [
        ("<speak>unclosed", "well-formed"),
        ("<p>no speak root</p>", "root"),
        ('<speak><break time="11s"/></speak>', "break"),
        ("<speak><blink>hi</blink></speak>", "unsupported"),
        ('<speak><audio src="http://x/a.mp3"/></speak>', "https"),
        ("<speak>" + '<audio src="https://x/a.mp3"/>' * 6 + "</speak>", "at most 5"),
        ("<speak>" + "word " * 2000 + "</speak>", "characters"),
    ],
)
def test_the_validator_catches_what_makes_alexa_silent(ssml: str, problem: str) -> None:
    assert any(problem in p for p in validate_ssml(ssml))


@pytest.mark.parametrize(
    ("exercise_id", "tempo"), list(itertools.product(sorted(CATALOG.exercises), list(Tempo)))
)
def test_every_guided_set_at_every_length_is_valid_ssml(exercise_id: str, tempo: Tempo) -> None:
    exercise = CATALOG.exercise(exercise_id)
    for reps in (1, exercise.reps, exercise.max_reps):
        plan = Plan(None, (exercise_id,), reps=reps, tempo=tempo)
        speech = Speech().say(MESSAGES.say("routine.safety_reminder"))
        guided_set(speech, CATALOG, MESSAGES, plan)
        speech.say(after_set(MESSAGES, CATALOG, plan)[0])
        assert validate_ssml(speech.ssml()) == [], (exercise_id, tempo, reps)
