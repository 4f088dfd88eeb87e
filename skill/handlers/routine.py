"""Starting a routine and moving through it: next, previous, repeat, skip, tempo, reps."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.common import deliver_set, number_slot, resolved_slot
from skill.handlers.launch import QUICK_SNACK
from skill.handlers.questions import REPS, set_question
from skill.handlers.respond import ask
from skill.routines.choice import requested_plan
from skill.routines.plan import Plan
from skill.speech.guide import routine_minutes
from skill.speech.ssml import Speech
from skill.turn.context import OFFER_KEY, REMINDED_KEY, Turn


def plan_from_request(turn: Turn) -> Plan | None:
    """The plan a StartRoutineIntent or PlayRoutineIntent asks for."""
    slots = (resolved_slot(turn.handler_input, name) for name in ("exercise", "routine", "area"))
    return requested_plan(turn.catalog, *slots)


def first_time_notice(turn: Turn, speech: Speech) -> None:
    """The disclaimer, once per user, whichever way they first reach a routine."""
    if not turn.snapshot().disclaimer_heard and not turn.pending.disclaimer_heard:
        speech.say(turn.messages.say("launch.disclaimer"))
        turn.pending.disclaimer_heard = True


def forget_bookmark(turn: Turn) -> None:
    """A new or finished routine replaces whatever was paused before."""
    if turn.snapshot().bookmark is not None:
        turn.pending.bookmark = None


def start_plan(turn: Turn, plan: Plan, speech: Speech | None = None) -> Response:
    """Start ``plan`` after ``speech``: moving on from a routine under way counts its heard set."""
    turn.move_on()
    say = turn.messages.say
    speech = speech if speech is not None else Speech()
    first_time_notice(turn, speech)
    if plan.routine_id is not None:
        routine = turn.catalog.routine(plan.routine_id)
        minutes = routine_minutes(turn.catalog, plan)
        speech.say(
            say(
                "routine.start",
                routine=routine.name,
                count=len(plan.exercise_ids),
                minutes=turn.messages.count("unit.minutes", minutes),
            )
        )
    # Every routine reminds, unless the welcome said it a moment ago.
    if not turn.session.pop(REMINDED_KEY, False):
        speech.say(say("routine.safety_reminder"))
    turn.session.pop(OFFER_KEY, None)
    forget_bookmark(turn)
    return deliver_set(turn, plan, speech)


def finish_routine(turn: Turn, speech: Speech) -> Response:
    """The routine is over: offer another snack."""
    turn.plan = None
    forget_bookmark(turn)
    turn.session[OFFER_KEY] = QUICK_SNACK
    say = turn.messages.say
    speech.say(say("routine.finished_offer"))
    return ask(turn, speech, say("routine.finished_reprompt"))


def unknown_choice(turn: Turn) -> Response:
    """Nothing asked for, or nothing known by that name: a short choice, never an error."""
    say = turn.messages.say
    routines = turn.messages.join([r.name for r in turn.catalog.routines.values()], "or")
    heard = [resolved_slot(turn.handler_input, name)[1] for name in ("exercise", "routine")]
    _, area = resolved_slot(turn.handler_input, "area")
    if area is not None and not any(heard):
        areas = turn.messages.join(turn.catalog.main_areas, "or")
        text = say("catalog.area_unknown", areas=areas)
    elif any(heard):
        text = say("catalog.unknown", routines=routines)
    else:
        text = say("catalog.choose", routines=routines)
    return ask(turn, Speech().say(text), say("catalog.unknown_reprompt"))


def no_routine(turn: Turn) -> Response:
    say = turn.messages.say
    return ask(turn, Speech().say(say("routine.no_routine")), say("launch.offer_reprompt"))


def advance(turn: Turn, plan: Plan) -> Response:
    """Count the delivered set, then the next exercise or the routine's end."""
    turn.move_on()
    if plan.is_last:
        return finish_routine(turn, Speech())
    return deliver_set(turn, plan.moved(+1))


class RoutineCommandHandler(AbstractRequestHandler):
    """A command that only means something inside a routine; outside one it explains."""

    intent_name: str

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent_name)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        plan = turn.plan
        return no_routine(turn) if plan is None else self.handle_plan(turn, plan)

    def handle_plan(self, turn: Turn, plan: Plan) -> Response:
        raise NotImplementedError


class StartRoutineHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StartRoutineIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        plan = plan_from_request(turn)
        if plan is None:
            return unknown_choice(turn)
        if (current := turn.plan) is not None:
            plan = Plan(plan.routine_id, plan.exercise_ids, tempo=current.tempo)
        return start_plan(turn, plan)


class NextHandler(RoutineCommandHandler):
    intent_name = "AMAZON.NextIntent"

    def handle_plan(self, turn: Turn, plan: Plan) -> Response:
        return advance(turn, plan)


class SkipHandler(RoutineCommandHandler):
    """Skip: move on without counting the current set as done."""

    intent_name = "SkipIntent"

    def handle_plan(self, turn: Turn, plan: Plan) -> Response:
        skipped = turn.messages.say(
            "routine.skipped", exercise=turn.catalog.exercise(plan.exercise_id).name
        )
        if plan.is_last:
            return finish_routine(turn, Speech().say(skipped))
        return deliver_set(turn, plan.moved(+1), Speech().say(skipped))


class PreviousHandler(RoutineCommandHandler):
    intent_name = "AMAZON.PreviousIntent"

    def handle_plan(self, turn: Turn, plan: Plan) -> Response:
        turn.move_on()
        speech = Speech()
        if plan.index == 0:
            speech.say(turn.messages.say("routine.no_previous"))
        return deliver_set(turn, plan.moved(-1), speech)


class RepeatHandler(RoutineCommandHandler):
    intent_name = "AMAZON.RepeatIntent"

    def handle_plan(self, turn: Turn, plan: Plan) -> Response:
        # Doing a set again means the one just heard was done too.
        turn.move_on()
        return deliver_set(turn, plan)


class StartOverHandler(RoutineCommandHandler):
    intent_name = "AMAZON.StartOverIntent"

    def handle_plan(self, turn: Turn, plan: Plan) -> Response:
        turn.move_on()
        speech = Speech()
        if plan.routine_id is not None:
            name = turn.catalog.routine(plan.routine_id).name
            speech.say(turn.messages.say("routine.start_over", routine=name))
        return deliver_set(turn, plan.restarted(), speech)


class ChangeTempoHandler(RoutineCommandHandler):
    intent_name = "ChangeTempoIntent"

    def handle_plan(self, turn: Turn, plan: Plan) -> Response:
        direction, _ = resolved_slot(turn.handler_input, "tempo")
        say = turn.messages.say
        if direction not in ("slower", "faster"):
            text = say("routine.tempo_which")
            return ask(turn, Speech().say(text), text)
        faster = direction == "faster"
        tempo = plan.tempo.faster() if faster else plan.tempo.slower()
        if tempo is plan.tempo:
            # Nothing would change: no need to hear the whole set again.
            key = "routine.tempo_fastest" if faster else "routine.tempo_slowest"
            text = say("routine.tempo_limit_choice")
            return ask(turn, Speech().say(say(key), text), text)
        key = "routine.tempo_faster" if faster else "routine.tempo_slower"
        # The current set again at the new pace: the user asked mid-exercise.
        return deliver_set(turn, plan.with_tempo(tempo), Speech().say(say(key)))


class SetRepsHandler(RoutineCommandHandler):
    intent_name = "SetRepsIntent"

    def handle_plan(self, turn: Turn, plan: Plan) -> Response:
        return set_reps(turn, plan, number_slot(turn.handler_input, "reps"))


def set_reps(turn: Turn, plan: Plan, reps: int | None) -> Response:
    """Redo the current set with the user's rep count, or ask again for a sensible one."""
    say = turn.messages.say
    exercise = turn.catalog.exercise(plan.exercise_id)
    if reps is None or not 1 <= reps <= exercise.max_reps:
        set_question(turn, REPS)
        text = (
            say("routine.reps_missing")
            if reps is None
            else say("routine.reps_invalid", max=exercise.max_reps, exercise=exercise.name)
        )
        return ask(turn, Speech().say(text), text)
    speech = Speech().say(say("routine.reps_set", reps=turn.messages.count("unit.reps", reps)))
    return deliver_set(turn, plan.with_reps(reps), speech)


class YesHandler(AbstractRequestHandler):
    """Yes accepts the offered snack, or carries on to the next exercise."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        plan = turn.plan
        if plan is not None:
            return advance(turn, plan)
        offered = turn.session.get(OFFER_KEY)
        routine_id = (
            offered
            if isinstance(offered, str) and offered in turn.catalog.routines
            else QUICK_SNACK
        )
        return start_plan(turn, Plan.for_routine(turn.catalog.routine(routine_id)))
