"""The embedded SQLite store on a brand-new path, through the skill's normal entries.

Prevents: `serve --store sqlite:///NEW_FILE` (or Lambda) answering every turn "I can't
reach your saved progress" because only `chat` and `store init` created the schema;
and a store file of health data that other local users can read.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from skill import lambda_function
from skill.builder import build_skill
from skill.progress.factory import store_from_settings
from skill.progress.sqlite_store import SqliteStore
from skill.settings import Settings
from tests.conftest import Talk, check_response
from tests.web.support import SKILL_ID, launch_body

ASK = "alexa ask movement snacks to "
UNREACHABLE = "can't reach your saved progress"
EVENTS = Path(__file__).parents[1] / "events"


def clock() -> datetime:
    return datetime(2026, 11, 25, 18, tzinfo=UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def completed_sets(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        count: int = db.execute("SELECT count(*) FROM completions").fetchone()[0]
        return count


def test_a_new_store_file_works_from_the_first_launch_and_is_the_owners_alone(
    tmp_path: Path,
) -> None:
    # GIVEN a store path whose folder and file do not exist yet, and no `store init`
    path = tmp_path / "new-folder" / "progress.sqlite3"
    settings = Settings(progress_store=f"sqlite:///{path}")
    store = store_from_settings(settings)
    assert isinstance(store, SqliteStore)
    talk = Talk(build_skill(settings, store, clock, time_zones=lambda _: None), store)

    # WHEN a user opens the skill and completes a set
    welcome = talk.launch()
    talk.say(ASK + "start pelvic tilts")
    talk.say("next")
    summary = talk.say(ASK + "how am I doing")

    # THEN nothing speaks of an unreachable store, the set counts, and only the owner may read
    assert welcome.startswith("Welcome to Movement Snacks")
    assert UNREACHABLE not in welcome + summary
    assert summary.startswith("Today you've had 1 of your 5")
    assert completed_sets(path) == 1
    assert (mode(path), mode(path.parent)) == (0o600, 0o700)


def test_the_lambda_entry_point_creates_its_store_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lambda" / "progress.sqlite3"
    monkeypatch.setenv("PROGRESS_STORE", f"sqlite:///{path}")
    monkeypatch.delenv("SKILL_ID", raising=False)
    lambda_function.skill.cache_clear()
    try:
        event: dict[str, Any] = json.loads((EVENTS / "launch.json").read_text(encoding="utf-8"))
        response = lambda_function.handler(event, None)
    finally:
        lambda_function.skill.cache_clear()

    check_response(response)
    speech = response["response"]["outputSpeech"]["ssml"]
    assert "Welcome to Movement Snacks" in speech and UNREACHABLE not in speech
    assert mode(path) == 0o600


def test_an_existing_store_file_that_others_could_read_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.touch()
    path.chmod(0o644)
    tmp_path.chmod(0o755)

    store = SqliteStore(path, clock=clock)
    assert store.load("u1").days == ()

    assert mode(path) == 0o600
    assert mode(tmp_path) == 0o755  # a folder the store did not make is not its to change


def test_a_store_folder_that_cannot_be_made_is_a_store_error_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    settings = Settings(progress_store=f"sqlite:///{blocker / 'progress.sqlite3'}")
    store = store_from_settings(settings)
    assert isinstance(store, SqliteStore)
    talk = Talk(build_skill(settings, store, clock, time_zones=lambda _: None), store)

    text = talk.say(ASK + "start pelvic tilts")

    assert "pelvic tilts" in text.lower()  # the user is still guided


def test_serve_on_a_new_store_file_answers_without_an_apology(tmp_path: Path) -> None:
    """The README's own example: `movement-snacks serve --store sqlite:///NEW_FILE`."""
    path = tmp_path / "served" / "progress.sqlite3"
    env = {**os.environ, "SKILL_ID": SKILL_ID, "USER_KEY_SALT": "a-test-secret-salt"}
    command = [sys.executable, "-m", "skill.cli", "serve", "--port", "0", "--no-verify"]
    with subprocess.Popen(
        [*command, "--store", f"sqlite:///{path}"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    ) as process:
        try:
            assert process.stderr is not None
            url = next(
                match.group(1)
                for line in process.stderr
                if (match := re.search(r"Serving on (http://\S+)", line))
            )
            response = requests.post(url + "/", data=launch_body(), timeout=30)
        finally:
            process.terminate()

    speech = response.json()["response"]["outputSpeech"]["ssml"]
    assert response.status_code == 200
    assert "Welcome to Movement Snacks" in speech and UNREACHABLE not in speech
    assert (mode(path), mode(path.parent)) == (0o600, 0o700)
