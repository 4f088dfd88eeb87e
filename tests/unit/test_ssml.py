"""SSML: well-formed, within Alexa's limits, for every set the skill can speak."""

from __future__ import annotations

import itertools
import re

import pytest

from skill.routines.catalog import load_catalog
from skill.routines.model import Tempo
from skill.routines.pacing import compile_set, estimated_speech_ms
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


def test_the_ssml_says_the_timeline_s_words_each_followed_by_the_rest_of_its_slot() -> None:
    """Prevents `make chat`/SSML and the MP3 from drifting apart: same words, same times."""
    quads = CATALOG.exercise("quad_sets")
    timeline = compile_set(quads, 8, Tempo.FAST, place=1)
    said: list[tuple[str, int]] = []
    for part in Speech().timeline(timeline).parts:
        if match := re.fullmatch(r'<break time="(\d+)ms"/>', part):
            said[-1] = (said[-1][0], said[-1][1] + int(match.group(1)))
        else:
            said.append((part, 0))
    ends = [c.start_ms for c in timeline.cues[1:]] + [timeline.duration_ms]
    rests = [
        end - c.start_ms - estimated_speech_ms(c.text)
        for c, end in zip(timeline.cues, ends, strict=True)
    ]
    # A rest under a tenth of a second is not worth a break of its own.
    assert said == [
        (c.text, r if r >= 100 else 0) for c, r in zip(timeline.cues, rests, strict=True)
    ]
    assert "Three more." in [text for text, _ in said]  # the encouragement is spoken too


@pytest.mark.parametrize("routine_id", sorted(CATALOG.routines))
def test_every_routine_step_with_its_encouragement_is_valid_ssml(routine_id: str) -> None:
    plan = Plan.for_routine(CATALOG.routine(routine_id))
    for index in range(len(plan.exercise_ids)):
        step = Plan(plan.routine_id, plan.exercise_ids, index, tempo=Tempo.SLOW)
        speech = guided_set(Speech(), CATALOG, MESSAGES, step)
        assert validate_ssml(speech.ssml()) == [], (routine_id, index)
