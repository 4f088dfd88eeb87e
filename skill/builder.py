"""Assemble the skill: handlers in dispatch order, interceptors, the error handler."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import (
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import Response

from skill.handlers import (
    audioplayer,
    browse,
    launch,
    pause,
    progress,
    questions,
    routine,
    session,
)
from skill.handlers.timezone import TimeZoneLookup, alexa_time_zone
from skill.handlers.turn import TURN_KEY, Clock, Services, Turn, utc_now
from skill.progress.fallback import FallbackQueue
from skill.progress.store import ProgressStore
from skill.serialize import SkillSerializer
from skill.settings import Settings
from skill.speech.audio_manifest import audio_source
from skill.speech.guide import AudioSource


def request_handlers() -> tuple[AbstractRequestHandler, ...]:
    """Every handler in dispatch order: the first match wins, so the catch-alls come last."""
    return (
        launch.LaunchRequestHandler(),
        # Hands-free (AudioPlayer) first: each defers unless our track is loaded.
        *audioplayer.handlers(),
        routine.StartRoutineHandler(),
        browse.ListRoutinesHandler(),
        browse.ListExercisesHandler(),
        routine.NextHandler(),
        routine.SkipHandler(),
        routine.PreviousHandler(),
        routine.RepeatHandler(),
        routine.StartOverHandler(),
        routine.ChangeTempoHandler(),
        routine.SetRepsHandler(),
        pause.PauseHandler(),
        pause.ResumeHandler(),
        progress.ProgressSummaryHandler(),
        progress.SetGoalHandler(),
        progress.DeleteDataHandler(),
        progress.PainRatingHandler(),
        progress.PainReportHandler(),
        progress.NumberAnswerHandler(),
        # Yes/no answer the deletion question first, when it was just asked.
        progress.ConfirmDeleteHandler(),
        progress.KeepDataHandler(),
        routine.YesHandler(),
        session.NoHandler(),
        session.HelpHandler(),
        session.StopHandler(),
        session.SessionEndedHandler(),
        progress.SkillDisabledHandler(),
        session.FallbackHandler(),
        session.OtherRequestHandler(),
    )


class BeginTurn(AbstractRequestInterceptor):
    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, handler_input: HandlerInput) -> None:
        turn = Turn.begin(handler_input, self.services)
        handler_input.attributes_manager.request_attributes[TURN_KEY] = turn


class FinishTurn(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response) -> None:
        turn = handler_input.attributes_manager.request_attributes.get(TURN_KEY)
        if isinstance(turn, Turn):
            # Unsaved sets ride in the session, unless it ends with this answer.
            turn.finish(session_ends=response.should_end_session is not False)
            progress.honest_word(turn, response)


def build_skill(
    settings: Settings,
    store: ProgressStore,
    clock: Clock = utc_now,
    audio: AudioSource | None = None,
    time_zones: TimeZoneLookup = alexa_time_zone,
    fallback: FallbackQueue | None = None,
) -> CustomSkill:
    """The skill, ready to ``invoke(request_envelope, context)``; build it once per process.

    ``audio`` defaults to the published MP3s named by the settings (AUDIO_BASE_URL,
    AUDIO_MANIFEST), if any; ``fallback`` the queue PROGRESS_FALLBACK_QUEUE names, if any.
    """
    if audio is None:
        audio = audio_source(settings)
    if fallback is None and settings.progress_fallback_queue:
        fallback = FallbackQueue(settings.progress_fallback_queue)
    builder = SkillBuilder()
    builder.skill_id = settings.skill_id
    services = Services(settings, store, clock, audio, time_zones, fallback)
    for handler in request_handlers():
        builder.add_request_handler(handler)
    builder.add_exception_handler(session.ErrorHandler())
    builder.add_global_request_interceptor(BeginTurn(services))
    builder.add_global_request_interceptor(questions.ForgetStaleQuestions())
    builder.add_global_response_interceptor(FinishTurn())
    skill = builder.create()
    skill.serializer = SkillSerializer()
    return skill
