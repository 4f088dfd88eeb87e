"""The Lambda entry point's cold start: collection paused while the first event builds
the skill, and running again afterwards, whatever that first event met."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill import lambda_function
from tests.conftest import check_response

LAUNCH = Path(__file__).parents[1] / "events" / "launch.json"


@pytest.fixture
def cold_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from skill.progress.factory import init_store

    url = f"sqlite:///{tmp_path / 'lambda.sqlite3'}"
    init_store(url)
    monkeypatch.setenv("PROGRESS_STORE", url)
    monkeypatch.delenv("SKILL_ID", raising=False)
    lambda_function.skill.cache_clear()
    monkeypatch.setattr(lambda_function, "_cold", True)
    yield
    gc.unfreeze()  # give the test process's objects back to the collector


@pytest.mark.usefixtures("cold_process")
def test_collection_runs_again_after_the_first_event() -> None:
    """Prevents a warm container whose garbage cycles are never collected (memory grows
    turn by turn until Lambda kills it) after the cold start paused collection."""
    response = lambda_function.handler(json.loads(LAUNCH.read_text(encoding="utf-8")), None)
    check_response(response)
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # what the cold start built is never rescanned


@pytest.mark.usefixtures("cold_process")
def test_collection_runs_again_when_the_skill_cannot_be_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Prevents a broken deployment (here: the public salt) leaving collection off."""
    monkeypatch.delenv("USER_KEY_SALT", raising=False)
    monkeypatch.setenv("PROGRESS_STORE", "dynamodb://movement-snacks")
    assert lambda_function.handler({}, None) == lambda_function.empty_response()
    assert gc.isenabled()
    lambda_function.handler({}, None)  # a warm event: collection is left alone
    assert gc.isenabled()
