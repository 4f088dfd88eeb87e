"""Assemble the skill: handlers in dispatch order, interceptors, the error handler."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder

from skill.alexa_api.endpoints import Endpoints
from skill.alexa_api.settings_api import SettingsApi, TimeZoneLookup, alexa_time_zone
from skill.handlers import (
    browse,
    data,
    handsfree,
    launch,
    numbers,
    pain,
    pause,
    plan,
    plan_link,
    playback,
    questions,
    reminders,
    routine,
    session,
    summary,
)
from skill.plans.store import PlanStore, plan_store_for
from skill.progress.fallback import FallbackQueue
from skill.progress.store import ProgressStore, StoreError
from skill.serialize import SkillSerializer
from skill.settings import Settings
from skill.speech.audio_manifest import audio_source
from skill.speech.guide import AudioSource
from skill.turn.context import Clock, Services, utc_now
from skill.turn.interceptors import BeginTurn, FinishTurn


def request_handlers() -> tuple[AbstractRequestHandler, ...]:
    """Every handler in dispatch order: the first match wins, so the catch-alls come last."""
    return (
        launch.LaunchRequestHandler(),
        # Hands-free (AudioPlayer) first: each defers unless our track is loaded.
        handsfree.PlayRoutineHandler(),
        handsfree.HandsFreePause(),
        handsfree.HandsFreeStop(),
        handsfree.HandsFreeCancel(),
        handsfree.HandsFreeResume(),
        handsfree.HandsFreeNext(),
        handsfree.HandsFreePrevious(),
        handsfree.HandsFreeRepeat(),
        handsfree.HandsFreeStartOver(),
        handsfree.LoopShuffleHandler(),
        playback.PlaybackControllerHandler(),
        playback.AudioPlayerEventHandler(),
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
        summary.ProgressSummaryHandler(),
        summary.SpreadHandler(),
        summary.SetGoalHandler(),
        data.DeleteDataHandler(),
        pain.PainRatingHandler(),
        pain.PainReportHandler(),
        # A therapist's plan: linking by code, then using it (skill/handlers/plan*.py).
        plan_link.UsePlanCodeHandler(),
        plan_link.PlanCodeAnswerHandler(),
        plan.StartPlanHandler(),
        plan.WhatIsMyPlanHandler(),
        plan.RemovePlanHandler(),
        plan.ShareProgressHandler(),
        plan.StopSharingHandler(),
        numbers.NumberAnswerHandler(),
        reminders.SetReminderHandler(),
        reminders.ListRemindersHandler(),
        reminders.CancelRemindersHandler(),
        reminders.PermissionAnswerHandler(),
        # Yes/no answer the deletion question first, when it was just asked.
        data.ConfirmDeleteHandler(),
        data.KeepDataHandler(),
        plan_link.ConfirmPlanHandler(),
        plan_link.DeclinePlanHandler(),
        plan_link.ShareAnswerHandler(),
        plan.PlanOfferYesHandler(),
        reminders.ConfirmReminderHandler(),
        reminders.DeclineReminderHandler(),
        routine.YesHandler(),
        session.NoHandler(),
        session.HelpHandler(),
        session.StopHandler(),
        session.SessionEndedHandler(),
        data.SkillDisabledHandler(),
        session.FallbackHandler(),
        session.OtherRequestHandler(),
    )


def build_skill(
    settings: Settings,
    store: ProgressStore,
    clock: Clock = utc_now,
    audio: AudioSource | None = None,
    time_zones: TimeZoneLookup | None = None,
    fallback: FallbackQueue | None = None,
    plans: PlanStore | None = None,
) -> CustomSkill:
    """The skill, ready to ``invoke(request_envelope, context)``; build it once per process.

    ``audio`` defaults to the published MP3s named by the settings (AUDIO_BASE_URL,
    AUDIO_MANIFEST), if any; ``fallback`` the queue PROGRESS_FALLBACK_QUEUE names, if any;
    ``time_zones`` the Settings API on Alexa's hosts and ALEXA_API_TEST_ENDPOINT, if valid.
    """
    if time_zones is None or time_zones is alexa_time_zone:
        # web.py passes alexa_time_zone as its default: it gets the settings' endpoints too.
        endpoints = Endpoints.for_test_endpoint(settings.alexa_api_test_endpoint)
        time_zones = SettingsApi(endpoints).time_zone
    if audio is None:
        audio = audio_source(settings)
    if fallback is None and settings.progress_fallback_queue:
        fallback = FallbackQueue(settings.progress_fallback_queue)
    builder = SkillBuilder()
    builder.skill_id = settings.skill_id
    if plans is None:
        plans = plan_store_or_none(store)
    services = Services(settings, store, clock, audio, time_zones, fallback, plans)
    for handler in request_handlers():
        builder.add_request_handler(handler)
    builder.add_exception_handler(session.ErrorHandler())
    builder.add_global_request_interceptor(BeginTurn(services))
    builder.add_global_request_interceptor(questions.ForgetStaleQuestions())
    builder.add_global_response_interceptor(FinishTurn())
    skill = builder.create()
    skill.serializer = SkillSerializer()
    return skill


def plan_store_or_none(store: ProgressStore) -> PlanStore | None:
    """Plans live beside the progress (skill/plans/); a store that has no room for them
    (a test double) leaves the plan intents saying so."""
    try:
        return plan_store_for(store)
    except StoreError:
        return None
