"""The screen fits in Alexa's response budget, and it waits for the audio it follows."""

from __future__ import annotations

import json

import pytest

from skill.routines.catalog import load_catalog
from skill.routines.model import Tempo
from skill.routines.pacing import estimated_speech_ms
from skill.routines.plan import Plan
from skill.screens import sent_document
from skill.screens.exercise import exercise_screen
from skill.screens.follow import lead_in_ms
from skill.speech.alexa_limits import MAX_RESPONSE_BYTES
from skill.speech.messages import messages_for
from skill.speech.ssml import Speech

CATALOG = load_catalog("en-US")
MESSAGES = messages_for("en-US")
# What the rest of a guided set's response may take besides the screen: its speech
# (an intro and one audio tag), reprompt, card and session attributes, generously.
REST_OF_RESPONSE_BYTES = 6 * 1024


@pytest.mark.parametrize("exercise_id", sorted(CATALOG.exercises))
def test_the_longest_following_screen_fits_the_response_limit(exercise_id: str) -> None:
    """Prevents: a long slow set whose follow commands push the response over 24 KB,
    which Alexa refuses whole (the user would hear nothing)."""
    exercise = CATALOG.exercise(exercise_id)
    plan = Plan.for_exercise(exercise).with_reps(exercise.max_reps).with_tempo(Tempo.SLOW)
    rendered = exercise_screen(MESSAGES, CATALOG, plan).render(5000)
    assert rendered.commands
    screen = [sent_document(rendered), rendered.datasources]
    size = len(json.dumps(screen, separators=(",", ":")).encode())
    assert size + REST_OF_RESPONSE_BYTES < MAX_RESPONSE_BYTES


def test_the_screen_waits_for_the_words_said_before_the_audio() -> None:
    intro = "Pelvic tilts. Lie on your back & relax."
    speech = Speech().say(intro).pause(800).audio("https://a.example/set.mp3").say("Next?")
    assert lead_in_ms(speech.parts) == estimated_speech_ms(intro) + 800


def test_an_answer_without_audio_has_nothing_to_follow() -> None:
    assert lead_in_ms(Speech().say("Hello.").pause(500).parts) is None
