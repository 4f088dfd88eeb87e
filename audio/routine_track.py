"""A whole routine as one layout, for hands-free playback through the AudioPlayer.

The track strings the routine's sets together (each compiled by
``compile_set`` at the normal tempo, so they match the guided sets), each
introduced by its name, setup and safety sentences, and records where each
exercise starts, so "next" and "previous" can jump between them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from audio.render import Layout
from skill.routines.catalog import Catalog
from skill.routines.model import Routine, Tempo
from skill.routines.pacing import Cue, CueKind, compile_set, estimated_speech_ms

PHRASES_DIR = Path(__file__).with_name("phrases")
# Silence after each spoken sentence of an introduction, and before a set starts.
SENTENCE_GAP_MS = 1000
GET_READY_MS = 2000
# Rest between the end of one set and the next exercise's introduction.
REST_MS = 3000


@dataclass(frozen=True)
class RoutineLayout:
    layout: Layout
    # (exercise id, ms into the layout where its introduction starts)
    chapters: tuple[tuple[str, int], ...]


def load_phrases(locale: str) -> dict[str, str]:
    with (PHRASES_DIR / f"{locale}.toml").open("rb") as handle:
        return {str(k): str(v) for k, v in tomllib.load(handle).items()}


def routine_layout(catalog: Catalog, routine: Routine) -> RoutineLayout:
    phrases = load_phrases(catalog.locale)
    cues: list[Cue] = []
    now = 0

    def say(text: str, pause_ms: int = SENTENCE_GAP_MS) -> None:
        nonlocal now
        cues.append(Cue(now, text, CueKind.INTRO))
        now += estimated_speech_ms(text) + pause_ms

    say(phrases["routine_start"].format(routine=routine.name))
    chapters = []
    for index, step in enumerate(routine.steps):
        exercise = catalog.exercise(step.exercise_id)
        chapters.append((exercise.id, now))
        intro = phrases["first_exercise" if index == 0 else "next_exercise"]
        say(intro.format(exercise=exercise.name))
        for sentence in (*exercise.setup, exercise.safety):
            say(sentence)
        now += GET_READY_MS
        # Place as in the step-by-step session, so both say the same encouragement.
        timeline = compile_set(exercise, step.reps or exercise.reps, Tempo.NORMAL, place=index)
        cues.extend(c.shifted(now) for c in timeline.cues)
        now += timeline.duration_ms + REST_MS
    say(phrases["routine_end"], pause_ms=0)
    return RoutineLayout(Layout(tuple(cues), now), tuple(chapters))
