"""The Lambda bundle `make package` builds: its size, and how fast a cold start gets
from nothing to the first answer when only the bundle is on the path.

Each run is a fresh ``python3.13 -I -S`` process (the Lambda runtime's version,
when this machine has one) with the bundle as its only import path besides the
standard library, as on Lambda. This machine is x86_64, not Graviton: read the
times as relative figures. Printed, never asserted.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
LAUNCH_REQUEST = ROOT / "tests" / "infrastructure" / "events" / "launch_request.json"
SDK_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath")

PROBE = """
import json, sys, time
def now():
    return time.process_time(), time.perf_counter()
sys.path.insert(0, sys.argv[1])
began = now()
import skill.lambda_function as entry
imported = now()
with open(sys.argv[2]) as f:
    entry.handler(json.load(f), None)
answered = now()
from skill.progress.aws import quick_client
quick_client("dynamodb", attempts=3)  # the store's client, as its first call makes it
client = now()
marks = [began, imported, answered, client]
print(json.dumps([[b[i] - a[i] for a, b in zip(marks, marks[1:])] for i in (0, 1)]))
"""


def package_tool() -> ModuleType:
    path = ROOT / "infrastructure" / "package.py"
    spec = importlib.util.spec_from_file_location("infra_package", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def megabytes(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def fresh_run(
    python: str, code: str, args: list[str], env: dict[str, str], options: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh ``-I -S -B`` interpreter, as Lambda starts one, with only
    ``env`` (and PATH). -B: write no bytecode, as on Lambda's read-only /var/task, so
    only the bundle's own .pyc (if any) are used."""
    return subprocess.run(
        [python, "-I", "-S", "-B", *options, "-c", code, *args],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), **env},
        check=True,
    )


def fresh_process(python: str, code: str, args: list[str], env: dict[str, str]) -> Any:
    """:func:`fresh_run`, parsing the JSON the code prints on its last stdout line."""
    return json.loads(fresh_run(python, code, args, env).stdout.splitlines()[-1])


def cold_starts(python: str, bundle: Path) -> list[list[list[float]]]:
    from skill.progress.factory import init_store

    with tempfile.TemporaryDirectory() as folder:
        store = f"sqlite:///{folder}/progress.sqlite3"
        init_store(store)  # in AWS the stack creates the table: not part of a cold start
        env = {"PROGRESS_STORE": store, "LOG_LEVEL": "ERROR"}
        args = [str(bundle), str(LAUNCH_REQUEST)]
        return [fresh_process(python, PROBE, args, env) for _ in range(RUNS)]


def report(label: str, runs: list[list[list[float]]]) -> None:
    """CPU time first: the other processes on this 2-core machine inflate wall time."""
    for clock, name in ((0, "CPU"), (1, "wall")):
        steps = [[run[clock][step] * 1000 for run in runs] for step in range(3)]
        imports, answers, clients = (statistics.median(step) for step in steps)
        print(
            f"{label} {name:>4}: import skill.lambda_function {imports:.0f} ms, first "
            f"LaunchRequest answered {answers:.0f} ms later, then the store's DynamoDB client "
            f"{clients:.0f} ms (medians of {RUNS} fresh processes)"
        )


def lambda_python(tool: ModuleType) -> str:
    """The Lambda runtime's interpreter when this machine has it, else this one."""
    python: str = tool.find_python() or sys.executable
    return python


def main() -> None:
    tool = package_tool()
    bundle = ROOT / "build" / "bench-lambda"
    tool.build_lambda(bundle)
    unzipped, zipped = tool.bundle_size(bundle)
    sdk = sum(megabytes(bundle / name) for name in SDK_PACKAGES if (bundle / name).exists())
    print(
        f"bundle: {unzipped / 1e6:.1f} MB unzipped, {zipped / 1e6:.1f} MB zipped "
        f"(Lambda limits 250 / 50 MB); boto3, botocore (trimmed) and deps {sdk:.1f} MB of it, "
        f"ask_sdk_model {megabytes(bundle / 'ask_sdk_model'):.1f} MB"
    )
    python = lambda_python(tool)
    print(f"interpreter: {python}")
    report("with bytecode", cold_starts(python, bundle))
    source_only = bundle.with_name("bench-lambda-no-bytecode")
    shutil.rmtree(source_only, ignore_errors=True)
    shutil.copytree(bundle, source_only, ignore=shutil.ignore_patterns("__pycache__"))
    report("source only  ", cold_starts(python, source_only))


if __name__ == "__main__":
    main()
