"""Shared fixtures for the offline deployment proofs: the template and the bundle."""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infrastructure"
TEMPLATE = INFRA / "template.yaml"
# Stands in for the manifest `movement-snacks audio build` writes.
AUDIO_MANIFEST = Path(__file__).with_name("events") / "audio-manifest.json"


def load_package_tool() -> ModuleType:
    """infrastructure/package.py is a script, not part of an installed package."""
    spec = importlib.util.spec_from_file_location("infra_package", INFRA / "package.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("infra_package", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def package_tool() -> ModuleType:
    return load_package_tool()


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    """The SAM template with CloudFormation's short tags (!Ref, !Sub) as their long form."""
    parsed: dict[str, Any] = yaml_parse(TEMPLATE.read_text(encoding="utf-8"))
    return parsed


def _bundle_inputs_digest(tool: ModuleType) -> str:
    digest = hashlib.sha256()
    for path in sorted(
        [
            ROOT / "pyproject.toml",
            INFRA / "package.py",
            AUDIO_MANIFEST,
            *(ROOT / "skill").rglob("*"),
        ]
    ):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    digest.update(" ".join(tool.runtime_requirements()).encode())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def lambda_bundle(package_tool: ModuleType) -> Iterator[Path]:
    """The bundle `make package` builds (with an audio manifest), built once and
    reused while its inputs (pyproject.toml, package.py, skill/) are unchanged.
    A file lock keeps two pytest-xdist workers from building it at the same time."""
    out = ROOT / "build" / "test-lambda"
    stamp = out / ".inputs-sha256"
    out.parent.mkdir(parents=True, exist_ok=True)
    with (ROOT / "build" / "test-lambda.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        digest = _bundle_inputs_digest(package_tool)
        if not (stamp.exists() and stamp.read_text() == digest):
            package_tool.build_lambda(out, audio_manifest=AUDIO_MANIFEST)
            stamp.write_text(digest)
        fcntl.flock(lock, fcntl.LOCK_UN)
    yield out
