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
""",
    "aws": f"""#!/usr/bin/env bash
echo "aws $*" >> "$CALLS"
case "$*" in *FunctionArn*) echo "{FUNCTION_ARN}";; *) echo "movement-snacks-audio";; esac
""",
}


def test_deploy_creates_the_skill_then_the_stack_then_points_the_skill_at_it(
    tmp_path: Path,
) -> None:
    # GIVEN a clone with a built bundle and stand-in CLIs
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
    }

    # WHEN it deploys for the first time (no audio built yet), and then once more
    # after the audio manifest was built into the bundle
    for run in range(2):
        if run == 1:
            (repo / "build" / "lambda" / "audio-manifest.json").write_text("{}")
        done = subprocess.run(
            ["bash", str(repo / "infrastructure" / "deploy.sh")],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr

    # THEN the skill is created once, without an endpoint, before the stack exists
    log = calls.read_text().splitlines()
    steps = [line.split()[0] + " " + line.split()[1] for line in log]
    first_run = ["ask deploy", "sam deploy", "aws cloudformation", "ask deploy"]
    update = ["sam deploy", "aws cloudformation", "ask deploy"]
    # (the last describe-stacks of each run print the audio publish command)
    publish_hint = ["aws cloudformation"] * 2
    assert steps == [*first_run, *publish_hint, *update, *publish_hint]
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


def _untracked(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if n in {".ask", "__pycache__"}}
