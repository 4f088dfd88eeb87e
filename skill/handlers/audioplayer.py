"""Hands-free mode: a whole routine streamed through the AudioPlayer interface.

"Play my whole back routine" starts the routine's published track (audio build)
on devices with an AudioPlayer; elsewhere, or without a published track, the
routine runs in the usual session mode. While a track of ours is loaded
(the request's AudioPlayer context names its token, and no session routine is
running), pause, resume, next, previous, start over and repeat steer the stream,
moving between the exercises' chapters. AudioPlayer events and PlaybackController
buttons get AudioPlayer directives only, never speech. The position is kept in
the store as a bookmark when playback stops, and a finished track counts the
exercises it played: each Play directive's token ends in "@<chapter>", the first
chapter the stream played through without the user skipping ahead of it.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol, runtime_checkable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_supported_interfaces, is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.interfaces.audioplayer import (
    AudioItem,
    AudioItemMetadata,
    PlayBehavior,
    PlayDirective,
    PlayerActivity,
    StopDirective,
    Stream,
)

from skill.handlers.common import ask, tell
from skill.handlers.progress_hooks import record_completion
from skill.handlers.routine import plan_from_request, start_plan, unknown_choice
from skill.handlers.turn import Turn
from skill.progress.store import Bookmark
from skill.routines.plan import Plan
from skill.speech.audio_manifest import RoutineTrack
from skill.speech.ssml import Speech

log = logging.getLogger(__name__)


@runtime_checkable
class RoutineTracks(Protocol):
    """What hands-free mode needs from the audio source (``ManifestAudio`` provides it)."""

    def routine_track(self, routine_id: str) -> RoutineTrack | None: ...

    def track_for_token(self, token: str | None) -> RoutineTrack | None: ...


def _tracks(turn: Turn) -> RoutineTracks | None:
    audio = turn.services.audio
    return audio if isinstance(audio, RoutineTracks) else None


def _player(handler_input: HandlerInput) -> tuple[str | None, int]:
    """(token, offset ms) of the device's AudioPlayer, from the request or its context."""
    request = handler_input.request_envelope.request
    token = getattr(request, "token", None)
    offset = getattr(request, "offset_in_milliseconds", None)
    context = handler_input.request_envelope.context
    state = getattr(context, "audio_player", None) if context is not None else None
    if token is None and state is not None:
        token, offset = state.token, state.offset_in_milliseconds
    return token, int(offset or 0)


def _loaded(turn: Turn) -> tuple[RoutineTrack | None, int]:
    """Our track that this request's token names (or None), and the player's offset.

    A token from an earlier build of the track (republished audio, retimed) gets the
    start of the chapter its offset falls in: the old millisecond means nothing now.
    """
    tracks = _tracks(turn)
    token, offset = _player(turn.handler_input)
    track = tracks.track_for_token(token) if tracks is not None else None
    if track is not None and (token or "").partition("@")[0] != track.token:
        offset = track.chapter_start_ms(track.chapter_at(offset))
    return track, offset


# Player states in which "pause", "next" and the like are about our stream.
STEERABLE = (
    PlayerActivity.PLAYING,
    PlayerActivity.PAUSED,
    PlayerActivity.STOPPED,
    PlayerActivity.BUFFER_UNDERRUN,
)


def playing_track(handler_input: HandlerInput) -> RoutineTrack | None:
    """Our track, if the user is steering it: loaded and not finished, and the request
    opens a new session (said over the stream) rather than continuing a conversation."""
    turn = Turn.of(handler_input)
    session = handler_input.request_envelope.session
    if session is not None and (turn.plan is not None or not session.new):
        return None
    context = handler_input.request_envelope.context
    state = getattr(context, "audio_player", None) if context is not None else None
    if getattr(state, "player_activity", None) not in STEERABLE:
        return None
    return _loaded(turn)[0]


def moved_to(first: int, index: int, current: int) -> int:
    """The first counted chapter after jumping from ``current`` to chapter ``index``.

    Skipping ahead cuts the current chapter short, so counting restarts at the
    target; going back replays chapters already counted from ``first``.
    """
    return index if index > current else min(first, index)


def counted_from(token: str | None) -> int:
    """The first chapter a finished stream counts (the "@<chapter>" ending of its token)."""
    _, _, mark = (token or "").rpartition("@")
    return int(mark) if mark.isdigit() else 0


def _play(turn: Turn, track: RoutineTrack, offset_ms: int, first_counted: int) -> Response:
    name = turn.catalog.routine(track.routine_id).name
    offset = min(max(offset_ms, 0), max(track.duration_ms - 1000, 0))
    token = f"{track.token}@{first_counted}"
    stream = Stream(token=token, url=track.url, offset_in_milliseconds=offset)
    builder = turn.handler_input.response_builder
    builder.add_directive(
        PlayDirective(
            play_behavior=PlayBehavior.REPLACE_ALL,
            audio_item=AudioItem(stream=stream, metadata=AudioItemMetadata(title=name)),
        )
    )
    return _end_if_spoken_to(turn)


def _end_if_spoken_to(turn: Turn) -> Response:
    """A voice request's answer closes its session; AudioPlayer and PlaybackController
    requests have none, and their answers may carry nothing but directives."""
    builder = turn.handler_input.response_builder
    if is_request_type("IntentRequest")(turn.handler_input):
        builder.set_should_end_session(True)
    return builder.response


def resume_stream(turn: Turn, bookmark: Bookmark) -> Response | None:
    """Stream a stopped routine track on from its offset, if this device and build allow."""
    tracks = _tracks(turn)
    if bookmark.offset_ms is None or bookmark.routine_id is None or tracks is None:
        return None
    track = tracks.routine_track(bookmark.routine_id)
    if track is None or get_supported_interfaces(turn.handler_input).audio_player is None:
        return None
    turn.pending.bookmark = None
    name = turn.catalog.routine(track.routine_id).name
    speech = Speech().say(turn.messages.say("handsfree.resuming", routine=name))
    turn.handler_input.response_builder.speak(speech.ssml())
    return _play(turn, track, bookmark.offset_ms, track.chapter_at(bookmark.offset_ms))


def _stop(turn: Turn) -> Response:
    turn.handler_input.response_builder.add_directive(StopDirective())
    return _end_if_spoken_to(turn)


class PlayRoutineHandler(AbstractRequestHandler):
    """ "Play my whole back routine": the track if the device can stream it, else a session."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PlayRoutineIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        plan = plan_from_request(turn)
        if plan is None:
            return unknown_choice(turn)
        tracks = _tracks(turn)
        track = (
            tracks.routine_track(plan.routine_id)
            if tracks is not None and plan.routine_id is not None
            else None
        )
        if track is None or get_supported_interfaces(handler_input).audio_player is None:
            return start_plan(turn, plan)
        turn.plan = None
        turn.pending.bookmark = None
        say = turn.messages.say
        routine = turn.catalog.routine(track.routine_id).name
        speech = Speech().say(say("handsfree.playing", routine=routine))
        turn.handler_input.response_builder.speak(speech.ssml())
        return _play(turn, track, 0, 0)


class HandsFreeCommand(AbstractRequestHandler):
    """An intent said while our track is loaded; other cases go to the session handlers."""

    intent_name: str

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not is_intent_name(self.intent_name)(handler_input):
            return False
        return playing_track(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        track, offset = _loaded(turn)
        assert track is not None  # can_handle checked it
        return self.steer(turn, track, offset, counted_from(_player(handler_input)[0]))

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        raise NotImplementedError


class HandsFreePause(HandsFreeCommand):
    intent_name = "AMAZON.PauseIntent"

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        return _stop(turn)  # PlaybackStopped follows with the exact offset: it is kept then


class HandsFreeStop(HandsFreePause):
    intent_name = "AMAZON.StopIntent"


class HandsFreeCancel(HandsFreePause):
    intent_name = "AMAZON.CancelIntent"


class HandsFreeResume(HandsFreeCommand):
    intent_name = "AMAZON.ResumeIntent"

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        return _play(turn, track, offset_ms, first)


class HandsFreeNext(HandsFreeCommand):
    intent_name = "AMAZON.NextIntent"
    step = +1

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        current = track.chapter_at(offset_ms)
        index = current + self.step
        if not 0 <= index < len(track.chapters):
            key = "handsfree.last_exercise" if self.step > 0 else "handsfree.first_exercise"
            turn.handler_input.response_builder.speak(Speech().say(turn.messages.say(key)).ssml())
            return _play(turn, track, track.chapter_start_ms(current), first)
        return _play(turn, track, track.chapter_start_ms(index), moved_to(first, index, current))


class HandsFreePrevious(HandsFreeNext):
    intent_name = "AMAZON.PreviousIntent"
    step = -1


class HandsFreeRepeat(HandsFreeCommand):
    intent_name = "AMAZON.RepeatIntent"

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        return _play(turn, track, track.chapter_start_ms(track.chapter_at(offset_ms)), first)


class HandsFreeStartOver(HandsFreeCommand):
    intent_name = "AMAZON.StartOverIntent"

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        return _play(turn, track, 0, 0)


class LoopShuffleHandler(AbstractRequestHandler):
    """Loop and shuffle mean nothing for a guided routine: say so, gently."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent_name("AMAZON.LoopOnIntent")(handler_input)
            or is_intent_name("AMAZON.LoopOffIntent")(handler_input)
            or is_intent_name("AMAZON.ShuffleOnIntent")(handler_input)
            or is_intent_name("AMAZON.ShuffleOffIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        speech = Speech().say(turn.messages.say("handsfree.no_loop_or_shuffle"))
        if handler_input.request_envelope.session is not None and turn.plan is not None:
            return ask(turn, speech, turn.messages.say("handsfree.in_routine_reprompt"))
        return tell(turn, speech)


class PlaybackControllerHandler(AbstractRequestHandler):
    """The device's own play, pause, next and previous buttons: directives only."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return handler_input.request_envelope.request.object_type.startswith("PlaybackController.")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        track, offset = _loaded(turn)
        if track is None:
            return handler_input.response_builder.response
        command = handler_input.request_envelope.request.object_type.split(".", 1)[1]
        if command == "PauseCommandIssued":
            return _stop(turn)
        first = counted_from(_player(handler_input)[0])
        current = track.chapter_at(offset)
        if command in ("NextCommandIssued", "PreviousCommandIssued"):
            step = 1 if command == "NextCommandIssued" else -1
            index = min(max(current + step, 0), len(track.chapters) - 1)
            offset, first = track.chapter_start_ms(index), moved_to(first, index, current)
        return _play(turn, track, offset, first)


class AudioPlayerEventHandler(AbstractRequestHandler):
    """Playback events: keep the position, count a finished routine. No speech, ever."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return handler_input.request_envelope.request.object_type.startswith("AudioPlayer.")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        track, offset = _loaded(turn)
        if track is not None:
            if is_request_type("AudioPlayer.PlaybackStopped")(handler_input):
                turn.pending.bookmark = self._bookmark(turn, track, offset)
            elif is_request_type("AudioPlayer.PlaybackFinished")(handler_input):
                self._record_routine(turn, track, counted_from(_player(handler_input)[0]))
                turn.pending.bookmark = None
            elif is_request_type("AudioPlayer.PlaybackFailed")(handler_input):
                error = getattr(handler_input.request_envelope.request, "error", None)
                log.warning("playback failed: %s", getattr(error, "object_type", "unknown"))
        return handler_input.response_builder.response

    @staticmethod
    def _bookmark(turn: Turn, track: RoutineTrack, offset_ms: int) -> Bookmark:
        routine = turn.catalog.routine(track.routine_id)
        exercise_ids = tuple(step.exercise_id for step in routine.steps)
        index = track.chapter_at(offset_ms)
        return Bookmark(routine.id, exercise_ids, index, None, "normal", offset_ms=offset_ms)

    @staticmethod
    def _record_routine(turn: Turn, track: RoutineTrack, first: int) -> None:
        """Count each exercise played through once, as a session routine would have."""
        whole = Plan.for_routine(turn.catalog.routine(track.routine_id))
        for index in range(first, len(whole.exercise_ids)):
            record_completion(turn, replace(whole, index=index, delivered=True))


def handlers() -> tuple[AbstractRequestHandler, ...]:
    """In dispatch order; they go before the session-mode handlers of the same intents."""
    return (
        PlayRoutineHandler(),
        HandsFreePause(),
        HandsFreeStop(),
        HandsFreeCancel(),
        HandsFreeResume(),
        HandsFreeNext(),
        HandsFreePrevious(),
        HandsFreeRepeat(),
        HandsFreeStartOver(),
        LoopShuffleHandler(),
        PlaybackControllerHandler(),
        AudioPlayerEventHandler(),
    )
