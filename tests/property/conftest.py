"""Fixtures for the property tests: the Lambda entry point on a recording store, and the web
endpoint under waitress (as `movement-snacks serve` runs it) with the web tests' Alexa PKI."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import waitress
from flask import Flask

from audio.build import Builder, routine_jobs
from skill import lambda_function
from skill.alexa_api.settings_api import no_lookup
from skill.builder import build_skill
from skill.progress.sqlite_store import SqliteStore
from skill.routines.catalog import load_catalog
from skill.settings import Settings
from skill.speech.audio_manifest import ManifestAudio, load_manifest
from tests.audio.tones import ToneBackend
from tests.web.conftest import (  # noqa: F401 - fixtures shared with the web tests
    chains,
    make_app,
    pki,
    saved,
    signature_verifier,
    web_settings,
)
from tests.web.support import SKILL_ID, RecordingStore

AUDIO_BASE_URL = "https://audio.example.com/ms"


@pytest.fixture(scope="session")
def manifest_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published back-care routine track (test tones), so hands-free requests reach it."""
    out = tmp_path_factory.mktemp("property-audio")
    catalog = load_catalog("en-US")
    Builder(out, ToneBackend(), catalog).build(routine_jobs(catalog, ["back_care"]))
    return out / "manifest.json"


@pytest.fixture
def track_token(manifest_path: Path) -> str:
    audio = ManifestAudio(load_manifest(str(manifest_path)), AUDIO_BASE_URL)
    track = audio.routine_track("back_care")
    assert track is not None
    return track.token


@pytest.fixture
def lambda_store(
    store: SqliteStore, clock: Any, monkeypatch: pytest.MonkeyPatch, manifest_path: Path
) -> RecordingStore:
    """``lambda_function.handler`` answers with a skill on a store that remembers every save."""
    recording = RecordingStore(store)
    settings = Settings(
        skill_id=SKILL_ID,
        progress_store=f"sqlite:///{store.path}",
        audio_base_url=AUDIO_BASE_URL,
        audio_manifest=str(manifest_path),
    )
    # No Settings API call leaves the process: the time zone comes from the store or is UTC.
    skill = build_skill(settings, recording, clock, time_zones=no_lookup)
    monkeypatch.setattr(lambda_function, "skill", lambda: skill)
    return recording


@pytest.fixture
def waitress_url(make_app: Any) -> Iterator[str]:  # noqa: F811 - the imported fixture
    """The production app (verification on, test PKI) served by waitress on a loopback port."""
    app: Flask = make_app()
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}/"
    finally:
        server.close()
        thread.join(timeout=5)
