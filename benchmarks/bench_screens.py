"""What a screen costs a turn: the same turn mix on a screenless device and an APL one.

One skill on the embedded SQLite store, two users in the benchmarks' turn mix (start
back care, then next three times), turn by turn alternated; the APL device's requests
name Alexa.Presentation.APL, so each of its answers carries the exercise screen. Also
the bytes each answer takes and the largest screen that follows generated audio,
beside Alexa's 24 KB response limit. Printed, never asserted.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.turns import Event, Invoke, run_alternated
from skill.alexa_api.settings_api import no_lookup
from skill.builder import build_skill
from skill.lambda_function import invoke_json
from skill.progress.sqlite_store import SqliteStore
from skill.routines.catalog import load_catalog
from skill.routines.model import Tempo
from skill.routines.plan import Plan
from skill.screens import sent_document
from skill.screens.exercise import exercise_screen
from skill.settings import Settings
from skill.speech.alexa_limits import MAX_RESPONSE_BYTES
from skill.speech.messages import messages_for

TURNS = 400
APL = {"runtime": {"maxVersion": "2024.2"}}


def measured(invoke: Invoke, sizes: list[int], screen: bool) -> Invoke:
    def call(event: Event) -> Event:
        if screen:
            event["context"]["System"]["device"]["supportedInterfaces"][
                "Alexa.Presentation.APL"
            ] = APL
        response = invoke(event)
        sizes.append(len(json.dumps(response).encode()))
        return response

    return call


def figures(name: str, timings: list[float], sizes: list[int]) -> str:
    ordered = sorted(timings)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return (
        f"{name:<11} median {statistics.median(timings):6.2f} ms  p99 {p99:6.2f} ms  "
        f"answer {statistics.mean(sizes) / 1024:5.1f} KiB mean, {max(sizes) / 1024:5.1f} KiB max"
    )


def largest_following_screen() -> tuple[str, int]:
    """(exercise, bytes) of the largest screen that follows audio: max reps, slow."""
    catalog, messages = load_catalog("en-US"), messages_for("en-US")
    sizes = {}
    for exercise in catalog.exercises.values():
        plan = Plan.for_exercise(exercise).with_reps(exercise.max_reps).with_tempo(Tempo.SLOW)
        rendered = exercise_screen(messages, catalog, plan).render(5000)
        sent = [sent_document(rendered), rendered.datasources]
        sizes[exercise.id] = len(json.dumps(sent, separators=(",", ":")).encode())
    name = max(sizes, key=lambda e: sizes[e])
    return name, sizes[name]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "bench.sqlite3")
        store.init()
        skill = build_skill(Settings(), store, time_zones=no_lookup)

        def invoke(event: dict[str, Any]) -> dict[str, Any]:
            return invoke_json(skill, event)

        plain_sizes: list[int] = []
        screen_sizes: list[int] = []
        plain, screen = run_alternated(
            [measured(invoke, plain_sizes, False), measured(invoke, screen_sizes, True)], TURNS
        )
    print(figures("screenless", plain, plain_sizes))
    print(figures("APL screen", screen, screen_sizes))
    name, size = largest_following_screen()
    print(f"{'following':<11} {size / 1024:.1f} KiB of screen at most ({name}, max reps, slow)")
    print(f"{'limit':<11} {MAX_RESPONSE_BYTES / 1024:.0f} KiB per response (Alexa)")


if __name__ == "__main__":
    main()
