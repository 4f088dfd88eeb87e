"""`movement-snacks serve` as a user starts it: a real process on a real port.

Prevents: a serve command that does not start (e.g. the oscrypto import failure), that
serves with verification off by default, or that drops the --no-verify warning.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from skill.progress.factory import init_store
from tests.web.support import launch_body

STARTUP_TIMEOUT_S = 60


@pytest.fixture
def start_serve(tmp_path: Path) -> Iterator[Callable[..., tuple[str, list[str]]]]:
    """Run the command on a free port; return its URL and the log lines up to "Serving on"."""
    processes: list[subprocess.Popen[str]] = []
    store_url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    init_store(store_url)

    def start(*flags: str) -> tuple[str, list[str]]:
        env = {**os.environ, "LOG_LEVEL": "INFO"}
        env.pop("SKILL_ID", None)
        command = [sys.executable, "-m", "skill.cli", "serve", "--port", "0", "--store", store_url]
        process = subprocess.Popen(
            [*command, *flags],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        processes.append(process)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_pump, args=(process, lines), daemon=True).start()
        seen = []
        while True:
            line = lines.get(timeout=STARTUP_TIMEOUT_S)
            assert line, "serve exited before serving:\n" + "".join(seen)
            seen.append(line)
            if match := re.search(r"Serving on (http://\S+)", line):
                return match.group(1) + "/", seen

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=STARTUP_TIMEOUT_S)


def _pump(process: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        lines.put(line)
    lines.put("")


def test_serve_refuses_unsigned_requests_by_default(
    start_serve: Callable[..., tuple[str, list[str]]],
) -> None:
    url, log = start_serve()

    response = requests.post(url, data=launch_body(), timeout=30)

    assert response.status_code == 400
    assert not any("VERIFICATION IS OFF" in line for line in log)


def test_serve_no_verify_answers_unsigned_requests_and_warns(
    start_serve: Callable[..., tuple[str, list[str]]],
) -> None:
    url, log = start_serve("--no-verify")

    response = requests.post(url, data=launch_body(), timeout=30)

    assert response.status_code == 200
    assert "Welcome to Movement Snacks" in response.json()["response"]["outputSpeech"]["ssml"]
    assert any("REQUEST VERIFICATION IS OFF" in line for line in log)
