"""A heard set counts when the user moves on, exactly once, whichever way they move on.

Every path below goes through ``Turn.move_on`` (or ``Turn.keep_place`` when the
session ends). Prevents: a new way of moving on that forgets to count, as the
hands-free start once did (issue 8).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_model import SessionEndedReason

from skill.alexa_api.settings_api import no_lookup
from skill.builder import build_skill
from skill.chat.envelopes import Conversation
from skill.progress.sqlite_store import SqliteStore
from skill.settings import Settings
from tests.conftest import Talk
from tests.functional.test_handsfree import BASE_URL, manifest_path  # noqa: F401 (fixture)
from tests.functional.test_progress_conversation import FlakyStore

ASK = "ask movement snacks to "


def counted(store: SqliteStore) -> list[str]:
    with sqlite3.connect(store.path) as db:
        return [row[0] for row in db.execute("SELECT exercise_id FROM completions ORDER BY at")]


@pytest.fixture
def talk(store: SqliteStore, clock: Any, manifest_path: Path) -> Talk:  # noqa: F811
    """The skill with a published back care track, so hands-free can stream."""
    settings = Settings(
        progress_store=f"sqlite:///{store.path}",
        audio_base_url=BASE_URL,
        audio_manifest=str(manifest_path),
    )
    return Talk(build_skill(settings, store, clock, time_zones=no_lookup), store)


def timed_out(talk: Talk) -> None:
    talk.send(talk.conversation.session_ended(SessionEndedReason.EXCEEDED_MAX_REPROMPTS))


def hands_free_without_audioplayer(talk: Talk) -> None:
    talk.conversation.audio_player = False
    talk.say("play my whole back care routine")


MID_ROUTINE: dict[str, Callable[[Talk], Any]] = {
    "next": lambda talk: talk.say("next"),
    "yes": lambda talk: talk.intent("AMAZON.YesIntent"),
    "repeat": lambda talk: talk.say("repeat"),
    "start over": lambda talk: talk.say("start over"),
    "go back": lambda talk: talk.say("go back"),
    "resume": lambda talk: talk.say("resume"),
    "a new routine": lambda talk: talk.say("back care"),
    "hands-free start": lambda talk: talk.say("play my whole back care routine"),
    "hands-free start, no audio player": hands_free_without_audioplayer,
    "session timeout": timed_out,
}


@pytest.mark.parametrize("move", MID_ROUTINE.values(), ids=MID_ROUTINE.keys())
def test_moving_on_mid_routine_counts_the_set_just_heard_once(
    talk: Talk, move: Callable[[Talk], Any]
) -> None:
    # GIVEN the first set of the knee routine was heard
    talk.say(ASK + "start my knee routine")
    assert counted(talk.store) == []
    # WHEN the user moves on
    move(talk)
    # THEN that set is counted, once
    assert counted(talk.store) == ["quad_sets"]


def test_the_hands_free_start_streams_and_counts_the_set_just_heard(talk: Talk) -> None:
    talk.say(ASK + "start my knee routine")
    talk.say("play my whole back care routine")

    directive = talk.last["response"]["directives"][0]
    assert directive["type"] == "AudioPlayer.Play"
    assert counted(talk.store) == ["quad_sets"]


AFTER_LAST_SET: dict[str, Callable[[Talk], Any]] = {
    "a pain rating": lambda talk: talk.intent("PainRatingIntent", rating="2"),
    "a bare number": lambda talk: talk.intent("NumberAnswerIntent", number="1"),
    "a high pain rating": lambda talk: talk.intent("PainRatingIntent", rating="8"),
    "stop": lambda talk: talk.say("stop"),
    "no": lambda talk: talk.say("no thanks"),
    "session timeout": timed_out,
    "the user ending the session": lambda talk: talk.send(talk.conversation.session_ended()),
}


@pytest.mark.parametrize("move", AFTER_LAST_SET.values(), ids=AFTER_LAST_SET.keys())
def test_moving_on_after_the_last_set_counts_it_once(
    talk: Talk, move: Callable[[Talk], Any]
) -> None:
    talk.say(ASK + "start pelvic tilts")  # one exercise: its set is the last
    move(talk)
    assert counted(talk.store) == ["pelvic_tilts"]


NOT_MOVING_ON: dict[str, Callable[[Talk], Any]] = {
    "skip": lambda talk: talk.say("skip this one"),
    "pause": lambda talk: talk.say("pause"),
    "ouch": lambda talk: talk.intent("PainReportIntent"),
    "stop midway": lambda talk: talk.say("stop"),
    "the user ending the session": lambda talk: talk.send(talk.conversation.session_ended()),
}


@pytest.mark.parametrize("move", NOT_MOVING_ON.values(), ids=NOT_MOVING_ON.keys())
def test_a_set_cut_short_mid_routine_does_not_count(
    talk: Talk, move: Callable[[Talk], Any]
) -> None:
    talk.say(ASK + "start my knee routine")
    move(talk)
    assert counted(talk.store) == []


def test_moving_on_twice_counts_each_set_once(talk: Talk) -> None:
    talk.say(ASK + "start my knee routine")
    talk.say("repeat")  # quad sets again: the first one counts
    talk.say("next")  # the repeat counts too, then heel slides
    talk.say("play my whole back care routine")  # heel slides count, then the stream

    assert counted(talk.store) == ["quad_sets", "quad_sets", "heel_slides"]


def test_a_fresh_conversation_has_nothing_to_count(talk: Talk) -> None:
    talk.conversation = Conversation()
    talk.say(ASK + "play my whole back care routine")
    assert counted(talk.store) == []


def test_a_hands_free_start_the_store_cannot_take_says_so_before_it_plays(
    store: SqliteStore,
    clock: Any,
    manifest_path: Path,  # noqa: F811
) -> None:
    flaky = FlakyStore(store)
    settings = Settings(
        progress_store=f"sqlite:///{store.path}",
        audio_base_url=BASE_URL,
        audio_manifest=str(manifest_path),
    )
    talk = Talk(build_skill(settings, flaky, clock, time_zones=no_lookup), store)  # type: ignore[arg-type]
    talk.say(ASK + "start my knee routine")
    flaky.down = True

    text = talk.say("play my whole back care routine")

    # No session is left to carry the set and no queue is set up: the loss is said first.
    assert text.startswith("I'm sorry, I couldn't save your progress just now. Playing back care")
    assert talk.last["response"]["directives"][0]["type"] == "AudioPlayer.Play"
