"""A whole guided session, pushed through the skill as real Alexa request envelopes."""

from __future__ import annotations

import re
import sqlite3

import pytest
from ask_sdk_model import SessionEndedReason

from skill.chat.envelopes import SlotValue
from tests.conftest import Talk

DISCLAIMER = "not a substitute for your physical therapist"
PAIN_FREE = "pain-free range"


def pauses(text: str) -> list[float]:
    return [float(p) for p in re.findall(r"\(pause ([\d.]+)s\)", text)]


def completions(talk: Talk) -> list[tuple[str, str]]:
    with sqlite3.connect(talk.store.path) as db:
        return db.execute("SELECT exercise_id, completion_id FROM completions").fetchall()


def test_first_launch_says_the_disclaimer_once_then_welcomes_back(talk: Talk) -> None:
    first = talk.launch()
    assert DISCLAIMER in first and PAIN_FREE in first
    assert "quick two minute movement snack" in first and talk.session_open
    again = talk.launch()
    assert DISCLAIMER not in again
    assert again.startswith("Welcome back")


def test_yes_after_launch_starts_the_quick_snack_with_a_paced_first_set(talk: Talk) -> None:
    talk.launch()
    text = talk.intent("AMAZON.YesIntent")
    assert "quick movement snack" in text and "Exercise 1 of 3: shoulder circles" in text
    assert PAIN_FREE in text
    # 4 reps in the snack: taught once, then counted through with short cues
    assert text.count("Lift your shoulders up toward your ears") == 1 and "Four." in text
    assert "Next up is ankle rolls" in text and talk.session_open


def test_start_by_exercise_name_one_shot_speaks_timed_phases(talk: Talk) -> None:
    text = talk.say("ask movement snacks to start pelvic tilts")
    assert "pelvic tilts" in text and "We'll do 8 reps" in text
    # The hold is taught once and then trusted; "Tilt." keeps time from rep three.
    assert text.count("Hold.") == 1 and text.count("Tilt.") == 6 and "Eight." in text
    assert pauses(text), "the holds must be timed with pauses"
    assert "That's your set of pelvic tilts done" in text


def test_synonyms_resolve_to_the_same_exercise(talk: Talk) -> None:
    text = talk.say("let's do shoulder blade squeezes")
    assert "scapular squeezes" in text


def test_routine_and_body_area_requests_pick_the_right_routine(talk: Talk) -> None:
    assert "knee recovery" in talk.say("start my knee routine")
    assert "back care" in talk.say("something for my back")
    assert "desk break" in talk.say("I'm at my desk")
    assert "shoulder recovery" in talk.say("start a shoulder routine")


def test_an_unknown_name_gets_a_list_not_an_error(talk: Talk) -> None:
    text = talk.intent(
        "StartRoutineIntent",
        new_session=True,
        exercise=SlotValue("jumping jacks", slot_type="EXERCISE_NAME"),
    )
    assert "I don't know that one yet" in text and "pelvic tilts" in text
    assert talk.session_open


def test_next_moves_on_and_counts_the_delivered_set_once(talk: Talk) -> None:
    talk.say("start back care")
    assert completions(talk) == []
    text = talk.say("next")
    assert "Exercise 2 of 3: seated cat cow" in text
    assert [row[0] for row in completions(talk)] == ["pelvic_tilts"]


def test_skip_moves_on_without_counting(talk: Talk) -> None:
    talk.say("start back care")
    text = talk.say("skip this one")
    assert "Skipping pelvic tilts" in text and "seated cat cow" in text
    assert completions(talk) == []


def test_previous_repeat_and_start_over_navigate_the_routine(talk: Talk) -> None:
    talk.say("start back care")
    talk.say("next")
    assert "Exercise 1 of 3: pelvic tilts" in talk.say("go back")
    assert "Exercise 1 of 3: pelvic tilts" in talk.say("repeat")
    talk.say("next")
    text = talk.say("start over")
    assert "Starting back care from the beginning" in text and "Exercise 1 of 3" in text


def test_finishing_the_last_exercise_ends_the_routine_and_offers_more(talk: Talk) -> None:
    talk.say("start a quick snack")
    talk.say("next")
    last = talk.say("next")
    assert "That's your quick movement snack routine done" in last
    text = talk.say("next")
    assert "another movement snack" in text and talk.plan is None
    assert len(completions(talk)) == 3


def test_slower_and_faster_change_the_pauses_of_the_same_set(talk: Talk) -> None:
    normal = talk.say("start pelvic tilts")
    slower = talk.say("slower")
    faster = talk.say("faster")
    fastest = talk.say("faster")
    assert "a bit slower" in slower and "a bit quicker" in faster
    assert sum(pauses(slower)) > sum(pauses(normal)) > sum(pauses(fastest))
    at_limit = talk.say("faster")
    assert "already the quickest" in at_limit and "Say repeat" in at_limit
    assert "(pause" not in at_limit  # the set is not replayed when nothing changes
    assert "slower or faster" in talk.intent("ChangeTempoIntent")


def test_do_five_reps_changes_the_count(talk: Talk) -> None:
    talk.say("start pelvic tilts")
    text = talk.say("do five reps")
    assert "We'll do 5 reps" in text and "Five." in text and "Six." not in text


def test_an_impossible_rep_count_is_explained(talk: Talk) -> None:
    talk.say("start pelvic tilts")
    text = talk.intent("SetRepsIntent", reps=SlotValue("500", slot_type="AMAZON.NUMBER"))
    assert "from 1 to 15 reps" in text and talk.session_open
    text = talk.intent("SetRepsIntent", reps=SlotValue("?", slot_type="AMAZON.NUMBER"))
    assert "How many reps" in text


def test_pause_and_resume_in_the_same_session(talk: Talk) -> None:
    talk.say("start back care")
    talk.say("next")
    paused = talk.say("pause")
    assert "Paused at seated cat cow" in paused and talk.session_open
    resumed = talk.say("resume")
    assert "carry on with seated cat cow" in resumed and "Exercise 2 of 3" in resumed


def test_resume_later_in_a_new_session_continues_at_the_paused_exercise(talk: Talk) -> None:
    talk.say("start back care")
    talk.say("next")
    talk.say("pause")
    talk.intent("AMAZON.StopIntent")
    assert not talk.session_open
    assert "you stopped at seated cat cow" in talk.launch()
    resumed = talk.say("ask movement snacks to resume")
    assert "Exercise 2 of 3: seated cat cow" in resumed
    talk.intent("AMAZON.StopIntent")
    # Stopped again: the place is kept again, and a finished routine forgets it.
    assert "Exercise 2 of 3: seated cat cow" in talk.say("ask movement snacks to resume")
    talk.say("next")
    talk.say("next")
    talk.say("it was a 1")
    talk.intent("AMAZON.StopIntent")
    assert "nothing paused" in talk.say("ask movement snacks to resume")


def test_a_session_that_times_out_after_a_set_counts_it_and_keeps_the_next(talk: Talk) -> None:
    talk.say("ask movement snacks to start back care")
    talk.send(talk.conversation.session_ended(SessionEndedReason.EXCEEDED_MAX_REPROMPTS))
    assert [row[0] for row in completions(talk)] == ["pelvic_tilts"]
    assert "you stopped at seated cat cow" in talk.launch()


def test_stopping_mid_routine_keeps_the_same_exercise_uncounted(talk: Talk) -> None:
    talk.say("ask movement snacks to start back care")
    talk.say("stop")
    assert completions(talk) == []
    assert "Exercise 1 of 3: pelvic tilts" in talk.say("ask movement snacks to resume")


def test_starting_something_new_forgets_the_old_pause(talk: Talk) -> None:
    talk.say("ask movement snacks to start back care")
    talk.say("pause")
    talk.say("start a quick snack")
    talk.say("next")
    talk.say("next")
    talk.say("2")
    assert "you stopped at" not in talk.launch()


def test_a_one_shot_first_use_still_hears_the_disclaimer_once(talk: Talk) -> None:
    first = talk.say("ask movement snacks to start pelvic tilts")
    assert DISCLAIMER in first and PAIN_FREE in first
    again = talk.say("ask movement snacks to start ankle rolls")
    assert DISCLAIMER not in again and PAIN_FREE in again


def test_the_welcome_and_the_first_routine_do_not_repeat_the_reminder(talk: Talk) -> None:
    talk.launch()
    assert talk.intent("AMAZON.YesIntent").count(PAIN_FREE) == 1


def test_catalog_questions(talk: Talk) -> None:
    routines = talk.say("what routines are there")
    assert "knee recovery" in routines and "desk break" in routines
    shoulder = talk.say("what can I do for my shoulder")
    assert "pendulum swings" in shoulder and "scapular squeezes" in shoulder


def test_help_keeps_the_session_open_and_stop_cancel_end_it_politely(talk: Talk) -> None:
    talk.launch()
    assert "say next" in talk.say("help") and talk.session_open
    assert "Bye for now" in talk.say("stop") and not talk.session_open
    talk.launch()
    assert "Bye for now" in talk.say("cancel") and not talk.session_open


def test_session_ended_request_gets_no_speech(talk: Talk) -> None:
    talk.launch()
    response = talk.send(talk.conversation.session_ended())
    assert "outputSpeech" not in response["response"]


def test_unknown_utterances_get_a_helpful_reprompt(talk: Talk) -> None:
    talk.launch()
    text = talk.say("let us dance the tango")
    assert "didn't catch that" in text and talk.session_open
    talk.say("start pelvic tilts")
    assert "Say next to carry on" in talk.say("blah blah")


def test_in_routine_commands_without_a_routine_explain_what_to_do(talk: Talk) -> None:
    talk.launch()
    for utterance in ("next", "skip", "go back", "repeat", "start over", "slower", "pause"):
        assert "not in a routine" in talk.say(utterance), utterance


def test_an_intent_the_model_does_not_know_is_handled_like_fallback(talk: Talk) -> None:
    talk.launch()
    assert "didn't catch that" in talk.intent("SomethingElseIntent")


def test_forged_session_attributes_cannot_crash_the_skill(talk: Talk) -> None:
    talk.launch()
    for forged in ({"plan": {"exercise_ids": ["nope"], "index": 7}}, {"plan": "x"}, {"offer": 3}):
        talk.conversation.attributes = dict(forged)
        assert talk.say("next")  # answered with speech, not an error
        talk.conversation.attributes = dict(forged)
        assert "quick movement snack" in talk.say("yes")


def test_a_body_area_starts_the_routine_mainly_for_it(talk: Talk) -> None:
    assert "neck and shoulders" in talk.say("something for my neck")
    assert "shoulder recovery" in talk.say("something for my shoulder")


def test_asking_for_a_routine_without_naming_one_offers_a_short_choice(talk: Talk) -> None:
    text = talk.say("start a routine")
    assert "Which routine would you like" in text and "back care" in text
    assert "I don't know" not in text and len(text) < 300
    assert "back care" in talk.say("back care")


def test_an_unknown_area_lists_the_areas_there_are(talk: Talk) -> None:
    text = talk.intent(
        "StartRoutineIntent", new_session=True, area=SlotValue("wrist", slot_type="BODY_AREA")
    )
    assert "don't have movements for that area" in text and "knee" in text


def test_the_routine_list_is_short_enough_to_listen_to(talk: Talk) -> None:
    text = talk.say("what routines are there")
    assert "6 routines" in text and len(text) < 350


def test_a_pause_saved_before_a_catalog_change_is_dropped_not_crashed_on(talk: Talk) -> None:
    from skill.progress.store import Bookmark, UserUpdate
    from skill.turn.identity import user_key

    key = user_key("movement-snacks", talk.conversation.user_id)
    stale = Bookmark("back_care", ("pelvic_tilts", "retired_move"), 1, None, "normal")
    talk.store.save(key, UserUpdate(bookmark=stale))
    assert "nothing paused" in talk.say("ask movement snacks to resume")
    assert talk.store.load(key).bookmark is None


def test_forged_rep_counts_are_ignored(talk: Talk) -> None:
    talk.say("ask movement snacks to start pelvic tilts")
    plan = dict(talk.plan or {})
    talk.conversation.attributes["plan"] = {**plan, "reps": -5}
    assert "-5" not in talk.say("repeat")


def test_an_unexpected_failure_is_an_apology_and_logs_no_user_data(
    settings: object, caplog: pytest.LogCaptureFixture
) -> None:
    from skill.builder import build_skill
    from skill.chat.envelopes import Conversation
    from skill.settings import Settings

    class BrokenStore:
        def load(self, user_key: str) -> None:
            raise RuntimeError(f"boom for amzn1.ask.account.SECRET {user_key}")

    assert isinstance(settings, Settings)
    skill = build_skill(settings, BrokenStore(), time_zones=lambda _: None)  # type: ignore[arg-type]
    talk = Talk(skill, None)  # type: ignore[arg-type]
    talk.conversation = Conversation(user_id="amzn1.ask.account.SECRET")
    text = talk.launch()
    assert "something went wrong on my side" in text and talk.session_open
    assert "RuntimeError" in caplog.text
    assert "SECRET" not in caplog.text and "boom" not in caplog.text
