"""Install virtual-alexa (npm) and let it resolve utterances against a model file.

virtual-alexa comes from the committed package-lock.json, installed into this folder
once (under a file lock, so pytest-xdist workers do not race). resolve.js hands it
the model and each utterance; the "skill" it calls is a local function that only
keeps the request envelope virtual-alexa built, so nothing is posted anywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.npm import npm_ci

HERE = Path(__file__).parent
TIMEOUT_S = 300


class VirtualAlexaUnavailable(RuntimeError):
    """node or npm is missing, or virtual-alexa could not be installed."""


def install() -> None:
    npm_ci(HERE, "virtual-alexa", VirtualAlexaUnavailable)


def resolve(model: Path, locale: str, utterances: Sequence[str]) -> dict[str, dict[str, Any]]:
    """utterance -> {"request": the envelope's request} or {"error": why none was built}."""
    install()
    done = subprocess.run(
        ["node", str(HERE / "resolve.js"), str(model), locale],
        input="".join(f"{utterance}\n" for utterance in utterances),
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT_S,
        # Its bundled aws-sdk v2 (unused here) prints an end-of-support note otherwise.
        env={**os.environ, "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1"},
    )
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    return {answer.pop("utterance"): answer for answer in answers}
