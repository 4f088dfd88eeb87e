"""Cold start and turn latency of the skill on the embedded SQLite store.

Figures are printed, never asserted: the machine's load changes them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.turns import run_turns

TURNS = 300


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
    from skill.builder import build_skill
    from skill.handlers.timezone import no_lookup
    from skill.lambda_function import invoke_json
    from skill.progress.sqlite_store import SqliteStore
    from skill.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "bench.sqlite3")
        store.init()
        skill = build_skill(Settings(), store, time_zones=no_lookup)
        return run_turns(lambda event: invoke_json(skill, event), TURNS)


def main() -> None:
    print(f"cold import of skill.lambda_function: {cold_import_ms():.0f} ms (median of 5)")
    timings = sorted(turn_latencies())
    p95 = timings[int(len(timings) * 0.95)]
    print(
        f"turn latency over {TURNS} turns (start/next, SQLite store): "
        f"p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
