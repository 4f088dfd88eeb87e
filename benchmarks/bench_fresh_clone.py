"""A newcomer's first minute: from `git clone` to the first answer of `make chat`.

Times a `git clone` of this repository's committed HEAD into a temporary folder
plus ``printf 'open movement snacks\\n' | make chat`` there, until the skill's first
answer is printed, then measures the .venv it made. Cold runs each start from empty
uv and pip caches (every wheel comes from the package index); warm runs reuse the
caches the first cold run filled. Medians of RUNS each; printed, never asserted.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UTTERANCE = "open movement snacks\n"
ANSWER_PREFIX = "alexa>"
GOAL_S, GOAL_MB = 20, 100
# Before the lean install: every target installed the whole [dev] toolchain with pip.
ANCHOR_S, ANCHOR_MB = 85, 544
TIMEOUT_S = 600
RUNS = 3


def disk_megabytes(path: Path) -> float:
    """Disk use as `du` counts it: blocks, each hard-linked file once."""
    seen: set[int] = set()
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            info = os.lstat(os.path.join(folder, name))
            if info.st_ino not in seen:
                seen.add(info.st_ino)
                total += info.st_blocks * 512
    return total / 1e6


def first_answer(clone: Path, caches: Path) -> str:
    """The first answer of `make chat` in the clone."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("UV_", "VIRTUAL"))
    }
    env.update(
        UV_CACHE_DIR=str(caches / "uv"),
        PIP_CACHE_DIR=str(caches / "pip"),
        # A first-time user: an empty progress store of its own, not this machine's.
        PROGRESS_STORE=f"sqlite:///{clone / 'progress.sqlite3'}",
    )
    chat = subprocess.Popen(
        ["make", "--no-print-directory", "chat"],
        cwd=clone,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert chat.stdin is not None and chat.stdout is not None
    chat.stdin.write(UTTERANCE)
    chat.stdin.close()
    answer = ""
    for line in chat.stdout:
        if ANSWER_PREFIX in line:
            answer = line.split(ANSWER_PREFIX, 1)[1].strip()
            break
    chat.stdout.read()
    chat.wait(timeout=TIMEOUT_S)
    return answer


def run(clone: Path, caches: Path) -> tuple[float, float, str]:
    """(seconds from `git clone` to the first answer, .venv MB, the answer)."""
    began = time.perf_counter()
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    answer = first_answer(clone, caches)
    return time.perf_counter() - began, disk_megabytes(clone / ".venv"), answer


def runs(workdir: Path) -> dict[str, list[tuple[float, float, str]]]:
    cold = [run(workdir / f"cold{i}", workdir / f"caches{i}") for i in range(RUNS)]
    warm = [run(workdir / f"warm{i}", workdir / "caches0") for i in range(RUNS)]
    return {"cold": cold, "warm": warm}


def spread(values: list[float], digits: int) -> str:
    middle, low, high = (
        f"{v:.{digits}f}" for v in (statistics.median(values), min(values), max(values))
    )
    return f"{middle} ({low}-{high})"


def main() -> None:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(f"git clone of HEAD {head} + `printf {UTTERANCE!r} | make chat`, {RUNS} runs each")
    with tempfile.TemporaryDirectory(prefix="fresh-clone-") as tmp:
        results = runs(Path(tmp))
    print("  cold = empty uv and pip caches (every wheel from the index); warm = caches filled")
    print(f"  {'median (min-max)':26} {'time to first answer (s)':>26} {'.venv on disk (MB)':>20}")
    for label, rows in results.items():
        seconds = spread([row[0] for row in rows], 1)
        megabytes = spread([row[1] for row in rows], 0)
        print(f"  {label:26} {seconds:>26} {megabytes:>20}")
        if not all(row[2] for row in rows):
            print(f"  {label}: make chat gave no answer (is the package index reachable?)")
    print(f"  {'goal':26} {'< ' + str(GOAL_S):>26} {'< ' + str(GOAL_MB):>20}")
    print(f"  {'anchor (pip, all of [dev])':26} {ANCHOR_S:>26} {ANCHOR_MB:>20}")
    print(f"  first answer: {results['cold'][0][2][:72]}...")


if __name__ == "__main__":
    main()
