"""Amazon's own offline APL validator (npm apl-suggester), run over documents and datasources.

apl-suggester comes from the committed package-lock.json, installed into this folder
once (as dynalite is, tests/npm.py). ``validate.js`` runs StaticAplTemplateValidator's
``validate`` and ``validateDataSources`` and also collects the findings the validator
only publishes as notifications (unknown component types, imports it cannot fetch).
The alexa-layouts package is served from Amazon's asset host: offline, its import and
the Alexa* layouts it defines come back as ``unchecked``, named one by one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.npm import npm_ci

HERE = Path(__file__).parent
RUN_TIMEOUT_S = 120
# What alexa-layouts 1.7.0 provides and our documents use: the only names that may go
# unchecked offline (anything else unknown is an error).
ALEXA_LAYOUTS = frozenset({"AlexaHeader", "AlexaProgressBar"})


class AplValidatorUnavailable(RuntimeError):
    """node or npm is missing, or the validator could not run."""


@dataclass(frozen=True)
class Finding:
    name: str
    errors: list[dict[str, str]]
    unchecked: list[dict[str, str]]

    @property
    def unchecked_layouts(self) -> set[str]:
        prefix = "layout "
        return {
            u["message"][len(prefix) :].split(" ")[0]
            for u in self.unchecked
            if u["message"].startswith(prefix)
        }


def install() -> None:
    npm_ci(HERE, "apl-suggester", AplValidatorUnavailable)


def validate(items: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> list[Finding]:
    """(name, document, datasources) each, validated in one node run."""
    install()
    node = shutil.which("node")
    if node is None:
        raise AplValidatorUnavailable("node is needed to run apl-suggester")
    payload = [{"name": n, "document": d, "datasources": s} for n, d, s in items]
    run = subprocess.run(
        [node, str(HERE / "validate.js")],
        cwd=HERE,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    if run.returncode != 0:
        raise AplValidatorUnavailable(f"validate.js exited {run.returncode}: {run.stderr[-500:]}")
    return [Finding(r["name"], r["errors"], r["unchecked"]) for r in json.loads(run.stdout)]


def problems(findings: list[Finding]) -> dict[str, list[str]]:
    """Every error, and anything unchecked beyond the alexa-layouts we use, per name."""
    found: dict[str, list[str]] = {}
    for f in findings:
        issues = [f"{e['path']}: {e['message']}" for e in f.errors]
        issues += [f"unchecked {name}" for name in f.unchecked_layouts - ALEXA_LAYOUTS]
        if issues:
            found[f.name] = issues
    return found
