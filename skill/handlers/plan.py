"""A linked plan in use: "start my plan", "what's my plan", "remove my plan", sharing.

The plan's exercises run as an ordinary guided session (its reps and tempo per
exercise), so next, slower, pause and the counting rules work as in any routine.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.plan_link import set_sharing, unavailable
from skill.handlers.plan_words import PLAN_OFFER, plans, read_back, session_plan, user_plan
from skill.handlers.respond import ask
from skill.handlers.routine import start_plan
from skill.plans.model import Link, StoredPlan
from skill.progress.store import DEFAULT_DAILY_GOAL, StoreError
from skill.speech.ssml import Speech
from skill.turn.context import OFFER_KEY, Turn


def no_plan(turn: Turn, stored: StoredPlan | None = None) -> Response:
    say = turn.messages.say
    text = say("plan.ended", clinic=stored.plan.clinic) if stored else say("plan.no_plan")
    return ask(turn, Speech().say(text), say("launch.offer_reprompt"))


def live_plan(turn: Turn) -> tuple[Link, StoredPlan] | Response:
    """The user's link and live plan, or the answer saying why there is none."""
    try:
        link, stored, _ = user_plan(turn)
    except StoreError as exc:
        return unavailable(turn, exc)
    if link is None or stored is None or not stored.is_live(turn.now):
        return no_plan(turn, stored if link is not None else None)
    return link, stored


def begin_plan(turn: Turn) -> Response:
    """The user's live plan as a guided session; exercises gone from the catalog skipped."""
    found = live_plan(turn)
    if not isinstance(found, tuple):
        return found
    _, stored = found
    say = turn.messages.say
    plan = stored.plan
    guided, missing = session_plan(turn, plan)
    if guided is None:
        text = say("plan.nothing_left", clinic=plan.clinic)
        return ask(turn, Speech().say(text), say("launch.offer_reprompt"))
    speech = Speech().say(
        say("plan.start", clinic=plan.clinic, title=plan.title, count=len(guided.exercise_ids))
    )
    if missing:
        speech.say(turn.messages.count("plan.missing", missing))
    if plan.note:
        speech.say(plan.note)
    return start_plan(turn, guided, speech)


class StartPlanHandler(AbstractRequestHandler):
    """ "Start my plan", "do my physio exercises"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StartPlanIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return begin_plan(Turn.of(handler_input))


class PlanOfferYesHandler(AbstractRequestHandler):
    """Yes to the launch greeting's offer of the user's plan."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not is_intent_name("AMAZON.YesIntent")(handler_input):
            return False
        turn = Turn.of(handler_input)
        return turn.in_session and turn.plan is None and turn.session.get(OFFER_KEY) == PLAN_OFFER

    def handle(self, handler_input: HandlerInput) -> Response:
        return begin_plan(Turn.of(handler_input))


class WhatIsMyPlanHandler(AbstractRequestHandler):
    """ "What's my plan?": the read-back, and whether it is shared."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("WhatIsMyPlanIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        found = live_plan(turn)
        if not isinstance(found, tuple):
            return found
        link, stored = found
        say = turn.messages.say
        key = "plan.what_sharing_on" if link.sharing else "plan.what_sharing_off"
        speech = Speech().say(
            read_back(turn, stored.plan, "plan.what_is"), say(key, clinic=stored.plan.clinic)
        )
        speech.say(say("plan.start_when_ready"))
        return ask(turn, speech, say("plan.offer_reprompt"))


def remove(turn: Turn, link: Link, stored: StoredPlan | None) -> Response:
    plans(turn).remove_link(link)
    goal = link.previous_goal or DEFAULT_DAILY_GOAL
    turn.pending.daily_goal = goal
    say = turn.messages.say
    clinic = stored.plan.clinic if stored else ""
    text = say(
        "plan.removed", clinic=clinic, goal=turn.messages.count("progress.count.snacks", goal)
    )
    return ask(turn, Speech().say(text), say("launch.offer_reprompt"))


class RemovePlanHandler(AbstractRequestHandler):
    """ "Remove my plan": the link goes (under the user and the plan), the goal goes back."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("RemovePlanIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        try:
            link, stored, _ = user_plan(turn)
            if link is None:
                return no_plan(turn)
            return remove(turn, link, stored)
        except StoreError as exc:
            return unavailable(turn, exc)


class ShareProgressHandler(AbstractRequestHandler):
    """ "Share my progress with my therapist"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ShareProgressIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return set_sharing(Turn.of(handler_input), True, answer=False)


class StopSharingHandler(AbstractRequestHandler):
    """ "Stop sharing my progress": withdrawn at once."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StopSharingIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return set_sharing(Turn.of(handler_input), False, answer=False)
