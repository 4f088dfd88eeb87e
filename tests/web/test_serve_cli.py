"""`movement-snacks serve` as a user starts it: a real process on a real port.

Prevents: a serve command that does not start (e.g. the oscrypto import failure), that
serves with verification off by default, that serves any skill (no SKILL_ID), that keys
users with the public salt, that logs like nothing else (botocore at DEBUG logs whole
items), or that drops the --no-verify warning.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import re
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner, Result

from skill.cli import main
from skill.progress.factory import init_store, open_store
from skill.settings import PUBLIC_SALT
from skill.turn.identity import user_key
from tests.web.support import SKILL_ID, launch_body

STARTUP_TIMEOUT_S = 60


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "serve.sqlite3"


@pytest.fixture
def start_serve(store_path: Path) -> Iterator[Callable[..., tuple[str, list[str]]]]:
    """Run the command on a free port; return its URL and the log lines up to "Serving on"."""
    processes: list[subprocess.Popen[str]] = []
    store_url = f"sqlite:///{store_path}"
    init_store(store_url)

    def start(*flags: str, skill_id: str | None = SKILL_ID) -> tuple[str, list[str]]:
        env = {**os.environ, "LOG_LEVEL": "INFO"}
        env.pop("SKILL_ID", None)
        env.pop("USER_KEY_SALT", None)
        if skill_id:
            env["SKILL_ID"] = skill_id
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


def test_the_salt_is_generated_beside_the_store_owner_only_and_kept(
    start_serve: Callable[..., tuple[str, list[str]]], store_path: Path
) -> None:
    url, _ = start_serve("--no-verify")
    body = launch_body()
    assert requests.post(url, data=body, timeout=30).status_code == 200
    user = json.loads(body)["context"]["System"]["user"]["userId"]
    salt_file = store_path.with_name(store_path.name + ".salt")
    assert stat.S_IMODE(salt_file.stat().st_mode) == 0o600
    salt = salt_file.read_text().strip()

    # The launch was saved under the generated salt, not under the public one.
    store = open_store(f"sqlite:///{store_path}")
    assert store.load(user_key(salt, user)).disclaimer_heard
    assert not store.load(user_key(PUBLIC_SALT, user)).disclaimer_heard

    start_serve("--no-verify")
    assert salt_file.read_text().strip() == salt


class _StubServer:
    """Stands in for waitress in-process: records what serve set up, then returns."""

    def __init__(self) -> None:
        self.levels: dict[str, int] = {}

    def print_listen(self, format_str: str) -> None:
        return

    def run(self) -> None:
        for name in ("", "botocore", "boto3", "urllib3"):
            self.levels[name] = logging.getLogger(name or None).level


@pytest.fixture
def stub_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[_StubServer]:
    stub = _StubServer()
    monkeypatch.setattr("skill.web.make_server", lambda app, host, port: stub)
    names = ("", "botocore", "boto3", "urllib3")
    saved_levels = {name: logging.getLogger(name or None).level for name in names}
    yield stub
    for name, level in saved_levels.items():
        logging.getLogger(name or None).setLevel(level)


def _invoke_serve(*args: str, **env: str | None) -> Result:
    environment: dict[str, str | None] = {"SKILL_ID": None, "USER_KEY_SALT": None, **env}
    return CliRunner().invoke(main, ["serve", *args], env=environment)


def test_serve_without_skill_id_refuses_to_start_and_says_what_to_set(
    stub_server: _StubServer, tmp_path: Path
) -> None:
    result = _invoke_serve("--store", f"sqlite:///{tmp_path / 'p.sqlite3'}")

    assert result.exit_code == 2
    assert "SKILL_ID" in result.output and "--no-verify" in result.output
    assert stub_server.levels == {}  # never served


def test_serve_on_dynamodb_without_a_salt_refuses_to_start(stub_server: _StubServer) -> None:
    for salt in (None, PUBLIC_SALT, "too-short"):
        result = _invoke_serve(
            "--store", "dynamodb://progress", SKILL_ID=SKILL_ID, USER_KEY_SALT=salt
        )
        assert result.exit_code == 1, salt
        assert "USER_KEY_SALT" in result.output
    assert stub_server.levels == {}


def test_serve_logs_like_lambda_with_botocore_never_below_warning(
    stub_server: _StubServer, tmp_path: Path
) -> None:
    result = _invoke_serve(
        "--store", f"sqlite:///{tmp_path / 'p.sqlite3'}", SKILL_ID=SKILL_ID, LOG_LEVEL="DEBUG"
    )

    assert result.exit_code == 0, result.output
    assert stub_server.levels[""] == logging.DEBUG
    assert stub_server.levels["botocore"] == logging.WARNING
    assert stub_server.levels["boto3"] == logging.WARNING
