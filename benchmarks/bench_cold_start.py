"""Cold start beside the ASK sample skill: from a fresh interpreter to the first answer.

Two Lambda bundles are built as `make package` builds them (linux wheels, bytecode
for the Lambda runtime's Python): ours, and one holding only ask-sdk-core,
ask-sdk-dynamodb-persistence-adapter, boto3 and benchmarks/anchor_skill (the adapter
is installed into that bundle alone, never into this project). Runs alternate, ours
then the anchor, each a fresh ``-I -S -B`` process that imports its lambda module and
answers one LaunchRequest against the same dynalite over HTTP (fake credentials,
AWS_ENDPOINT_URL_DYNAMODB). CPU time is the headline: 7 helpers share 2 cores here,
which inflates wall time. Then where our time goes, from one ``-X importtime`` run:
the import tree by top-level package, the first DynamoDB client (botocore's import and
``create_client``), and the rest of the first request. Our bundle keeps botocore's
models of the services it calls only (infrastructure/package.py); the anchor's is
botocore as pip installs it, as the sample ships. Printed, never asserted.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks.bench_lambda_bundle import (
    LAUNCH_REQUEST,
    ROOT,
    fresh_process,
    fresh_run,
    lambda_python,
    package_tool,
)
from benchmarks.local_aws import (
    ANCHOR_SOURCE,
    LOCAL_AWS,
    init_anchor_table,
    init_our_table,
    new_table,
)
from tests.integration import dynalite

RUNS = 9
GOAL = 0.8
TOP_PACKAGES = 8
ANCHOR_EXTRA = "ask-sdk-dynamodb-persistence-adapter>=1.19"
# From our runtime dependencies, the ones the anchor needs too, at the same versions.
ANCHOR_SHARED = ("ask-sdk-core", "boto3")
MARK_CLIENT, MARK_REQUEST = "-- first client", "-- first request"

PROBE = """
import importlib, json, sys, time
bundle, module_name, handler_name, event_path, instrument = sys.argv[1:6]
sys.path.insert(0, bundle)
def cpu():
    return time.process_time() * 1000
began = cpu()
module = importlib.import_module(module_name)
imported = cpu()
clients = []
if instrument == "client":
    # Only for the breakdown: botocore's import and every create_client, timed apart.
    print(MARK_CLIENT, file=sys.stderr, flush=True)
    import botocore.session
    create = botocore.session.Session.create_client
    def timed(self, *args, **kwargs):
        start = cpu()
        try:
            return create(self, *args, **kwargs)
        finally:
            clients.append(cpu() - start)
    botocore.session.Session.create_client = timed
client_ready = cpu()
print(MARK_REQUEST, file=sys.stderr, flush=True)
with open(event_path) as f:
    answer = getattr(module, handler_name)(json.load(f), None)
answered = cpu()
assert answer["response"], answer
print(json.dumps({"import": imported - began, "botocore": client_ready - imported,
                  "request": answered - client_ready, "clients": clients}))
""".replace("MARK_CLIENT", repr(MARK_CLIENT)).replace("MARK_REQUEST", repr(MARK_REQUEST))


def build_bundles(tool: ModuleType) -> tuple[Path, Path]:
    """(ours, the anchor's): each as the Lambda would have it."""
    folder = ROOT / "build" / "bench-cold-start"
    ours = tool.build_lambda(folder / "ours")
    shared = [r for r in tool.runtime_requirements() if r.startswith(ANCHOR_SHARED)]
    # The sample's bundle as pip installs it: botocore with every service's model.
    anchor = tool.build_lambda(
        folder / "anchor", requirements=[*shared, ANCHOR_EXTRA], botocore_services=None
    )
    shutil.rmtree(anchor / "skill")
    shutil.copyfile(ANCHOR_SOURCE, anchor / "lambda_function.py")
    subprocess.run(
        [
            lambda_python(tool),
            "-m",
            "compileall",
            "-q",
            "--invalidation-mode",
            "unchecked-hash",
            str(anchor / "lambda_function.py"),
        ],
        check=True,
    )
    return ours, anchor


def environment(endpoint: str) -> dict[str, str]:
    """What Lambda would set (region, credentials), the endpoint of the local server, and
    one fresh table per skill."""
    ours, anchor = new_table("cold"), new_table("anchor")
    init_our_table(endpoint, ours)
    init_anchor_table(endpoint, anchor)
    return {
        **LOCAL_AWS,
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
        "PROGRESS_STORE": f"dynamodb://{ours}",
        "TABLE_NAME": anchor,
        "LOG_LEVEL": "ERROR",
        # Lambda never runs on the public salt (skill/salt.py); the template sets one.
        "USER_KEY_SALT": "bench-cold-start-salt-0123456789",
    }


OURS = ("skill.lambda_function", "handler")
# The sample's module and handler names.
ANCHOR = ("lambda_function", "lambda_handler")


def probe_args(bundle: Path, entry: tuple[str, str], instrument: str = "plain") -> list[str]:
    return [str(bundle), *entry, str(LAUNCH_REQUEST), instrument]


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ms ({min(values):.0f}-{max(values):.0f})"


def alternated(python: str, bundles: tuple[Path, Path], env: dict[str, str]) -> None:
    ours: list[dict[str, Any]] = []
    anchor: list[dict[str, Any]] = []
    for _ in range(RUNS):
        ours.append(fresh_process(python, PROBE, probe_args(bundles[0], OURS), env))
        anchor.append(fresh_process(python, PROBE, probe_args(bundles[1], ANCHOR), env))
    totals = {}
    for name, runs in (("this skill ", ours), ("ASK sample ", anchor)):
        imports = [run["import"] for run in runs]
        requests = [run["request"] for run in runs]
        totals[name] = [run["import"] + run["request"] for run in runs]
        print(
            f"{name} CPU: import {spread(imports)}, first LaunchRequest {spread(requests)}, "
            f"total {spread(totals[name])} (median (range) of {RUNS} fresh processes)"
        )
    ratio = statistics.median(totals["this skill "]) / statistics.median(totals["ASK sample "])
    verdict = "meets" if ratio <= GOAL else "misses"
    print(f"cold start ratio this skill / ASK sample: {ratio:.2f}x (goal <= {GOAL}x: {verdict})")


def import_tree(stderr: str) -> dict[str, Counter[str]]:
    """Self time (ms) by top-level package, per phase of the probe."""
    phases: dict[str, Counter[str]] = {
        "import": Counter(),
        "client": Counter(),
        "request": Counter(),
    }
    phase = "import"
    line_format = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|\s+(\S+)")
    for line in stderr.splitlines():
        if line == MARK_CLIENT:
            phase = "client"
        elif line == MARK_REQUEST:
            phase = "request"
        elif match := line_format.match(line):
            package = match[2].split(".")[0]
            phases[phase][package] += int(match[1]) / 1000
    return phases


def top_of(packages: Counter[str], most: int = TOP_PACKAGES) -> str:
    return ", ".join(f"{name} {ms:.0f}" for name, ms in packages.most_common(most)) or "none"


def breakdown(python: str, bundle: Path, env: dict[str, str]) -> None:
    args = probe_args(bundle, OURS, "client")
    result = fresh_run(python, PROBE, args, env, options=("-X", "importtime"))
    timed = fresh_process(python, PROBE, args, env)
    phases = import_tree(result.stderr)
    print("where our time goes (CPU ms, one instrumented process; -X importtime self times):")
    print(
        f"  import skill.lambda_function {timed['import']:.0f} ms; "
        f"by package: {top_of(phases['import'])}"
    )
    botocore = sum(phases["client"].values())
    created = sum(timed["clients"])
    print(
        f"  first DynamoDB client: import botocore.session {timed['botocore']:.0f} ms "
        f"(-X importtime: {botocore:.0f} ms), create_client {created:.0f} ms "
        f"({len(timed['clients'])} client(s)); by package: {top_of(phases['client'])}"
    )
    print(
        f"  first request without the client: {timed['request'] - created:.0f} ms; "
        f"imports on the way: {top_of(phases['request'], 4)}"
    )


def main() -> None:
    tool = package_tool()
    bundles = build_bundles(tool)
    python = lambda_python(tool)
    print(f"interpreter: {python}; bundles in {bundles[0].parent}")
    with dynalite.running() as endpoint:
        env = environment(endpoint)
        alternated(python, bundles, env)
        breakdown(python, bundles[0], env)


if __name__ == "__main__":
    main()
