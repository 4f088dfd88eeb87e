"""`make deploy` runs its steps in the one order that works (issue 5), offline.

The AWS, SAM and ASK CLIs cannot reach anything from here, so stand-ins on PATH
record each call and answer as the real ones do (the ASK CLI records the new skill
id in .ask/ask-states.json; CloudFormation reports the stack outputs). What is
proven: the order, the arguments, and what the skill package holds at each upload;
not that AWS or SMAPI accept them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKILL_ID = "amzn1.ask.skill.0a1b2c3d-0000-4000-8000-123456789abc"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:movement-snacks-prod"

STUBS = {
    "ask": f"""#!/usr/bin/env bash
echo "ask $*" >> "$CALLS"
mkdir -p .ask
[ -f .ask/ask-states.json ] || echo '{{"profiles": {{"default": {{"skillId": "{SKILL_ID}"}}}}}}' \\
  > .ask/ask-states.json
n=$(ls "$UPLOADS" | wc -l)
cp ../build/skill-package/skill.json "$UPLOADS/$n.json"
""",
    "sam": """#!/usr/bin/env bash
echo "sam $*" >> "$CALLS"
touch "$STACK"
""",
    # describe-stacks without a --query asks whether the stack exists yet.
    "aws": f"""#!/usr/bin/env bash
echo "aws $*" >> "$CALLS"
case "$*" in *--query*) ;; *) [ -f "$STACK" ] || exit 255;; esac
case "$*" in *FunctionArn*) echo "{FUNCTION_ARN}";; *) echo "movement-snacks-audio";; esac
""",
    "publish": """#!/usr/bin/env bash
echo "publish $*" >> "$CALLS"
""",
}


def rehearsal(tmp_path: Path) -> tuple[Path, dict[str, str], Path, Path]:
    """A clone with a built bundle and stand-in CLIs: (repo, env, calls log, uploads)."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "infrastructure", repo / "infrastructure", ignore=_untracked)
    shutil.copytree(ROOT / "interaction_models", repo / "interaction_models")
    shutil.copy(ROOT / "pyproject.toml", repo)
    (repo / "build" / "lambda" / "skill").mkdir(parents=True)
    bin_dir, uploads, calls = tmp_path / "bin", tmp_path / "uploads", tmp_path / "calls.log"
    bin_dir.mkdir()
    uploads.mkdir()
    for name, script in STUBS.items():
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "PYTHON": sys.executable,
        "CALLS": str(calls),
        "UPLOADS": str(uploads),
        "STACK": str(tmp_path / "stack-exists"),
        "PUBLISH": str(bin_dir / "publish"),
    }
    return repo, env, calls, uploads


def bundle_audio(repo: Path, manifest: str = "{}", built: str = "{}") -> None:
    """`make audio` wrote ``built``; `make package` bundled ``manifest``."""
    (repo / "audio" / "out").mkdir(parents=True, exist_ok=True)
    (repo / "audio" / "out" / "manifest.json").write_text(built)
    (repo / "build" / "lambda" / "audio-manifest.json").write_text(manifest)


def deploy(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(repo / "infrastructure" / "deploy.sh")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def steps(calls: Path) -> list[str]:
    return [" ".join(line.split()[:2]) for line in calls.read_text().splitlines()]


def test_deploy_creates_the_skill_then_the_stack_then_points_the_skill_at_it(
    tmp_path: Path,
) -> None:
    # GIVEN a clone with a built bundle and stand-in CLIs
    repo, env, calls, uploads = rehearsal(tmp_path)

    # WHEN it deploys for the first time (no audio built yet), and then once more
    # after the audio manifest was built into the bundle
    for run in range(2):
        if run == 1:
            bundle_audio(repo)
        done = deploy(repo, env)
        assert done.returncode == 0, done.stderr

    # THEN the skill is created once, without an endpoint, before the stack exists
    log = calls.read_text().splitlines()
    exists, outputs = ["aws cloudformation"], ["aws cloudformation"] * 2
    first_run = ["ask deploy", *exists, "sam deploy", "aws cloudformation", "ask deploy"]
    # AND on the update the audio the new bundle plays is published before it goes live
    update = [*exists, *outputs, "publish --bucket", "sam deploy", "aws cloudformation"]
    assert steps(calls) == [*first_run, *update, "ask deploy"]
    ask_calls = [line for line in log if line.startswith("ask deploy")]
    assert "--target skill-metadata" in ask_calls[0]
    # AND the later uploads enable the skill for testing (the CLI skips that with a target)
    assert not [call for call in ask_calls[1:] if "--target" in call]
    first = json.loads((uploads / "0.json").read_text())["manifest"]
    assert "endpoint" not in first["apis"]["custom"]
    # AND the stack is deployed with the skill id, from samconfig.toml's settings
    sam_calls = [line for line in log if line.startswith("sam deploy")]
    assert len(sam_calls) == 2
    for call in sam_calls:
        assert "--config-file samconfig.toml" in call
        assert f"SkillId={SKILL_ID}" in call
        assert "Stage=prod" in call
    # AND AUDIO_MANIFEST is set only once the bundle carries the manifest
    assert "AudioManifestBundled=false" in sam_calls[0]
    assert "AudioManifestBundled=true" in sam_calls[1]
    # AND every later upload points the skill and its events at the function
    for upload in sorted(uploads.iterdir())[1:]:
        manifest = json.loads(upload.read_text())["manifest"]
        assert manifest["apis"]["custom"]["endpoint"] == {"uri": FUNCTION_ARN}
        assert manifest["events"]["endpoint"] == {"uri": FUNCTION_ARN}
    assert len(list(uploads.iterdir())) == 3  # create, point, point (no second create)


def test_a_first_deploy_with_audio_publishes_it_before_the_skill_points_at_it(
    tmp_path: Path,
) -> None:
    repo, env, calls, _ = rehearsal(tmp_path)
    bundle_audio(repo)
    done = deploy(repo, env)
    assert done.returncode == 0, done.stderr
    # The bucket comes with the stack: publish after sam deploy, before the skill's endpoint.
    assert steps(calls) == [
        "ask deploy",
        "aws cloudformation",
        "sam deploy",
        "aws cloudformation",
        "aws cloudformation",
        "publish --bucket",
        "aws cloudformation",
        "ask deploy",
    ]


def test_a_bundle_whose_manifest_is_not_the_built_audio_is_not_deployed(
    tmp_path: Path,
) -> None:
    repo, env, calls, _ = rehearsal(tmp_path)
    (tmp_path / "stack-exists").touch()
    bundle_audio(repo, manifest='{"old": true}', built='{"new": true}')
    done = deploy(repo, env)
    assert done.returncode == 1 and "make package" in done.stderr
    assert "sam deploy" not in steps(calls) and "publish --bucket" not in steps(calls)


def _untracked(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if n in {".ask", "__pycache__"}}
