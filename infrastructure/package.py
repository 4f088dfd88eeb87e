"""Build what a deployment uploads: the Lambda bundle and the ASK skill package.

    python infrastructure/package.py lambda [--out build/lambda]
    python infrastructure/package.py skill-package [--out build/skill-package] [--endpoint ARN]
    python infrastructure/package.py sam-overrides [--config-env default] --skill-id ID
    python infrastructure/package.py samconfig [--config-env default] stack_name|region
    python infrastructure/package.py skill-id [--profile default]

Used by ``make package``, ``make skill-package`` and ``infrastructure/deploy.sh``;
standard library only, so it runs before anything else is installed.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
INFRA = ROOT / "infrastructure"
MANIFEST_SOURCE = INFRA / "skill-package" / "skill.json"
MODELS_DIR = ROOT / "interaction_models"
SAMCONFIG = INFRA / "samconfig.toml"
ASK_STATES = INFRA / ".ask" / "ask-states.json"

# The Lambda runtime the template declares (Globals.Function): wheels and bytecode
# are built for exactly this interpreter and architecture.
LAMBDA_PYTHON = "3.13"
LAMBDA_PLATFORM = "manylinux2014_aarch64"
# The extras the function needs besides [project.dependencies]: chat and serve on SQLite
# never load boto3, so it is an extra rather than a dependency.
LAMBDA_EXTRAS = ("aws",)
# `movement-snacks audio build` writes the manifest here by default; the bundle carries
# a copy under this name, and the template points AUDIO_MANIFEST at /var/task/<name>.
AUDIO_MANIFEST_SOURCE = ROOT / "audio" / "out" / "manifest.json"
BUNDLED_AUDIO_MANIFEST = "audio-manifest.json"
# The AWS services the functions call (skill/progress/aws.py: the table and the fallback
# queue), and STS, which botocore's credential providers may call. botocore ships the
# models of every AWS service (some 450 folders, ~28 MB); a client's first creation
# lists all those folders and decodes the endpoints of every service, so the bundle
# keeps only these.
BOTOCORE_SERVICES = ("dynamodb", "sqs", "sts")


class PackageError(Exception):
    """The bundle or skill package cannot be built as asked."""


# --- Lambda bundle ------------------------------------------------------------------


def runtime_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """``[project.dependencies]`` plus the ``[aws]`` extra (boto3, for DynamoDB and the
    fallback queue): what runs per request, and nothing from the other extras."""
    with pyproject.open("rb") as f:
        project = tomllib.load(f)["project"]
    extras = project["optional-dependencies"]
    return [*project["dependencies"], *(r for name in LAMBDA_EXTRAS for r in extras[name])]


def find_python(version: str = LAMBDA_PYTHON) -> str | None:
    """An interpreter of the Lambda runtime's version on this machine, if there is one."""
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"))
    candidates += filter(None, [shutil.which(f"python{version}")])
    for candidate in candidates:
        # A pyenv shim is on PATH even when it cannot run that version.
        probe = subprocess.run([candidate, "-c", ""], capture_output=True, check=False)
        if probe.returncode == 0:
            return candidate
    return None


def build_lambda(
    out: Path,
    requirements: Sequence[str] | None = None,
    audio_manifest: Path = AUDIO_MANIFEST_SOURCE,
    botocore_services: Sequence[str] | None = BOTOCORE_SERVICES,
) -> Path:
    """Install linux/arm64 wheels of the runtime dependencies plus ``skill`` into ``out``,
    and the audio manifest when one has been built.

    ``--only-binary=:all:`` with an explicit platform makes pip refuse anything it
    would have to compile here for the wrong machine. ``botocore_services``: the AWS
    models the bundle keeps (None: all of them, as pip installs botocore).
    """
    requirements = runtime_requirements() if requirements is None else list(requirements)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    pip += ["--target", str(out), "--platform", LAMBDA_PLATFORM, "--implementation", "cp"]
    pip += ["--python-version", LAMBDA_PYTHON, "--only-binary=:all:", "--no-compile"]
    pip += ["--no-warn-conflicts"]
    subprocess.run([*pip, *requirements], check=True)
    shutil.rmtree(out / "bin", ignore_errors=True)  # console scripts: nothing runs them
    shutil.copytree(
        ROOT / "skill", out / "skill", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    if audio_manifest.is_file():
        shutil.copyfile(audio_manifest, out / BUNDLED_AUDIO_MANIFEST)
    if botocore_services is not None and (out / "botocore" / "data").is_dir():
        trim_botocore_data(out / "botocore" / "data", botocore_services)
    _compile_bytecode(out)
    return out


def trim_botocore_data(data: Path, services: Sequence[str] = BOTOCORE_SERVICES) -> None:
    """Keep the models of ``services`` and botocore's shared files (endpoints,
    partitions, retry and default configuration); in endpoints.json, keep each
    partition's entries for ``services`` only (its regions and defaults stay whole)."""
    for entry in data.iterdir():
        if entry.is_dir() and entry.name not in services:
            shutil.rmtree(entry)
    missing = [name for name in services if not (data / name).is_dir()]
    if missing:
        raise PackageError(f"botocore in the bundle has no model for {missing}")
    endpoints_file = data / "endpoints.json"
    endpoints = json.loads(endpoints_file.read_text(encoding="utf-8"))
    for partition in endpoints["partitions"]:
        known = partition["services"]
        partition["services"] = {name: known[name] for name in services if name in known}
    endpoints_file.write_text(json.dumps(endpoints, separators=(",", ":")), encoding="utf-8")


def _compile_bytecode(out: Path) -> None:
    """Ship bytecode: Lambda's file system is read-only, so a cold start would otherwise
    compile every imported module again. Hash-checked .pyc stay valid whatever
    timestamps the zip step leaves."""
    python = find_python()
    if python is None:
        print(
            f"note: no python{LAMBDA_PYTHON} here; the bundle ships without bytecode",
            file=sys.stderr,
        )
        return
    subprocess.run(
        [
            python,
            "-m",
            "compileall",
            "-q",
            "-j0",
            "--invalidation-mode",
            "unchecked-hash",
            str(out),
        ],
        check=True,
        # Some dependencies' docstrings hold invalid escapes: their business, not ours.
        env={**os.environ, "PYTHONWARNINGS": "ignore::SyntaxWarning"},
    )


def bundle_size(out: Path) -> tuple[int, int]:
    """(bytes on disk unzipped, bytes as a deflated zip): Lambda allows 250 MB / 50 MB."""
    files = [p for p in sorted(out.rglob("*")) if p.is_file()]
    unzipped = sum(p.stat().st_size for p in files)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "bundle.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in files:
                zf.write(path, path.relative_to(out))
        zipped = archive.stat().st_size
    return unzipped, zipped


# --- Skill package --------------------------------------------------------------------


def load_manifest(path: Path = MANIFEST_SOURCE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def manifest_with_endpoint(manifest: dict[str, Any], endpoint: str | None) -> dict[str, Any]:
    """The manifest to upload. With an endpoint, the skill and its events point at the
    function. Without one (the very first deploy, before the function exists) the
    skill is created with no endpoint and no event subscriptions, which need one."""
    result: dict[str, Any] = json.loads(json.dumps(manifest))
    body = result["manifest"]
    if endpoint is None:
        body["apis"]["custom"].pop("endpoint", None)
        body.pop("events", None)
    else:
        body["apis"]["custom"]["endpoint"] = {"uri": endpoint}
        if "events" in body:
            body["events"]["endpoint"] = {"uri": endpoint}
    return result


def build_skill_package(
    out: Path, endpoint: str | None = None, models_dir: Path = MODELS_DIR
) -> Path:
    """Write ``out/skill.json`` and ``out/interactionModels/custom/<locale>.json``.

    The models are copied from interaction_models/, never kept twice by hand; every
    locale the manifest publishes needs one, and no model may go unpublished.
    """
    manifest = load_manifest()
    locales = set(manifest["manifest"]["publishingInformation"]["locales"])
    models = {p.stem: p for p in models_dir.glob("*.json")}
    if locales != set(models):
        raise PackageError(
            f"manifest locales {sorted(locales)} differ from the models in "
            f"{models_dir}: {sorted(models)}"
        )
    if out.exists():
        shutil.rmtree(out)
    custom = out / "interactionModels" / "custom"
    custom.mkdir(parents=True)
    packaged = manifest_with_endpoint(manifest, endpoint)
    (out / "skill.json").write_text(json.dumps(packaged, indent=2) + "\n", encoding="utf-8")
    for locale, path in sorted(models.items()):
        shutil.copyfile(path, custom / f"{locale}.json")
    return out


# --- Deployment settings ------------------------------------------------------------------


def _samconfig_parameters(config_env: str) -> dict[str, Any]:
    """``[<env>.global.parameters]`` overlaid by ``[<env>.deploy.parameters]``, as sam does."""
    with SAMCONFIG.open("rb") as f:
        config = tomllib.load(f)
    env = config.get(config_env, {})
    if "deploy" not in env:
        raise PackageError(f"{SAMCONFIG.name} has no [{config_env}.deploy.parameters]")
    return {**env.get("global", {}).get("parameters", {}), **env["deploy"]["parameters"]}


def sam_overrides(
    config_env: str, skill_id: str, bundle: Path = ROOT / "build" / "lambda"
) -> list[str]:
    """samconfig's parameter_overrides plus what only this deploy knows: the SkillId and
    whether the bundle carries an audio manifest. (``sam deploy --parameter-overrides``
    replaces the configured list rather than adding to it.)"""
    configured = _samconfig_parameters(config_env).get("parameter_overrides", [])
    if isinstance(configured, str):
        configured = shlex.split(configured)
    derived = {
        "SkillId": skill_id,
        "AudioManifestBundled": str((bundle / BUNDLED_AUDIO_MANIFEST).is_file()).lower(),
    }
    kept = [p for p in configured if p.split("=", 1)[0] not in derived]
    return kept + [f"{key}={value}" for key, value in derived.items()]


def samconfig_value(config_env: str, key: str) -> str:
    try:
        return str(_samconfig_parameters(config_env)[key])
    except KeyError as exc:
        raise PackageError(f"{SAMCONFIG.name} [{config_env}] sets no {key}") from exc


def skill_id(states: Path = ASK_STATES, profile: str = "default") -> str:
    """The skill id that ``ask deploy`` recorded, or "" before the skill exists."""
    if not states.exists():
        return ""
    data = json.loads(states.read_text(encoding="utf-8"))
    return str(data.get("profiles", {}).get(profile, {}).get("skillId") or "")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    lam = commands.add_parser("lambda", help="build the Lambda bundle")
    lam.add_argument("--out", type=Path, default=ROOT / "build" / "lambda")
    pkg = commands.add_parser("skill-package", help="assemble the ASK skill package")
    pkg.add_argument("--out", type=Path, default=ROOT / "build" / "skill-package")
    pkg.add_argument("--endpoint", default=None, help="the function ARN (stack output)")
    ovr = commands.add_parser("sam-overrides", help="print sam deploy parameter overrides")
    ovr.add_argument("--config-env", default="default")
    ovr.add_argument("--skill-id", required=True)
    cfg = commands.add_parser("samconfig", help="print one deploy setting from samconfig.toml")
    cfg.add_argument("--config-env", default="default")
    cfg.add_argument("key")
    sid = commands.add_parser("skill-id", help="print the skill id from .ask/ask-states.json")
    sid.add_argument("--profile", default="default")
    args = parser.parse_args(argv)

    try:
        if args.command == "lambda":
            out = build_lambda(args.out)
            unzipped, zipped = bundle_size(out)
            print(f"{out}: {unzipped / 1e6:.1f} MB unzipped, {zipped / 1e6:.1f} MB zipped")
            if not (out / BUNDLED_AUDIO_MANIFEST).exists():
                print(f"note: no {AUDIO_MANIFEST_SOURCE.relative_to(ROOT)}: no generated audio")
        elif args.command == "skill-package":
            out = build_skill_package(args.out, args.endpoint)
            print(f"{out}: " + ("endpoint " + args.endpoint if args.endpoint else "no endpoint"))
        elif args.command == "sam-overrides":
            print("\n".join(sam_overrides(args.config_env, args.skill_id)))  # one per line
        elif args.command == "samconfig":
            print(samconfig_value(args.config_env, args.key))
        else:
            print(skill_id(profile=args.profile))
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
