"""What the hands-free handlers share: our loaded track, and answering with a stream.

While a track of ours is loaded (the request's AudioPlayer context names its
token, and no session routine is running), the handlers in
:mod:`skill.handlers.handsfree` and :mod:`skill.handlers.playback` steer it. Each
Play directive's token is a :class:`~skill.routines.stream.StreamToken`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_supported_interfaces, is_request_type
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

from skill.handlers.respond import respond
from skill.progress.store import Bookmark
from skill.routines.stream import StreamToken
from skill.speech.audio_manifest import RoutineTrack
from skill.speech.ssml import Speech
from skill.turn.context import Turn

# Player states in which "pause", "next" and the like are about our stream.
STEERABLE = (
    PlayerActivity.PLAYING,
    PlayerActivity.PAUSED,
    PlayerActivity.STOPPED,
    PlayerActivity.BUFFER_UNDERRUN,
)


@runtime_checkable
class RoutineTracks(Protocol):
    """What hands-free mode needs from the audio source (``ManifestAudio`` provides it)."""

    def routine_track(self, routine_id: str) -> RoutineTrack | None: ...

    def track_for_token(self, token: str | None) -> RoutineTrack | None: ...


def tracks(turn: Turn) -> RoutineTracks | None:
    audio = turn.audio
    return audio if isinstance(audio, RoutineTracks) else None


def player(handler_input: HandlerInput) -> tuple[StreamToken, int]:
    """The token and offset (ms) of the device's AudioPlayer, from the request or context."""
    request = handler_input.request_envelope.request
    token = getattr(request, "token", None)
    offset = getattr(request, "offset_in_milliseconds", None)
    context = handler_input.request_envelope.context
    state = getattr(context, "audio_player", None) if context is not None else None
    if token is None and state is not None:
        token, offset = state.token, state.offset_in_milliseconds
    raw = token if isinstance(token, str) else None
    return StreamToken.parse(raw), offset if isinstance(offset, int) else 0


def loaded(turn: Turn) -> tuple[RoutineTrack | None, int, StreamToken]:
    """Our track that this request's token names (or None), the offset, and the token.

    A token from an earlier build of the track (republished audio, retimed) gets the
    start of the chapter its offset falls in: the old millisecond means nothing now.
    """
    source = tracks(turn)
    token, offset = player(turn.handler_input)
    track = source.track_for_token(token.track) if source is not None else None
    if track is not None and token.track != track.token:
        offset = track.chapter_start_ms(track.chapter_at(offset))
    return track, offset, token


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
    return loaded(turn)[0]


def play(
    turn: Turn,
    track: RoutineTrack,
    offset_ms: int,
    first_counted: int,
    speech: Speech | None = None,
) -> Response:
    """Stream ``track`` from ``offset_ms``; ``speech`` only when the user spoke to us."""
    name = turn.catalog.routine(track.routine_id).name
    offset = min(max(offset_ms, 0), max(track.duration_ms - 1000, 0))
    token = StreamToken(track.token, first_counted)
    stream = Stream(token=str(token), url=track.url, offset_in_milliseconds=offset)
    turn.handler_input.response_builder.add_directive(
        PlayDirective(
            play_behavior=PlayBehavior.REPLACE_ALL,
            audio_item=AudioItem(stream=stream, metadata=AudioItemMetadata(title=name)),
        )
    )
    return end_if_spoken_to(turn, speech)


def stop(turn: Turn) -> Response:
    turn.handler_input.response_builder.add_directive(StopDirective())
    return end_if_spoken_to(turn)


def end_if_spoken_to(turn: Turn, speech: Speech | None = None) -> Response:
    """A voice request's answer closes its session; AudioPlayer and PlaybackController
    requests have none, and their answers may carry nothing but directives."""
    if is_request_type("IntentRequest")(turn.handler_input):
        return respond(turn, speech, end_session=True)
    return respond(turn, None)


def resume_stream(turn: Turn, bookmark: Bookmark) -> Response | None:
    """Stream a stopped routine track on from its offset, if this device and build allow."""
    source = tracks(turn)
    if bookmark.offset_ms is None or bookmark.routine_id is None or source is None:
        return None
    track = source.routine_track(bookmark.routine_id)
    if track is None or get_supported_interfaces(turn.handler_input).audio_player is None:
        return None
    turn.pending.bookmark = None
    name = turn.catalog.routine(track.routine_id).name
    speech = Speech().say(turn.messages.say("handsfree.resuming", routine=name))
    return play(turn, track, bookmark.offset_ms, track.chapter_at(bookmark.offset_ms), speech)
