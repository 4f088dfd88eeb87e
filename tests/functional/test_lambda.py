"""The Lambda entry point with real request JSON kept under tests/events/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill import lambda_function
from tests.conftest import check_response

EVENTS = Path(__file__).parents[1] / "events"


@pytest.fixture
def lambda_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from skill.progress.factory import init_store

    url = f"sqlite:///{tmp_path / 'lambda.sqlite3'}"
    init_store(url)
    monkeypatch.setenv("PROGRESS_STORE", url)
    monkeypatch.delenv("SKILL_ID", raising=False)
    lambda_function.skill.cache_clear()


def event(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((EVENTS / name).read_text(encoding="utf-8"))


@pytest.mark.usefixtures("lambda_env")
def test_launch_event_gets_a_welcome() -> None:
    response = lambda_function.handler(event("launch.json"), None)
    check_response(response)
    assert "Welcome to Movement Snacks" in response["response"]["outputSpeech"]["ssml"]


@pytest.mark.usefixtures("lambda_env")
def test_one_shot_start_event_starts_the_routine() -> None:
    response = lambda_function.handler(event("start_pelvic_tilts.json"), None)
    check_response(response)
    assert "pelvic tilts" in response["response"]["outputSpeech"]["ssml"]
    assert response["response"]["card"]["title"].endswith("pelvic tilts")


@pytest.mark.usefixtures("lambda_env")
def test_the_skill_is_built_once_per_cold_start() -> None:
    lambda_function.handler(event("launch.json"), None)
    first = lambda_function.skill()
    lambda_function.handler(event("launch.json"), None)
    assert lambda_function.skill() is first


@pytest.mark.usefixtures("lambda_env")
def test_requests_for_another_skill_are_refused_when_skill_id_is_set(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SKILL_ID", "amzn1.ask.skill.the-real-one")
    lambda_function.skill.cache_clear()
    # Lambda cannot answer 400: the refusal is an empty response, never an exception.
    assert lambda_function.handler(event("launch.json"), None) == {"version": "1.0", "response": {}}
    assert "refused event: the request is for another skill" in caplog.text
