"""Every locale, end to end: its utterances through its model, answered in its language.

Prevents a translated sentence or cue that breaks the SSML Alexa accepts (bad
characters, a set over 8,000 characters once German words are longer), and a
locale that is reached but answers in English. Every response passes
``check_response`` (the SSML validator and Alexa's size limits) on its way.
"""

from __future__ import annotations

import pytest

from skill.chat.envelopes import Conversation, SlotValue
from skill.routines.model import Tempo
from skill.speech.messages import messages_for
from skill.turn.context import catalog_for
from tests.conftest import Talk
from tests.contract.test_locales import LOCALES

# A short session in each language: what a user says, line by line.
SESSIONS = {
    "en": ["yes", "next", "next", "3", "what routines are there", "how am I doing", "help"],
    "de": ["ja", "weiter", "weiter", "drei", "welche Routinen gibt es", "wie mache ich mich"],
    "es": ["sí", "siguiente", "siguiente", "tres", "qué rutinas hay", "cómo voy", "ayuda"],
}


def talk_in(talk: Talk, locale: str) -> Talk:
    talk.conversation = Conversation(locale=locale)
    return talk


@pytest.mark.parametrize("locale", LOCALES)
def test_a_session_is_spoken_in_the_locale(talk: Talk, locale: str) -> None:
    messages = messages_for(locale)
    talk = talk_in(talk, locale)
    assert messages.say("launch.welcome_first") in talk.launch()
    answers = [talk.say(line) for line in SESSIONS[locale.split("-")[0]]]
    first = catalog_for(locale).routine("quick_snack").steps[0].exercise_id
    assert catalog_for(locale).exercise(first).name in answers[0]
    assert messages.say("routine.ready") in answers[0]
    assert messages.say("progress.pain_question") in answers[2]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_routine_and_area_is_spoken_within_alexas_limits(talk: Talk, locale: str) -> None:
    catalog = catalog_for(locale)
    talk = talk_in(talk, locale)
    for routine in catalog.routines.values():
        slot = SlotValue(routine.name, routine.id, routine.name, "ROUTINE_NAME")
        talk.intent("StartRoutineIntent", new_session=True, routine=slot)
        for _ in routine.steps[1:]:
            talk.intent("AMAZON.NextIntent")
    for area in sorted(catalog.areas):
        text = talk.intent("ListExercisesIntent", area=SlotValue(area, area, area, "BODY_AREA"))
        assert catalog.area_name(area, area) in text


@pytest.mark.parametrize("locale", LOCALES)
def test_the_longest_set_of_every_exercise_is_valid_ssml(talk: Talk, locale: str) -> None:
    catalog = catalog_for(locale)
    talk = talk_in(talk, locale)
    slower = SlotValue("slower", "slower", "slower", "TEMPO_CHANGE")
    for exercise in catalog.exercises.values():
        slot = SlotValue(exercise.name, exercise.id, exercise.name, "EXERCISE_NAME")
        talk.intent("StartRoutineIntent", new_session=True, exercise=slot)
        talk.intent("SetRepsIntent", reps=SlotValue(str(exercise.max_reps)))
        talk.intent("ChangeTempoIntent", tempo=slower)
        talk.intent("ChangeTempoIntent", tempo=slower)
        assert (talk.plan or {}).get("tempo") == Tempo.SLOW.value
