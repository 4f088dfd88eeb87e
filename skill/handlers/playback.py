"""The AudioPlayer's own requests: device buttons and playback events. Directives only.

PlaybackController buttons steer our stream between chapters; AudioPlayer events
keep the position (a bookmark, when playback stops) and count a finished track:
each exercise from the token's first counted chapter on (:mod:`skill.routines.stream`).
Neither may ever be answered with speech.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.handlers.respond import respond
from skill.handlers.stream import loaded, play, stop
from skill.progress.store import Bookmark
from skill.routines.plan import Plan
from skill.routines.stream import moved_to
from skill.speech.audio_manifest import RoutineTrack
from skill.turn.context import Turn

log = logging.getLogger(__name__)


class PlaybackControllerHandler(AbstractRequestHandler):
    """The device's own play, pause, next and previous buttons."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return handler_input.request_envelope.request.object_type.startswith("PlaybackController.")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        track, offset, token = loaded(turn)
        if track is None:
            return respond(turn, None)
        command = handler_input.request_envelope.request.object_type.split(".", 1)[1]
        if command == "PauseCommandIssued":
            return stop(turn)
        first = token.first_counted
        current = track.chapter_at(offset)
        if command in ("NextCommandIssued", "PreviousCommandIssued"):
            step = 1 if command == "NextCommandIssued" else -1
            index = min(max(current + step, 0), len(track.chapters) - 1)
            offset, first = track.chapter_start_ms(index), moved_to(first, index, current)
        return play(turn, track, offset, first)


class AudioPlayerEventHandler(AbstractRequestHandler):
    """Playback events: keep the position, count a finished routine."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return handler_input.request_envelope.request.object_type.startswith("AudioPlayer.")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        track, offset, token = loaded(turn)
        if track is not None:
            if is_request_type("AudioPlayer.PlaybackStopped")(handler_input):
                turn.pending.bookmark = self._bookmark(turn, track, offset)
            elif is_request_type("AudioPlayer.PlaybackFinished")(handler_input):
                self._count_routine(turn, track, token.first_counted)
                turn.pending.bookmark = None
            elif is_request_type("AudioPlayer.PlaybackFailed")(handler_input):
                error = getattr(handler_input.request_envelope.request, "error", None)
                log.warning("playback failed: %s", getattr(error, "object_type", "unknown"))
        return respond(turn, None)

    @staticmethod
    def _bookmark(turn: Turn, track: RoutineTrack, offset_ms: int) -> Bookmark:
        routine = turn.catalog.routine(track.routine_id)
        exercise_ids = tuple(step.exercise_id for step in routine.steps)
        index = track.chapter_at(offset_ms)
        return Bookmark(routine.id, exercise_ids, index, None, "normal", offset_ms=offset_ms)

    @staticmethod
    def _count_routine(turn: Turn, track: RoutineTrack, first: int) -> None:
        """Count each exercise played through once, as a session routine would have."""
        whole = Plan.for_routine(turn.catalog.routine(track.routine_id))
        for index in range(first, len(whole.exercise_ids)):
            turn.count_heard(replace(whole, index=index, delivered=True))
