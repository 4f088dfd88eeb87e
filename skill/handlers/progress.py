"""Progress in conversation: summaries, the daily goal, pain check-ins, deleting data.

When a set counts is decided in :mod:`skill.handlers.progress_hooks`; this module
reads the progress back to the user and lets them change or remove it.
"""

from __future__ import annotations

import html
import logging
from dataclasses import replace

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.ui import SsmlOutputSpeech

from skill.handlers.common import ask, number_slot, tell
from skill.handlers.launch import QUICK_SNACK
from skill.handlers.progress_hooks import record_completion
from skill.handlers.questions import (
    CONFIRM_DELETE,
    GOAL,
    PAIN,
    REPS,
    asked,
    current_question,
    set_question,
)
from skill.handlers.routine import finish_routine, set_reps
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

# From this rating on the routine ends; from HIGH_PAIN on the user is pointed to their therapist.
MODERATE_PAIN = 4
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
        return set_goal(turn, number_slot(handler_input, "goal"))


def set_goal(turn: Turn, goal: int | None) -> Response:
    say = turn.messages.say
    if goal is None or not MIN_DAILY_GOAL <= goal <= MAX_DAILY_GOAL:
        set_question(turn, GOAL)
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
        set_question(turn, CONFIRM_DELETE)
        say = turn.messages.say
        speech = Speech().say(say("progress.delete_confirm"))
        return ask(turn, speech, say("progress.delete_reprompt"))


class ConfirmDeleteHandler(AbstractRequestHandler):
    """Yes, right after the deletion question: remove everything stored about this user."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) and asked(
            handler_input, CONFIRM_DELETE
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        # Nothing of this user may be written back after the deletion.
        turn.pending = PendingUpdate()
        turn.session.pop(UNSAVED_KEY, None)
        set_question(turn, None)
        try:
            turn.services.store.delete_user(turn.user_key)
        except StoreError as exc:
            log.warning("deleting a user failed: %s", type(exc).__name__)
            return ask(turn, Speech().say(say("progress.delete_failed")), say("help.reprompt"))
        return tell(turn, Speech().say(say("progress.deleted")))


class KeepDataHandler(AbstractRequestHandler):
    """No, right after the deletion question: nothing changes."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input) and asked(
            handler_input, CONFIRM_DELETE
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        set_question(turn, None)
        say = turn.messages.say
        return ask(turn, Speech().say(say("progress.kept")), say("launch.offer_reprompt"))


class PainRatingHandler(AbstractRequestHandler):
    """ "My pain is a 3": a 0-10 rating, asked after a routine or offered at any time."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PainRatingIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return answer_pain(Turn.of(handler_input), number_slot(handler_input, "rating"))


class PainReportHandler(AbstractRequestHandler):
    """ "Ouch, that hurts": stop the movement at once, then ask how it feels now."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PainReportIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        set_question(turn, PAIN)
        plan = turn.plan
        if plan is not None:
            turn.plan = replace(plan, delivered=False)  # stopped midway: it does not count
        speech = Speech().say(say("progress.pain_stop"), say("progress.pain_question_now"))
        return ask(turn, speech, say("progress.pain_reprompt"))


def answer_pain(turn: Turn, rating: int | None) -> Response:
    """Act on a 0-10 rating: carry on gently, ease off and stop, or stop and see the therapist.

    Answering after the last set is moving on, so that set counts; from
    :data:`MODERATE_PAIN` on any routine ends with care. Never diagnose (DESIGN.md 7).
    """
    say = turn.messages.say
    if rating is None or rating > 10:
        set_question(turn, PAIN)
        return ask(turn, Speech().say(say("progress.pain_invalid")), say("progress.pain_reprompt"))
    if turn.services.settings.store_pain_ratings:
        request_id = turn.handler_input.request_envelope.request.request_id or ""
        turn.pending.pain_ratings.append(
            PainRating(f"{request_id}#pain", rating, turn.local_today(), turn.now)
        )
    plan = turn.plan
    if plan is not None and plan.is_last:
        record_completion(turn, plan)  # the check-in after the last set: it was done
        turn.plan = None
    if rating >= MODERATE_PAIN:
        turn.plan = None
        turn.pending.bookmark = None
        key = "progress.pain_high" if rating >= HIGH_PAIN else "progress.pain_moderate"
        return tell(turn, Speech().say(say(key)))
    key = "progress.pain_none" if rating == 0 else "progress.pain_low"
    if turn.plan is not None:
        speech = Speech().say(say(key), say("progress.carry_on"))
        return ask(turn, speech, say("progress.carry_on"))
    return finish_routine(turn, Speech().say(say(key)))


class NumberAnswerHandler(AbstractRequestHandler):
    """A number on its own answers the question just asked; without one, ask what it means."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("NumberAnswerIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        number = number_slot(handler_input, "number")
        question = current_question(turn)
        if question == PAIN:
            return answer_pain(turn, number)
        if question == GOAL:
            return set_goal(turn, number)
        plan = turn.plan
        if question == REPS and plan is not None:
            return set_reps(turn, plan, number)
        say = turn.messages.say
        text = say("progress.number_unclear", number=number if number is not None else "that")
        return ask(turn, Speech().say(text), say("help.reprompt"))


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


def honest_word(turn: Turn, response: Response) -> None:
    """When the store failed this turn, say so in this very answer, before the guidance."""
    speech = response.output_speech
    if not turn.store_failed or not isinstance(speech, SsmlOutputSpeech):
        return
    if not isinstance(speech.ssml, str) or not speech.ssml.startswith("<speak>"):
        return
    if turn.queued:
        key = "progress.unsaved_queued"
    elif turn.unsaved:
        key = "progress.unsaved_lost" if response.should_end_session else "progress.unsaved_kept"
    elif is_intent_name("ProgressSummaryIntent")(turn.handler_input):
        return  # the summary has already explained that the store is out of reach
    else:
        key = "progress.unreachable_now"
    sentence = html.escape(turn.messages.say(key), quote=False)
    speech.ssml = f"<speak>{sentence} {speech.ssml[len('<speak>') :]}"
