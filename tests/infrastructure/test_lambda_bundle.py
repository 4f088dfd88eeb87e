"""The Lambda bundle `make package` builds runs on its own (issue 5).

The bundle is imported in a clean interpreter of the Lambda runtime's Python
version (when this machine has one) whose only import path besides the standard
library is the bundle: anything the handler needs but the bundle lacks fails here,
not on the first live request.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from skill.progress.fallback import encode
from skill.progress.store import Completion, UserUpdate
from tests.integration import dynalite
from tests.moto_server import moto_endpoint

ROOT = Path(__file__).resolve().parents[2]
# The events' apiEndpoint is a closed loopback port: the skill's Settings API lookup
# (time zone) runs from the bundle and fails at once, and no test calls Alexa.
EVENTS = Path(__file__).with_name("events")
LAUNCH_REQUEST = EVENTS / "launch_request.json"
# The one skill event the manifest subscribes to (SKILL_DISABLED).
SKILL_DISABLED = EVENTS / "skill_disabled.json"

# What Lambda sets for the function's role; no request leaves this machine.
FAKE_AWS = {
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_CONFIG_FILE": "/nonexistent",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
}

# Build-time, web-only and test-only packages: none may be in the bundle or imported.
EXCLUDED = {
    "audio",
    "flask",
    "flask_ask_sdk",
    "ask_sdk_webservice_support",
    "werkzeug",
    "jinja2",
    "cryptography",
    "certvalidator",
    "oscrypto",
    "gtts",
    "lameenc",
    "miniaudio",
    "espeakng_loader",
    "mutagen",
    "pytest",
    "_pytest",
    "xdist",
    "responses",
    "jsonschema",
    "cfnlint",
    "samtranslator",
    "mypy",
    "ruff",
    "tests",
}

# Runs inside the clean interpreter: the standard library plus the bundle, nothing else.
PROBE = """
import json, os, sqlite3, sys
bundle = sys.argv[1]
sys.path.insert(0, bundle)
import skill.lambda_function as entry
result = {"responses": [], "users_after": []}
if len(sys.argv) > 2:
    from skill.progress.factory import init_store
    store = os.environ["PROGRESS_STORE"]
    init_store(store)  # as `movement-snacks store init` would
    for path in sys.argv[2:]:
        with open(path) as f:
            result["responses"].append(entry.handler(json.load(f), None))
        with sqlite3.connect(store.removeprefix("sqlite:///")) as db:
            result["users_after"].append(db.execute("SELECT count(*) FROM users").fetchone()[0])
result["modules"] = sorted({name.split(".")[0] for name in sys.modules})
result["files"] = sorted(
    {m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)}
)
print(json.dumps(result))
"""

# The replay function's entry point, fed one queued update delivered twice.
REPLAY_PROBE = """
import json, os, sqlite3, sys
sys.path.insert(0, sys.argv[1])
import skill.progress.replay as entry
from skill.progress.factory import init_store
store = os.environ["PROGRESS_STORE"]
init_store(store)
record = {"messageId": "m1", "body": sys.argv[2]}
answer = entry.handler({"Records": [record, record]}, None)
with sqlite3.connect(store.removeprefix("sqlite:///")) as db:
    sets = db.execute("SELECT count(*) FROM completions").fetchone()[0]
modules = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"answer": answer, "sets": sets, "modules": modules}))
"""


# The store's and the fallback queue's clients as the function makes them (botocore from
# the bundle, whose data keeps only the models of the services the skill calls), each
# answering over HTTP: DynamoDB from dynalite, SQS from moto's server.
AWS_CLIENTS_PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from skill.progress.aws import quick_client
dynamodb = quick_client("dynamodb", attempts=3)
tables = dynamodb.list_tables()["TableNames"]
sqs = quick_client("sqs", attempts=2)
queue = sqs.create_queue(QueueName="fallback")["QueueUrl"]
sqs.send_message(QueueUrl=queue, MessageBody='{"v": 1}')
bodies = [m["Body"] for m in sqs.receive_message(QueueUrl=queue).get("Messages", [])]
print(json.dumps({"tables": tables, "bodies": bodies,
                  "botocore": sys.modules["botocore"].__file__,
                  "modules": sorted({name.split(".")[0] for name in sys.modules})}))
"""


def clean_python(tool: ModuleType) -> str:
    """The Lambda runtime's Python if this machine has it; else the running one (the
    bundle's compiled wheels then go unused, their pure-Python fallbacks load)."""
    found: str | None = tool.find_python()
    return found or sys.executable


def run_in_bundle(
    tool: ModuleType,
    bundle: Path,
    tmp_path: Path,
    *extra: str,
    probe: str = PROBE,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    env = {
        **(env or {}),
        "PATH": os.environ.get("PATH", ""),
        "SKILL_ID": "amzn1.ask.skill.0a1b2c3d-0000-4000-8000-123456789abc",
        "PROGRESS_STORE": f"sqlite:///{tmp_path / 'progress.sqlite3'}",
        "LOG_LEVEL": "WARNING",
        # As the SAM template sets it: Lambda never runs on the public salt.
        "USER_KEY_SALT": "bundle-test-salt-0123456789",
    }
    # -I: no user site, no PYTHON* variables, no cwd; -S: no site-packages at all.
    command = [clean_python(tool), "-I", "-S", "-c", probe, str(bundle), *extra]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    result["stderr"] = done.stderr
    return result


def test_bundle_holds_the_skill_and_no_excluded_package(lambda_bundle: Path) -> None:
    """Prevents shipping Flask, the audio tools or test tools to Lambda (size, cold start,
    and the oscrypto import failure of DESIGN.md section 6)."""
    entries = list(lambda_bundle.iterdir())
    packages = {p.name for p in entries if p.is_dir() and not p.name.endswith(".dist-info")}
    modules = {p.stem for p in entries if p.suffix == ".py"}
    distributions = {p.name.split("-")[0].lower() for p in entries if p.suffix == ".dist-info"}
    assert "skill" in packages
    for found in (packages, modules, distributions):
        assert not found & EXCLUDED, sorted(found & EXCLUDED)
    assert not (lambda_bundle / "bin").exists()


def test_bundle_carries_the_built_audio_manifest(
    lambda_bundle: Path, package_tool: ModuleType
) -> None:
    """Prevents a deployed skill whose AUDIO_MANIFEST names a file the bundle lacks."""
    bundled = lambda_bundle / package_tool.BUNDLED_AUDIO_MANIFEST
    source = Path(__file__).with_name("events") / "audio-manifest.json"
    assert bundled.read_bytes() == source.read_bytes()


def test_compiled_extensions_are_for_the_lambda_runtime(
    lambda_bundle: Path, package_tool: ModuleType
) -> None:
    """Prevents an x86_64 (or wrong-Python) extension that crashes the arm64 function."""
    aarch64 = 183  # ELF e_machine for AArch64
    tag = "cpython-" + package_tool.LAMBDA_PYTHON.replace(".", "")
    for library in lambda_bundle.rglob("*.so"):
        header = library.read_bytes()[:20]
        assert header[:4] == b"\x7fELF", library
        assert int.from_bytes(header[18:20], "little") == aarch64, library
        assert tag in library.name or ".abi3." in library.name, library


def test_handler_imports_from_the_bundle_alone(
    lambda_bundle: Path, package_tool: ModuleType, tmp_path: Path
) -> None:
    """Prevents a handler that imports something the bundle lacks, or that drags a
    build-time package into the Lambda import path."""
    result = run_in_bundle(package_tool, lambda_bundle, tmp_path)
    assert not set(result["modules"]) & EXCLUDED, sorted(set(result["modules"]) & EXCLUDED)
    # boto3 loads on the first DynamoDB or fallback-queue call, not on every cold start.
    assert not {"boto3", "botocore"} & set(result["modules"])
    # Everything outside the standard library came from the bundle, not from this venv.
    venv = str(ROOT / ".venv")
    assert not [f for f in result["files"] if f.startswith(venv)]


def test_handler_takes_the_subscribed_skill_disabled_event_from_the_bundle_alone(
    lambda_bundle: Path, package_tool: ModuleType, tmp_path: Path
) -> None:
    """Prevents the SKILL_DISABLED event the manifest subscribes to failing in Lambda
    (its deletion path imports modules a launch never needs): the user who launched
    the skill and then disabled it is gone from the store."""
    events = (str(LAUNCH_REQUEST), str(SKILL_DISABLED))
    result = run_in_bundle(package_tool, lambda_bundle, tmp_path, *events)
    assert result["users_after"] == [1, 0]
    assert "outputSpeech" not in result["responses"][1]["response"]
    assert result["stderr"] == ""
    assert not set(result["modules"]) & EXCLUDED, sorted(set(result["modules"]) & EXCLUDED)


def test_handler_answers_a_launch_request_from_the_bundle_alone(
    lambda_bundle: Path, package_tool: ModuleType, tmp_path: Path
) -> None:
    """Prevents lazily imported modules (first request, not import) missing from the bundle."""
    result = run_in_bundle(package_tool, lambda_bundle, tmp_path, str(LAUNCH_REQUEST))
    response = result["responses"][0]["response"]
    ssml = response["outputSpeech"]["ssml"]
    assert ssml.startswith("<speak>") and len(ssml) > len("<speak></speak>") + 20
    assert result["stderr"] == ""  # no store failure, no warning on the way
    assert not set(result["modules"]) & EXCLUDED, sorted(set(result["modules"]) & EXCLUDED)


def test_replay_function_writes_a_queued_set_once_from_the_bundle_alone(
    lambda_bundle: Path, package_tool: ModuleType, tmp_path: Path
) -> None:
    """Prevents a ReplayFunction whose handler the bundle cannot import or run."""
    at = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    done = Completion("amzn1.echo-api.request.1#0", "pelvic_tilts", None, 8, 60, at.date(), at)
    body = encode("0" * 32, UserUpdate(completions=(done,)))
    result = run_in_bundle(package_tool, lambda_bundle, tmp_path, body, probe=REPLAY_PROBE)
    assert result["answer"] == {"batchItemFailures": []}
    assert result["sets"] == 1
    assert result["stderr"] == ""
    assert not set(result["modules"]) & EXCLUDED, sorted(set(result["modules"]) & EXCLUDED)


def test_dynamodb_and_sqs_clients_work_from_the_bundle_alone(
    lambda_bundle: Path, package_tool: ModuleType, tmp_path: Path
) -> None:
    """Prevents a function whose DynamoDB store or fallback queue fails on its first call:
    a model or shared file botocore needs trimmed from the bundle, or boto3 (which the
    skill no longer imports) being needed after all."""
    with dynalite.running() as endpoint:
        for sqs_endpoint in moto_endpoint():
            extra = {
                "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
                "AWS_ENDPOINT_URL_SQS": sqs_endpoint,
                **FAKE_AWS,
            }
            result = run_in_bundle(
                package_tool, lambda_bundle, tmp_path, env=extra, probe=AWS_CLIENTS_PROBE
            )
    assert result["tables"] == []
    assert result["bodies"] == ['{"v": 1}']
    assert result["botocore"].startswith(str(lambda_bundle))
    assert "boto3" not in result["modules"]


def test_bundle_keeps_only_the_aws_models_the_skill_calls(
    lambda_bundle: Path, package_tool: ModuleType
) -> None:
    """Prevents the bundle carrying every AWS service's model again (28 MB, and a slower
    first client: botocore lists every folder and decodes every service's endpoints)."""
    data = lambda_bundle / "botocore" / "data"
    kept = {entry.name for entry in data.iterdir() if entry.is_dir()}
    assert kept == set(package_tool.BOTOCORE_SERVICES)
    endpoints = json.loads((data / "endpoints.json").read_text(encoding="utf-8"))
    for partition in endpoints["partitions"]:
        assert set(partition["services"]) <= kept
