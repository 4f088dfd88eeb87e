"""The exercise screen: the current set's name, setup, phase, rep counter, side and place.

With generated audio the screen follows the set: the timeline's cues (the same
milliseconds the MP3 was rendered from) become a Sequential of SetValue commands,
run when the document mounts, so the phase text and the rep counter change as the
user hears them. Without audio (SSML pauses, whose spoken length Alexa's voice
decides) it shows the set's steps and does not pretend to keep time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skill.routines.catalog import Catalog
from skill.routines.pacing import CueKind, Timeline
from skill.routines.plan import Plan
from skill.screens.screen import Rendered
from skill.speech.guide import set_timeline
from skill.speech.messages import Messages

DOCUMENT = "exercise"
TOKEN = "movement-snacks-exercise"


@dataclass(frozen=True)
class Change:
    """At ``at_ms`` into the set, the text of component ``component`` becomes ``text``."""

    at_ms: int
    component: str
    text: str


@dataclass(frozen=True)
class ExerciseScreen:
    """Built only when rendered: a screenless request never computes it."""

    messages: Messages
    catalog: Catalog
    plan: Plan

    def render(self, lead_in_ms: int | None) -> Rendered:
        timeline = set_timeline(self.catalog, self.plan)
        found = changes(self.messages, timeline) if lead_in_ms is not None else ()
        data = exercise_data(self.messages, self.catalog, self.plan, timeline)
        datasources = {"exercise": {**data, "following": bool(found)}}
        if lead_in_ms is None or not found:
            return Rendered(DOCUMENT, TOKEN, datasources)
        return Rendered(DOCUMENT, TOKEN, datasources, [follow_commands(found, lead_in_ms)])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def exercise_screen(messages: Messages, catalog: Catalog, plan: Plan) -> ExerciseScreen:
    """The screen of ``plan``'s current set."""
    return ExerciseScreen(messages, catalog, plan)


def exercise_data(
    messages: Messages, catalog: Catalog, plan: Plan, timeline: Timeline
) -> dict[str, Any]:
    """The datasource of the set as it stands before it starts."""
    exercise = catalog.exercise(plan.exercise_id)
    say = messages.say
    routine = (
        catalog.routine(plan.routine_id).name
        if plan.routine_id is not None
        else say("screen.single_title")
    )
    sides = messages.join(list(exercise.sides), "and")
    return {
        "routine": _capital(routine),
        "place": say("screen.exercise_place", number=plan.index + 1, count=len(plan.exercise_ids)),
        "position": plan.index + 1,
        "total": len(plan.exercise_ids),
        "title": _capital(exercise.name),
        "setup": " ".join(exercise.setup),
        "stepsTitle": say("screen.steps_title"),
        "steps": [phase.cue for phase in exercise.phases],
        "phase": say("screen.get_ready"),
        "rep": messages.count("unit.reps", timeline.reps),
        "side": _capital(say("screen.side", side=sides)) if sides else "",
        # What the answer asks after the set: the next exercise, or the pain check-in.
        "hint": say("screen.hint_last" if plan.is_last else "screen.hint_next"),
    }


def changes(messages: Messages, timeline: Timeline) -> tuple[Change, ...]:
    """What the screen shows as each cue is heard: the cue's words as the phase, the
    rep counter when a rep begins, the side when a side begins."""
    found: list[Change] = []
    shown: dict[str, str] = {}

    def show(at_ms: int, component: str, text: str) -> None:
        if shown.get(component) != text:
            shown[component] = text
            found.append(Change(at_ms, component, text))

    for cue in timeline.cues:
        if cue.kind is CueKind.SIDE and cue.side is not None:
            show(cue.start_ms, "side", _capital(messages.say("screen.side", side=cue.side)))
        # A rep whose phases go quiet shows itself by its count ("Two."): any cue of it.
        if cue.kind in (CueKind.PHASE, CueKind.SHORT, CueKind.COUNT) and cue.rep:
            rep = messages.say("screen.rep", rep=cue.rep, reps=timeline.reps)
            show(cue.start_ms, "rep", rep)
        show(cue.start_ms, "phase", cue.text)
    return tuple(found)


def follow_commands(changes: tuple[Change, ...], lead_in_ms: int) -> dict[str, Any]:
    """One Sequential: wait for the audio to start, then each change at its millisecond.

    A command's delay counts from the end of the one before, so each delay is the
    gap since the previous change (SetValue itself takes no time)."""
    commands: list[dict[str, Any]] = [{"type": "Idle", "delay": max(0, lead_in_ms)}]
    previous = 0
    for change in changes:
        commands.append(
            {
                "type": "SetValue",
                "componentId": change.component,
                "property": "text",
                "value": change.text,
                "delay": change.at_ms - previous,
            }
        )
        previous = change.at_ms
    return {"type": "Sequential", "commands": commands}
