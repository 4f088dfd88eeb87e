"""The SAM template passes checkov, an IaC security scanner, with every exception argued.

Prevents: a resource added without encryption, logging or least privilege slipping into a
deploy unnoticed, and a finding silenced without a written reason in the template.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.infrastructure.conftest import ROOT, TEMPLATE

CHECKOV = Path(sys.executable).with_name("checkov")
# A written reason is a sentence, not "n/a": at least this many characters.
MIN_REASON_CHARS = 60


@pytest.fixture(scope="module")
def scan() -> dict[str, Any]:
    """checkov's JSON report of the template; --skip-download keeps it offline."""
    result = subprocess.run(
        [
            str(CHECKOV),
            "--file",
            str(TEMPLATE.relative_to(ROOT)),
            "--framework",
            "cloudformation",
            "--output",
            "json",
            "--skip-download",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report["results"]


def test_checkov_finds_nothing_in_the_template(scan: dict[str, Any]) -> None:
    failed = [f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in scan["failed_checks"]]
    assert failed == []
    assert scan["parsing_errors"] == []
    assert len(scan["passed_checks"]) >= 30  # the scan really looked at the resources


def test_every_suppressed_finding_says_why(scan: dict[str, Any]) -> None:
    unexplained = [
        f"{c['check_id']} {c['resource']}"
        for c in scan["skipped_checks"]
        if len((c["check_result"].get("suppress_comment") or "").strip()) < MIN_REASON_CHARS
    ]
    assert unexplained == []


def test_suppressions_live_in_the_template_only(template: dict[str, Any]) -> None:
    """Every skip is a checkov Metadata entry with an id and a comment, on a resource;
    no config file (which checkov reads by itself) skips checks for the whole repo."""
    assert not [p.name for p in ROOT.glob(".checkov.y*ml")]
    for name, resource in template["Resources"].items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            assert set(skip) == {"id", "comment"}, name
            assert skip["id"].startswith("CKV"), name
