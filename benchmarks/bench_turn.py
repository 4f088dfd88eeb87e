"""Cold start and turn latency of the skill on the embedded SQLite store, and warm turns
with persistence beside the ASK sample skill (benchmarks/anchor_skill) on one dynalite.

Warm turns: both skills built once (as a warm Lambda container keeps them), a few
turns each to warm up, then the same conversation for each (benchmarks/turns.py: new
session and request ids, session attributes carried), turn by turn alternated.
Figures are printed, never asserted: the machine's load changes them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.local_aws import (
    anchor_skill,
    init_anchor_table,
    init_our_table,
    new_table,
    our_skill,
    our_store,
)
from benchmarks.turns import run_alternated, run_turns
from tests.integration import dynalite

TURNS = 300
WARM_TURNS, WARM_UP_TURNS = 400, 8
MEDIAN_GOAL, P99_GOAL = 0.5, 1.0


def cold_import_ms() -> float:
    """A fresh interpreter importing the Lambda handler module, as a cold start does."""
    code = (
        "import time; t = time.perf_counter(); import skill.lambda_function; "
        "print((time.perf_counter() - t) * 1000)"
    )
    runs = [
        float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(5)
    ]
    return statistics.median(runs)


def turn_latencies() -> list[float]:
    from skill.alexa_api.settings_api import no_lookup
    from skill.builder import build_skill
    from skill.lambda_function import invoke_json
    from skill.progress.sqlite_store import SqliteStore
    from skill.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "bench.sqlite3")
        store.init()
        skill = build_skill(Settings(), store, time_zones=no_lookup)
        return run_turns(lambda event: invoke_json(skill, event), TURNS)


def p99(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=100)[98]


def warm_turns() -> None:
    with dynalite.running() as endpoint:
        ours_table, anchor_table = new_table("warm"), new_table("anchor")
        init_our_table(endpoint, ours_table)
        init_anchor_table(endpoint, anchor_table)
        skills = [our_skill(our_store(endpoint, ours_table)), anchor_skill(endpoint, anchor_table)]
        run_alternated(skills, WARM_UP_TURNS)
        ours, anchor = run_alternated(skills, WARM_TURNS)
    print(f"warm turns with persistence on dynalite, {WARM_TURNS} turns each, alternated:")
    for name, timings in (("this skill", ours), ("ASK sample", anchor)):
        print(f"  {name}: median {statistics.median(timings):.2f} ms, p99 {p99(timings):.2f} ms")
    for name, ratio, goal in (
        ("median", statistics.median(ours) / statistics.median(anchor), MEDIAN_GOAL),
        ("p99", p99(ours) / p99(anchor), P99_GOAL),
    ):
        verdict = "meets" if ratio <= goal else "misses"
        print(f"  {name} ratio this skill / ASK sample: {ratio:.2f}x (goal <= {goal}x: {verdict})")


def main() -> None:
    print(f"cold import of skill.lambda_function: {cold_import_ms():.0f} ms (median of 5)")
    timings = sorted(turn_latencies())
    p95 = timings[int(len(timings) * 0.95)]
    print(
        f"turn latency over {TURNS} turns (start/next, SQLite store): "
        f"p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms"
    )
    warm_turns()


if __name__ == "__main__":
    main()
