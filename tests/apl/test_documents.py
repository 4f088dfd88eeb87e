"""Every APL document and datasource the skill can send, checked by Amazon's validator,
and each state's datasource compared with its JSON snapshot.

Prevents: a document or datasource the device refuses to render (a bad property, an
unknown component, a datasource that is not an object), and words or numbers on screen
changing unnoticed. Snapshots are exact: after an intended change, regenerate them with
``APL_SNAPSHOTS=update .venv/bin/pytest tests/apl`` and review the diff.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from skill.progress.store import DayTotal, UserSnapshot
from skill.progress.summary import summarize
from skill.routines.catalog import load_catalog
from skill.routines.pacing import CueKind
from skill.routines.plan import Plan
from skill.screens import DOCUMENTS, Rendered, document, sent_document
from skill.screens.exercise import exercise_screen
from skill.screens.progress import progress_screen, week_counts
from skill.speech.guide import set_timeline
from skill.speech.messages import messages_for
from tests.apl.validator import ALEXA_LAYOUTS, problems, validate

SNAPSHOTS = Path(__file__).with_name("snapshots")
CATALOG = load_catalog("en-US")
MESSAGES = messages_for("en-US")
TODAY = date(2026, 11, 25)  # a Wednesday
# Desk break: ankle rolls (two sides) first, neck rotations (two sides) third of four.
DESK = Plan.for_routine(CATALOG.routine("desk_break"))
# Any lead-in: the commands' first Idle waits for it, the rest is the timeline's.
LEAD_IN_MS = 4200


def progress_snapshot(sets_by_day: dict[int, int], goal: int = 5) -> UserSnapshot:
    """Sets on days ``n`` days before today, each in its own sitting (an hour apart)."""
    days = tuple(
        DayTotal(
            TODAY.fromordinal(TODAY.toordinal() - back),
            sets,
            sets * 60,
            minutes=tuple(range(8 * 60, (8 + sets) * 60, 60)),
        )
        for back, sets in sorted(sets_by_day.items(), reverse=True)
    )
    return UserSnapshot(disclaimer_heard=True, daily_goal=goal, days=days)


def progress(sets_by_day: dict[int, int]) -> Rendered:
    snapshot = progress_snapshot(sets_by_day)
    summary = summarize(snapshot, TODAY)
    return progress_screen(MESSAGES, summary, week_counts(snapshot, TODAY)).render(None)


STATES: dict[str, Rendered] = {
    "exercise-start": exercise_screen(MESSAGES, CATALOG, DESK).render(None),
    "exercise-mid": exercise_screen(MESSAGES, CATALOG, DESK.moved(+2)).render(None),
    "exercise-last": exercise_screen(MESSAGES, CATALOG, DESK.moved(+3)).render(None),
    "exercise-single": exercise_screen(
        MESSAGES, CATALOG, Plan.for_exercise(CATALOG.exercise("pelvic_tilts"))
    ).render(None),
    "exercise-following-audio": exercise_screen(MESSAGES, CATALOG, DESK).render(LEAD_IN_MS),
    "progress-none": progress({}),
    # Three days in a row up to today, the goal met yesterday, a gap before.
    "progress-some": progress({0: 2, 1: 5, 2: 1, 5: 3}),
}


def sent(rendered: Rendered) -> dict[str, Any]:
    """What a snapshot holds: the datasource, and the commands run on mount, if any."""
    data: dict[str, Any] = {"datasources": rendered.datasources}
    if rendered.commands:
        data["onMount"] = rendered.commands
    return data


@pytest.fixture(scope="module")
def findings() -> dict[str, list[str]]:
    items = [(name, document(name), {}) for name in DOCUMENTS]
    items += [(state, sent_document(r), r.datasources) for state, r in STATES.items()]
    return problems(validate(items))


def test_every_document_and_state_passes_amazons_validator(
    findings: dict[str, list[str]],
) -> None:
    assert findings == {}


def test_the_validator_finds_what_a_device_would_refuse() -> None:
    """Prevents a validator run that passes anything (a wrong folder, an empty result)."""
    exercise = json.loads(json.dumps(document("exercise")))
    phase = exercise["mainTemplate"]["items"][0]["items"][4]
    assert phase["id"] == "phase"
    phase["fontSize"] = "huge"
    exercise["mainTemplate"]["items"][0]["items"].append({"type": "AlexaNoSuchLayout"})
    broken = {"type": "APL", "version": "2024.2", "mainTemplate": {"items": [{"type": "Txet"}]}}
    found = problems(validate([("exercise", exercise, {"exercise": []}), ("broken", broken, {})]))
    assert any("fontSize" in p for p in found["exercise"])
    assert any("exercise in DataSources should be an object" in p for p in found["exercise"])
    assert any("AlexaNoSuchLayout" in p for p in found["exercise"])
    assert any("Txet" in p for p in found["broken"])


def test_only_the_alexa_layouts_we_use_go_unchecked_offline() -> None:
    """The validator cannot fetch alexa-layouts offline: say exactly what it skipped."""
    for found in validate([(name, document(name), {}) for name in DOCUMENTS]):
        assert found.errors == []
        assert found.unchecked_layouts <= ALEXA_LAYOUTS


@pytest.mark.parametrize("state", sorted(STATES))
def test_datasource_matches_its_snapshot(state: str) -> None:
    path = SNAPSHOTS / f"{state}.json"
    actual = sent(STATES[state])
    if os.environ.get("APL_SNAPSHOTS") == "update":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert actual == json.loads(path.read_text("utf-8"))


def test_the_following_screen_changes_on_the_timelines_milliseconds() -> None:
    """Prevents the screen drifting from the audio: each phase text appears at its cue."""
    timeline = set_timeline(CATALOG, DESK)
    (sequential,) = STATES["exercise-following-audio"].commands
    idle, *steps = sequential["commands"]
    assert idle == {"type": "Idle", "delay": LEAD_IN_MS}
    at, phase_at = 0, {}
    for step in steps:
        at += step["delay"]
        if step["componentId"] == "phase":
            phase_at.setdefault(at, step["value"])
    spoken = {c.start_ms: c.text for c in timeline.cues}
    assert phase_at.items() <= spoken.items()
    assert next(c.start_ms for c in timeline.cues if c.kind is CueKind.END) in phase_at
    reps = [s["value"] for s in steps if s["componentId"] == "rep"]
    assert reps[0] == "Rep 1 of 5" and reps[-1] == "Rep 5 of 5"
    assert [s["value"] for s in steps if s["componentId"] == "side"] == ["Left side", "Right side"]


def test_the_still_screen_shows_the_sets_steps_and_not_a_counter_it_cannot_keep() -> None:
    data = STATES["exercise-start"].datasources["exercise"]
    ankle = CATALOG.exercise("ankle_rolls")
    assert data["following"] is False
    assert data["steps"] == [phase.cue for phase in ankle.phases]
    assert STATES["exercise-start"].commands == []
