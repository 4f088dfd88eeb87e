"""Progress in conversation: summaries, the daily goal, pain check-ins, deleting data.

When a set counts is decided in :mod:`skill.handlers.progress_hooks`; this module
reads the progress back to the user and lets them change or remove it.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from ask_sdk_core.dispatch_components import AbstractRequestHandler, AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.ui import SsmlOutputSpeech

from skill.handlers.common import ask, number_slot, tell
from skill.handlers.launch import QUICK_SNACK
from skill.handlers.progress_hooks import record_completion
from skill.handlers.turn import OFFER_KEY, UNSAVED_KEY, Turn
from skill.progress.store import (
    MAX_DAILY_GOAL,
    MIN_DAILY_GOAL,
    DayTotal,
    PainRating,
    PendingUpdate,
    StoreError,
    UserSnapshot,
    split_user_key,
)
from skill.progress.summary import spoken_summary, summarize
from skill.speech.ssml import Speech

log = logging.getLogger(__name__)

QUESTION_KEY = "question"
CONFIRM_DELETE = "confirm_delete"
HIGH_PAIN = 7
SKILL_DISABLED = "AlexaSkillEvent.SkillDisabled"


def _snapshot_with_unsaved(turn: Turn) -> UserSnapshot:
    """The stored snapshot plus sets still waiting in the session, so summaries add up."""
    snapshot = turn.snapshot()
    days = {total.day: total for total in snapshot.days}
    for completion in turn.pending.completions:
        total = days.get(completion.local_day, DayTotal(completion.local_day, 0, 0))
        exercises = dict(total.exercises)
        exercises[completion.exercise_id] = exercises.get(completion.exercise_id, 0) + 1
        days[completion.local_day] = replace(
            total,
            sets=total.sets + 1,
            seconds=total.seconds + completion.seconds,
            exercises=exercises,
        )
    return replace(snapshot, days=tuple(days[day] for day in sorted(days)))


class ProgressSummaryHandler(AbstractRequestHandler):
    """ "How am I doing?", "what's my streak?", "what did I do this week?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProgressSummaryIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        snapshot = _snapshot_with_unsaved(turn)
        if turn.store_failed:
            speech = Speech().say(say("progress.unreachable"))
            return ask(turn, speech, say("launch.offer_reprompt"))
        summary = summarize(snapshot, turn.local_today())
        sentences = spoken_summary(
            summary,
            turn.messages,
            lambda exercise_id: turn.catalog.exercise(exercise_id).name,
            include_pain=turn.services.settings.store_pain_ratings,
        )
        speech = Speech().say(*sentences)
        if turn.plan is None:
            speech.say(say("progress.offer"))
            turn.session[OFFER_KEY] = QUICK_SNACK
            return ask(turn, speech, say("launch.offer_reprompt"))
        speech.say(say("progress.carry_on"))
        return ask(turn, speech, say("progress.carry_on"))


class SetGoalHandler(AbstractRequestHandler):
    """ "Set my daily goal to 8"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SetGoalIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        goal = number_slot(handler_input, "goal")
        if goal is None or not MIN_DAILY_GOAL <= goal <= MAX_DAILY_GOAL:
            text = say("progress.goal_invalid", low=MIN_DAILY_GOAL, high=MAX_DAILY_GOAL)
            return ask(turn, Speech().say(text), text)
        turn.pending.daily_goal = goal
        word = "snacks_one" if goal == 1 else "snacks_other"
        speech = Speech().say(say("progress.goal_set", goal=say(f"progress.count.{word}", n=goal)))
        return ask(turn, speech, say("launch.offer_reprompt"))


class DeleteDataHandler(AbstractRequestHandler):
    """ "Reset my progress" / "delete my data": asks for a spoken yes first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DeleteDataIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        turn.session[QUESTION_KEY] = CONFIRM_DELETE
        say = turn.messages.say
        speech = Speech().say(say("progress.delete_confirm"))
        return ask(turn, speech, say("progress.delete_reprompt"))


class ConfirmDeleteHandler(AbstractRequestHandler):
    """Yes, right after the deletion question: remove everything stored about this user."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) and _asked(
            handler_input, CONFIRM_DELETE
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        # Nothing of this user may be written back after the deletion.
        turn.pending = PendingUpdate()
        turn.session.pop(UNSAVED_KEY, None)
        turn.session.pop(QUESTION_KEY, None)
        try:
            turn.services.store.delete_user(turn.user_key)
        except StoreError as exc:
            log.warning("deleting a user failed: %s", type(exc).__name__)
            return ask(turn, Speech().say(say("progress.delete_failed")), say("help.reprompt"))
        return tell(turn, Speech().say(say("progress.deleted")))


class KeepDataHandler(AbstractRequestHandler):
    """No, right after the deletion question: nothing changes."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input) and _asked(
            handler_input, CONFIRM_DELETE
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        turn.session.pop(QUESTION_KEY, None)
        say = turn.messages.say
        return ask(turn, Speech().say(say("progress.kept")), say("launch.offer_reprompt"))


class PainRatingHandler(AbstractRequestHandler):
    """A 0-10 rating, asked after a routine's last set or offered by the user at any time.

    Answering after the last set is moving on, so that set counts; a rating of
    :data:`HIGH_PAIN` or more ends any routine with care.
    """

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PainRatingIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        rating = number_slot(handler_input, "rating")
        if rating is None or rating > 10:
            speech = Speech().say(say("progress.pain_invalid"))
            return ask(turn, speech, say("progress.pain_reprompt"))
        if turn.services.settings.store_pain_ratings:
            request_id = handler_input.request_envelope.request.request_id or ""
            turn.pending.pain_ratings.append(
                PainRating(f"{request_id}#pain", rating, turn.local_today(), turn.now)
            )
        plan = turn.plan
        if plan is not None and (plan.is_last or rating >= HIGH_PAIN):
            record_completion(turn, plan)
            turn.plan = None
        if rating >= HIGH_PAIN:
            # End the routine with care; never diagnose (DESIGN.md section 7).
            turn.pending.bookmark = None
            return tell(turn, Speech().say(say("progress.pain_high")))
        key = "progress.pain_none" if rating == 0 else "progress.pain_low"
        if turn.plan is not None:
            speech = Speech().say(say(key), say("progress.carry_on"))
            return ask(turn, speech, say("progress.carry_on"))
        turn.session[OFFER_KEY] = QUICK_SNACK
        speech = Speech().say(say(key), say("routine.finished_offer"))
        return ask(turn, speech, say("routine.finished_reprompt"))


class SkillDisabledHandler(AbstractRequestHandler):
    """The user disabled the skill: their data goes unless Alexa says it persists.

    The body's userInformationPersistenceStatus is PERSISTED when the same user id
    returns on re-enabling; anything else (NOT_PERSISTED, or unknown) deletes.
    """

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type(SKILL_DISABLED)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        body = getattr(handler_input.request_envelope.request, "body", None)
        status = body.get("userInformationPersistenceStatus") if isinstance(body, dict) else None
        if status != "PERSISTED":
            try:
                # The account and every voice profile under it.
                turn.services.store.delete_account(split_user_key(turn.user_key)[0])
            except StoreError as exc:
                # Day buckets still expire by TTL; the log tells operators to finish the job.
                log.error("deleting a disabled user failed: %s", type(exc).__name__)
        return handler_input.response_builder.response


# Which intents answer each question; any other request forgets the question.
ANSWERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        CONFIRM_DELETE: ("AMAZON.YesIntent", "AMAZON.NoIntent"),
    }
)


class ForgetStaleQuestions(AbstractRequestInterceptor):
    """A yes/no or a number answers only the question asked in the turn right before."""

    def process(self, handler_input: HandlerInput) -> None:
        if handler_input.request_envelope.session is None:
            return
        session = handler_input.attributes_manager.session_attributes
        question = session.get(QUESTION_KEY)
        answers = ANSWERS.get(question, ()) if isinstance(question, str) else ()
        if not any(is_intent_name(name)(handler_input) for name in answers):
            session.pop(QUESTION_KEY, None)


def _asked(handler_input: HandlerInput, question: str) -> bool:
    if handler_input.request_envelope.session is None:
        return False
    return bool(handler_input.attributes_manager.session_attributes.get(QUESTION_KEY) == question)


def honest_word(turn: Turn, response: Response) -> None:
    """When the store failed this turn, say so in this very answer, before the guidance."""
    speech = response.output_speech
    if not turn.store_failed or not isinstance(speech, SsmlOutputSpeech):
        return
    if not isinstance(speech.ssml, str) or not speech.ssml.startswith("<speak>"):
        return
    if turn.unsaved:
        key = "progress.unsaved_lost" if response.should_end_session else "progress.unsaved_kept"
    elif is_intent_name("ProgressSummaryIntent")(turn.handler_input):
        return  # the summary has already explained that the store is out of reach
    else:
        key = "progress.unreachable_now"
    sentence = html.escape(turn.messages.say(key), quote=False)
    speech.ssml = f"<speak>{sentence} {speech.ssml[len('<speak>') :]}"
