"""Hands-free mode: a whole routine through the AudioPlayer, with pause, resume and chapters."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from ask_sdk_model import Context, Device, Request, RequestEnvelope, SupportedInterfaces, User
from ask_sdk_model.interfaces.audioplayer import (
    AudioPlayerInterface,
    AudioPlayerState,
    PlaybackFailedRequest,
    PlaybackFinishedRequest,
    PlaybackStartedRequest,
    PlaybackStoppedRequest,
    PlayerActivity,
)
from ask_sdk_model.interfaces.playbackcontroller import (
    NextCommandIssuedRequest,
    PauseCommandIssuedRequest,
    PlayCommandIssuedRequest,
)
from ask_sdk_model.interfaces.system import SystemState

from audio.build import Builder, routine_jobs, set_jobs
from skill.alexa_api.settings_api import no_lookup
from skill.builder import build_skill
from skill.chat.envelopes import Conversation
from skill.chat.repl import spoken
from skill.progress.replay import replay
from skill.progress.sqlite_store import SqliteStore
from skill.routines.catalog import load_catalog
from skill.settings import Settings
from skill.speech.audio_manifest import RoutineTrack, load_manifest
from skill.turn.identity import user_key
from tests.audio.tones import ToneBackend
from tests.conftest import Talk, check_response
from tests.functional.conftest import queued, sqs_event
from tests.functional.test_progress_conversation import FlakyStore

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

BASE_URL = "https://audio.example.com/ms"
CATALOG = load_catalog("en-US")
ROUTINE = "back_care"


@pytest.fixture(scope="module")
def manifest_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("handsfree")
    jobs = routine_jobs(CATALOG, [ROUTINE]) + set_jobs(CATALOG, ["pelvic_tilts"])[:1]
    Builder(out, ToneBackend(), CATALOG).build(jobs)
    return out / "manifest.json"


@pytest.fixture
def track(manifest_path: Path) -> RoutineTrack:
    from skill.speech.audio_manifest import ManifestAudio

    found = ManifestAudio(load_manifest(str(manifest_path)), BASE_URL).routine_track(ROUTINE)
    assert found is not None and len(found.chapters) == 3
    return found


@pytest.fixture
def talk(store: SqliteStore, clock: Any, manifest_path: Path) -> Talk:
    settings = Settings(
        progress_store=f"sqlite:///{store.path}",
        audio_base_url=BASE_URL,
        audio_manifest=str(manifest_path),
    )
    return Talk(build_skill(settings, store, clock, time_zones=no_lookup), store)


def with_player(envelope: RequestEnvelope, token: str, offset_ms: int) -> RequestEnvelope:
    """The envelope as sent while a stream is loaded: its context names token and offset."""
    assert envelope.context is not None
    envelope.context.audio_player = AudioPlayerState(
        token=token, offset_in_milliseconds=offset_ms, player_activity=PlayerActivity.STOPPED
    )
    return envelope


def event(
    talk: Talk, request_type: type[Request], token: str, offset_ms: int, request_id: str = ""
) -> dict[str, Any]:
    """An AudioPlayer or PlaybackController request: no session, the device's context only."""
    conversation = talk.conversation
    interfaces = SupportedInterfaces(audio_player=AudioPlayerInterface())
    system = SystemState(
        application=None,
        user=User(user_id=conversation.user_id),
        device=Device(device_id=conversation.device_id, supported_interfaces=interfaces),
    )
    fields: dict[str, Any] = {
        "request_id": request_id or f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": datetime.now(UTC).replace(microsecond=0),
        "locale": "en-US",
        "token": token,
    }
    if request_type is not PlaybackFailedRequest:
        fields["offset_in_milliseconds"] = offset_ms
    if request_type in (
        NextCommandIssuedRequest,
        PauseCommandIssuedRequest,
        PlayCommandIssuedRequest,
    ):
        del fields["token"], fields["offset_in_milliseconds"]
    player = AudioPlayerState(token=token, offset_in_milliseconds=offset_ms)
    envelope = RequestEnvelope(
        version="1.0",
        context=Context(system=system, audio_player=player),
        request=request_type(**fields),
    )
    return talk.send(envelope)


def directives(response: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = response["response"].get("directives", [])
    return found


def played(response: dict[str, Any]) -> dict[str, Any]:
    (directive,) = directives(response)
    assert directive["type"] == "AudioPlayer.Play"
    stream: dict[str, Any] = directive["audioItem"]["stream"]
    return stream


def completions(store: SqliteStore) -> list[tuple[str, str]]:
    with sqlite3.connect(store.path) as db:
        return list(db.execute("SELECT exercise_id, routine_id FROM completions ORDER BY 1"))


def test_play_my_whole_back_routine_streams_its_track_from_the_start(
    talk: Talk, track: RoutineTrack
) -> None:
    text = talk.say("ask movement snacks to play my whole back care routine")
    stream = played(talk.last)
    assert stream["url"] == track.url and stream["url"].startswith(f"{BASE_URL}/routines/")
    assert stream["token"] == f"{track.token}@0" and stream["offsetInMilliseconds"] == 0
    assert "pain-free" in text and not talk.session_open
    # The terminal chat shows what the device would play.
    assert f"[plays {track.url} from 0s]" in spoken(talk.last)


def test_a_device_without_audioplayer_gets_the_session_mode(
    store: SqliteStore, clock: Any, manifest_path: Path, talk: Talk
) -> None:
    talk.conversation = Conversation(audio_player=False)
    text = talk.say("ask movement snacks to play my whole back care routine")
    assert directives(talk.last) == [] and talk.session_open
    assert "pelvic tilts" in text.lower() and talk.plan is not None


def test_a_routine_without_a_published_track_gets_the_session_mode(talk: Talk) -> None:
    talk.say("ask movement snacks to play the knee recovery routine")
    assert directives(talk.last) == [] and talk.session_open


def test_pause_then_resume_continues_at_the_same_offset(
    talk: Talk, track: RoutineTrack, store: SqliteStore
) -> None:
    # GIVEN the routine is playing, 73 s in
    talk.say("ask movement snacks to play my whole back care routine")
    # WHEN the user says "Alexa, pause": the stream stops, no speech
    paused = talk.send(
        with_player(talk.conversation.intent("AMAZON.PauseIntent"), track.token, 73_000)
    )
    assert [d["type"] for d in directives(paused)] == ["AudioPlayer.Stop"]
    assert "outputSpeech" not in paused["response"]
    # AND the device reports where it stopped, which is kept
    assert directives(event(talk, PlaybackStoppedRequest, track.token, 73_000)) == []
    bookmark = store.load(user_key("movement-snacks", talk.conversation.user_id)).bookmark
    assert bookmark is not None and bookmark.routine_id == ROUTINE
    assert bookmark.index == track.chapter_at(73_000)
    # THEN "Alexa, resume" plays the same track from there
    resumed = talk.send(
        with_player(talk.conversation.intent("AMAZON.ResumeIntent"), track.token, 73_000)
    )
    stream = played(resumed)
    assert (stream["token"], stream["offsetInMilliseconds"]) == (f"{track.token}@0", 73_000)


def test_resume_on_a_republished_track_restarts_the_current_exercise(
    talk: Talk, track: RoutineTrack
) -> None:
    """Prevents: seeking an old millisecond into a track whose timing has changed."""
    inside_second = track.chapters[1].start_ms + 4_321
    old_build = track.token.rsplit(":", 1)[0] + ":0ldbu1ld@0"
    resumed = talk.send(
        with_player(talk.conversation.intent("AMAZON.ResumeIntent"), old_build, inside_second)
    )
    stream = played(resumed)
    assert stream["token"].startswith(track.token)
    assert stream["offsetInMilliseconds"] == track.chapters[1].start_ms


def test_resume_days_later_streams_on_from_the_stored_offset(
    talk: Talk, track: RoutineTrack, store: SqliteStore
) -> None:
    # GIVEN the track stopped 95 s in, and the device has since played something else
    talk.say("ask movement snacks to play my whole back care routine")
    event(talk, PlaybackStoppedRequest, track.token, 95_000)
    # WHEN the user later says "Alexa, ask movement snacks to resume" (no track loaded)
    text = talk.say("ask movement snacks to resume")
    # THEN the same track plays from the stored offset, and the pause is used up
    stream = played(talk.last)
    assert stream["token"].startswith(track.token) and stream["offsetInMilliseconds"] == 95_000
    assert "where you stopped" in text
    assert store.load(user_key("movement-snacks", talk.conversation.user_id)).bookmark is None


def test_next_and_previous_move_between_exercises(talk: Talk, track: RoutineTrack) -> None:
    inside_first = track.chapters[0].start_ms + 5_000
    nxt = talk.send(
        with_player(talk.conversation.intent("AMAZON.NextIntent"), track.token, inside_first)
    )
    assert played(nxt)["offsetInMilliseconds"] == track.chapters[1].start_ms
    prev = talk.send(
        with_player(talk.conversation.intent("AMAZON.PreviousIntent"), track.token, inside_first)
    )
    assert played(prev)["offsetInMilliseconds"] == track.chapters[0].start_ms
    assert "first exercise" in talk.text(prev)


def test_the_device_next_button_moves_on_without_speech(talk: Talk, track: RoutineTrack) -> None:
    response = event(talk, NextCommandIssuedRequest, track.token, track.chapters[1].start_ms + 10)
    assert played(response)["offsetInMilliseconds"] == track.chapters[2].start_ms
    # A PlaybackController answer carries directives only: no speech, no session flag.
    assert "outputSpeech" not in response["response"]
    assert "shouldEndSession" not in response["response"]


def test_a_finished_track_does_not_count_exercises_skipped_over(
    talk: Talk, track: RoutineTrack, store: SqliteStore
) -> None:
    # GIVEN the user skipped from the first exercise to the second, 5 s in
    inside_first = track.chapters[0].start_ms + 5_000
    skipped = talk.send(
        with_player(talk.conversation.intent("AMAZON.NextIntent"), track.token, inside_first)
    )
    token = played(skipped)["token"]
    # WHEN that stream plays to its end
    event(talk, PlaybackFinishedRequest, token, track.duration_ms)
    # THEN only the exercises it played through count
    steps = [s.exercise_id for s in CATALOG.routine(ROUTINE).steps]
    assert completions(store) == sorted((e, ROUTINE) for e in steps[1:])


def test_a_finished_stream_does_not_take_over_a_conversation(
    talk: Talk, track: RoutineTrack
) -> None:
    # GIVEN an open session, with our finished track still named in the device context
    talk.launch()
    envelope = with_player(talk.conversation.intent("AMAZON.RepeatIntent"), track.token, 0)
    envelope.context.audio_player.player_activity = PlayerActivity.FINISHED
    # WHEN the user says "repeat", THEN the conversation answers, not the stream
    response = talk.send(envelope)
    assert directives(response) == [] and talk.session_open


def test_a_finished_track_counts_every_exercise_once(
    talk: Talk, track: RoutineTrack, store: SqliteStore
) -> None:
    request_id = f"amzn1.echo-api.request.{uuid.uuid4()}"
    response = event(talk, PlaybackFinishedRequest, track.token, track.duration_ms, request_id)
    assert "outputSpeech" not in response["response"] and directives(response) == []
    # Alexa retries an event it got no answer to: the same request counts once
    event(talk, PlaybackFinishedRequest, track.token, track.duration_ms, request_id)
    steps = [s.exercise_id for s in CATALOG.routine(ROUTINE).steps]
    assert completions(store) == sorted((e, ROUTINE) for e in steps)


def test_a_finished_track_the_store_cannot_take_is_queued_and_replayed(
    store: SqliteStore,
    clock: Any,
    manifest_path: Path,
    track: RoutineTrack,
    sqs: SQSClient,
    queue_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An AudioPlayer event has no session to carry its sets: they go to the queue."""
    flaky = FlakyStore(store)
    flaky.down = True
    settings = Settings(
        progress_store=f"sqlite:///{store.path}",
        audio_base_url=BASE_URL,
        audio_manifest=str(manifest_path),
        progress_fallback_queue=queue_url,
    )
    talk = Talk(build_skill(settings, flaky, clock, time_zones=no_lookup), store)  # type: ignore[arg-type]

    response = event(talk, PlaybackFinishedRequest, track.token, track.duration_ms)

    assert "outputSpeech" not in response["response"]
    assert completions(store) == [] and "progress lost" not in caplog.text
    messages = queued(sqs, queue_url)
    assert len(messages) == 1
    flaky.down = False
    arn = "arn:aws:sqs:us-east-1:123456789012:fallback"
    assert replay(sqs_event(messages, arn), store) == {"batchItemFailures": []}
    steps = [s.exercise_id for s in CATALOG.routine(ROUTINE).steps]
    assert completions(store) == sorted((e, ROUTINE) for e in steps)


@pytest.mark.parametrize("request_type", [PlaybackStartedRequest, PlaybackFailedRequest])
def test_other_playback_events_get_an_empty_answer(
    talk: Talk, track: RoutineTrack, request_type: type[Request]
) -> None:
    response = event(talk, request_type, track.token, 1_000)
    check_response(response)
    assert "outputSpeech" not in response["response"] and directives(response) == []


def test_events_for_a_stream_that_is_not_ours_change_nothing(
    talk: Talk, store: SqliteStore
) -> None:
    response = event(talk, PlaybackFinishedRequest, "someone-else:track", 5_000)
    assert directives(response) == [] and completions(store) == []


def test_in_a_session_routine_pause_is_the_session_pause(talk: Talk, track: RoutineTrack) -> None:
    talk.say("ask movement snacks to start back care")
    envelope = with_player(talk.conversation.intent("AMAZON.PauseIntent"), track.token, 5_000)
    response = talk.send(envelope)
    assert directives(response) == [] and "paused" in talk.text(response).lower()


def test_the_device_pause_and_play_buttons_stop_and_continue(
    talk: Talk, track: RoutineTrack
) -> None:
    paused = event(talk, PauseCommandIssuedRequest, track.token, 42_000)
    assert [d["type"] for d in directives(paused)] == ["AudioPlayer.Stop"]
    playing = event(talk, PlayCommandIssuedRequest, track.token, 42_000)
    assert played(playing)["offsetInMilliseconds"] == 42_000
    assert "outputSpeech" not in playing["response"]


@pytest.mark.parametrize(
    ("intent", "chapter"), [("AMAZON.StartOverIntent", None), ("AMAZON.RepeatIntent", 1)]
)
def test_start_over_and_repeat_jump_to_the_start_of_the_routine_or_exercise(
    talk: Talk, track: RoutineTrack, intent: str, chapter: int | None
) -> None:
    inside_second = track.chapters[1].start_ms + 7_000
    response = talk.send(with_player(talk.conversation.intent(intent), track.token, inside_second))
    expected = 0 if chapter is None else track.chapters[chapter].start_ms
    assert played(response)["offsetInMilliseconds"] == expected


def test_loop_and_shuffle_are_declined_gently(talk: Talk, track: RoutineTrack) -> None:
    envelope = with_player(talk.conversation.intent("AMAZON.ShuffleOnIntent"), track.token, 1_000)
    text = talk.text(talk.send(envelope))
    assert "shuffle" in text.lower() and directives(talk.last) == []
