"""Hands-free mode by voice: a whole routine streamed through the AudioPlayer interface.

"Play my whole back routine" starts the routine's published track (audio build)
on devices with an AudioPlayer; elsewhere, or without a published track, the
routine runs in the usual session mode. Either way it is moving on: a set heard
just before counts (``Turn.move_on``). While a track of ours is loaded, pause,
resume, next, previous, start over and repeat steer the stream between the
exercises' chapters (:mod:`skill.handlers.stream`).
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_supported_interfaces, is_intent_name
from ask_sdk_model import Response

from skill.handlers.respond import ask, tell
from skill.handlers.routine import plan_from_request, start_plan, unknown_choice
from skill.handlers.stream import loaded, play, playing_track, stop, tracks
from skill.routines.stream import moved_to
from skill.speech.audio_manifest import RoutineTrack
from skill.speech.ssml import Speech
from skill.turn.context import Turn


class PlayRoutineHandler(AbstractRequestHandler):
    """ "Play my whole back routine": the track if the device can stream it, else a session."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PlayRoutineIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        plan = plan_from_request(turn)
        if plan is None:
            return unknown_choice(turn)
        source = tracks(turn)
        track = (
            source.routine_track(plan.routine_id)
            if source is not None and plan.routine_id is not None
            else None
        )
        if track is None or get_supported_interfaces(handler_input).audio_player is None:
            return start_plan(turn, plan)
        turn.move_on()
        turn.plan = None
        turn.pending.bookmark = None
        routine = turn.catalog.routine(track.routine_id).name
        speech = Speech().say(turn.messages.say("handsfree.playing", routine=routine))
        return play(turn, track, 0, 0, speech)


class HandsFreeCommand(AbstractRequestHandler):
    """An intent said while our track is loaded; other cases go to the session handlers."""

    intent_name: str

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not is_intent_name(self.intent_name)(handler_input):
            return False
        return playing_track(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        track, offset, token = loaded(turn)
        assert track is not None  # can_handle checked it
        return self.steer(turn, track, offset, token.first_counted)

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        raise NotImplementedError


class HandsFreePause(HandsFreeCommand):
    intent_name = "AMAZON.PauseIntent"

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        return stop(turn)  # PlaybackStopped follows with the exact offset: it is kept then


class HandsFreeStop(HandsFreePause):
    intent_name = "AMAZON.StopIntent"


class HandsFreeCancel(HandsFreePause):
    intent_name = "AMAZON.CancelIntent"


class HandsFreeResume(HandsFreeCommand):
    intent_name = "AMAZON.ResumeIntent"

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        return play(turn, track, offset_ms, first)


class HandsFreeNext(HandsFreeCommand):
    intent_name = "AMAZON.NextIntent"
    step = +1

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        current = track.chapter_at(offset_ms)
        index = current + self.step
        if not 0 <= index < len(track.chapters):
            key = "handsfree.last_exercise" if self.step > 0 else "handsfree.first_exercise"
            speech = Speech().say(turn.messages.say(key))
            return play(turn, track, track.chapter_start_ms(current), first, speech)
        return play(turn, track, track.chapter_start_ms(index), moved_to(first, index, current))


class HandsFreePrevious(HandsFreeNext):
    intent_name = "AMAZON.PreviousIntent"
    step = -1


class HandsFreeRepeat(HandsFreeCommand):
    intent_name = "AMAZON.RepeatIntent"

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        return play(turn, track, track.chapter_start_ms(track.chapter_at(offset_ms)), first)


class HandsFreeStartOver(HandsFreeCommand):
    intent_name = "AMAZON.StartOverIntent"

    def steer(self, turn: Turn, track: RoutineTrack, offset_ms: int, first: int) -> Response:
        return play(turn, track, 0, 0)


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
        if turn.in_session and turn.plan is not None:
            return ask(turn, speech, turn.messages.say("handsfree.in_routine_reprompt"))
        return tell(turn, speech)
