"""Linking a therapist's plan by voice: the code, the read-back, yes, and the sharing question.

"Use plan code 4 8 2 9 1 3" reads the plan back and asks to confirm; a yes links
it (the daily goal becomes the plan's per_day) and asks once, in plain words,
whether the clinic may see how often the plan is done. The rules for codes and
wrong tries live in :mod:`skill.plans.linking`.
"""

from __future__ import annotations

import logging
import math

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.common import resolved_slot
from skill.handlers.plan_words import plans, read_back, user_plan
from skill.handlers.questions import CONFIRM_PLAN, PLAN_CODE, SHARE_PLAN, asked, set_question
from skill.handlers.respond import ask
from skill.plans.linking import CODE, MAX_WRONG_TRIES, CodeCheck, check_code
from skill.plans.model import Attempts, StoredPlan
from skill.progress.store import StoreError
from skill.speech.ssml import Speech
from skill.turn.context import Turn

log = logging.getLogger(__name__)

PENDING_CODE_KEY = "plan_code"


def unavailable(turn: Turn, exc: StoreError) -> Response:
    log.warning("plan store failed: %s", type(exc).__name__)
    say = turn.messages.say
    return ask(turn, Speech().say(say("plan.unavailable")), say("launch.offer_reprompt"))


def answer_code(turn: Turn, heard: str | None) -> Response:
    """Check a heard code; a live plan is read back and the user asked to confirm."""
    say = turn.messages.say
    if heard is None:
        set_question(turn, PLAN_CODE)
        return ask(turn, Speech().say(say("plan.ask_code")), say("plan.ask_code_reprompt"))
    try:
        _, _, attempts = user_plan(turn)
        result = check_code(plans(turn), turn.user_key, heard, attempts, turn.now)
    except StoreError as exc:
        return unavailable(turn, exc)
    if result.check is CodeCheck.FOUND and result.plan is not None:
        turn.session[PENDING_CODE_KEY] = result.plan.code
        set_question(turn, CONFIRM_PLAN)
        speech = Speech().say(read_back(turn, result.plan.plan), say("plan.confirm"))
        return ask(turn, speech, say("plan.confirm_reprompt"))
    return refused(turn, result.check, attempts, result.plan)


def refused(
    turn: Turn, check: CodeCheck, attempts: Attempts, stored: StoredPlan | None
) -> Response:
    say = turn.messages.say
    if check is CodeCheck.MALFORMED or check is CodeCheck.WRONG:
        set_question(turn, PLAN_CODE)
        if check is CodeCheck.MALFORMED:
            text = say("plan.malformed")
        else:
            left = turn.messages.count("plan.count.tries", MAX_WRONG_TRIES - attempts.tries - 1)
            text = say("plan.wrong", left=left)
        return ask(turn, Speech().say(text), say("plan.ask_code_reprompt"))
    if check is CodeCheck.LOCKED and attempts.locked_until is not None:
        minutes = math.ceil((attempts.locked_until - turn.now).total_seconds() / 60)
        text = say("plan.locked", minutes=turn.messages.count("unit.minutes", minutes))
    elif check is CodeCheck.EXPIRED and stored is not None:
        key = "plan.revoked" if stored.revoked else "plan.expired"
        text = say(key, clinic=stored.plan.clinic)
    else:
        text = say("plan.locked_now")
    return ask(turn, Speech().say(text), say("launch.offer_reprompt"))


class UsePlanCodeHandler(AbstractRequestHandler):
    """ "Use plan code 4 8 2 9 1 3", "I have a code from my physical therapist"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("UsePlanCodeIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return answer_code(turn, resolved_slot(handler_input, "code")[1])


class PlanCodeAnswerHandler(AbstractRequestHandler):
    """A bare number right after "what's the code?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("NumberAnswerIntent")(handler_input) and asked(
            handler_input, PLAN_CODE
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        heard = resolved_slot(handler_input, "number")[1]
        return answer_code(turn, heard or "")


class ConfirmPlanHandler(AbstractRequestHandler):
    """Yes after the read-back: the plan becomes the user's, its per_day their goal."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) and asked(
            handler_input, CONFIRM_PLAN
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        say = turn.messages.say
        code = turn.session.pop(PENDING_CODE_KEY, None)
        set_question(turn, None)
        try:
            store = plans(turn)
            # Session attributes come back from the device: only a code's shape is looked up.
            stored = store.find(code) if isinstance(code, str) and CODE.fullmatch(code) else None
            if stored is None or not stored.is_live(turn.now):
                return refused(turn, CodeCheck.EXPIRED, Attempts(), stored)
            earlier, _ = store.user_state(turn.user_key)
            goal = earlier.previous_goal if earlier else turn.snapshot().daily_goal
            store.add_link(turn.user_key, stored.code, turn.now, goal)
        except StoreError as exc:
            return unavailable(turn, exc)
        plan = stored.plan
        turn.pending.daily_goal = plan.per_day
        per_day = turn.messages.count("progress.count.snacks", plan.per_day)
        key = (
            "plan.share_ask_pain" if turn.services.settings.store_pain_ratings else "plan.share_ask"
        )
        set_question(turn, SHARE_PLAN)
        speech = Speech().say(say("plan.linked", per_day=per_day), say(key, clinic=plan.clinic))
        return ask(turn, speech, say("plan.share_reprompt", clinic=plan.clinic))


class DeclinePlanHandler(AbstractRequestHandler):
    """No after the read-back: nothing is linked."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input) and asked(
            handler_input, CONFIRM_PLAN
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        turn.session.pop(PENDING_CODE_KEY, None)
        set_question(turn, None)
        say = turn.messages.say
        return ask(turn, Speech().say(say("plan.not_linked")), say("launch.offer_reprompt"))


def set_sharing(turn: Turn, sharing: bool, *, answer: bool) -> Response:
    """Record the user's sharing choice; ``answer``: it answers the question after linking."""
    say = turn.messages.say
    try:
        link, stored, _ = user_plan(turn)
        if link is None or stored is None:
            return ask(turn, Speech().say(say("plan.no_plan")), say("launch.offer_reprompt"))
        plans(turn).set_sharing(link, sharing)
    except StoreError as exc:
        return unavailable(turn, exc)
    clinic = stored.plan.clinic
    pain = turn.services.settings.store_pain_ratings
    if sharing:
        text = say("plan.sharing_on_pain" if pain else "plan.sharing_on", clinic=clinic)
    else:
        text = say("plan.sharing_off" if answer else "plan.sharing_stopped", clinic=clinic)
    return ask(turn, Speech().say(text, say("plan.start_when_ready")), say("plan.offer_reprompt"))


class ShareAnswerHandler(AbstractRequestHandler):
    """Yes or no to "may the clinic see how often you do this plan?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        yes_or_no = is_intent_name("AMAZON.YesIntent")(handler_input) or is_intent_name(
            "AMAZON.NoIntent"
        )(handler_input)
        return yes_or_no and asked(handler_input, SHARE_PLAN)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        set_question(turn, None)
        return set_sharing(turn, is_intent_name("AMAZON.YesIntent")(handler_input), answer=True)
