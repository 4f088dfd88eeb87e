"""With a published manifest, a guided set is one <audio> tag; without it, SSML breaks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from audio.build import Builder, set_jobs
from skill.alexa_api.settings_api import no_lookup
from skill.builder import build_skill
from skill.progress.sqlite_store import SqliteStore
from skill.routines.catalog import load_catalog
from skill.settings import Settings
from tests.audio.tones import ToneBackend
from tests.conftest import Talk

BASE_URL = "https://audio.example.com/movement-snacks"
CATALOG = load_catalog("en-US")
# What "start pelvic tilts" plays: the default 8 reps at the normal tempo.
VARIANT = "pelvic_tilts-normal-8"


@pytest.fixture
def manifest_path(tmp_path: Path) -> Path:
    jobs = [job for job in set_jobs(CATALOG, ["pelvic_tilts"]) if job.key == VARIANT]
    Builder(tmp_path / "out", ToneBackend(), CATALOG).build(jobs)
    return tmp_path / "out" / "manifest.json"


def talk_with(store: SqliteStore, clock: Any, manifest: Path, base_url: str = BASE_URL) -> Talk:
    settings = Settings(
        progress_store=f"sqlite:///{store.path}",
        audio_base_url=base_url,
        audio_manifest=str(manifest),
    )
    return Talk(build_skill(settings, store, clock, time_zones=no_lookup), store)


def ssml(talk: Talk) -> str:
    return str(talk.last["response"]["outputSpeech"]["ssml"])


def test_a_published_set_plays_as_one_audio_tag(
    store: SqliteStore, clock: Any, manifest_path: Path
) -> None:
    talk = talk_with(store, clock, manifest_path)
    talk.say("ask movement snacks to start pelvic tilts")
    file = json.loads(manifest_path.read_text())["sets"][VARIANT]["parts"][0]["file"]
    assert ssml(talk).count("<audio ") == 1
    assert f'<audio src="{BASE_URL}/{file}"/>' in ssml(talk)
    assert "Hold" not in ssml(talk)  # the cues are in the MP3, not spoken again


def test_a_variant_missing_from_the_manifest_falls_back_to_ssml_breaks(
    store: SqliteStore, clock: Any, manifest_path: Path
) -> None:
    talk = talk_with(store, clock, manifest_path)
    talk.say("ask movement snacks to start shoulder circles")
    assert "<audio" not in ssml(talk) and "<break" in ssml(talk)


def test_a_manifest_from_an_older_catalog_is_not_played(
    store: SqliteStore, clock: Any, manifest_path: Path
) -> None:
    """Prevents playing an MP3 whose pacing no longer matches the skill's timeline."""
    raw = json.loads(manifest_path.read_text())
    raw["sets"][VARIANT]["parts"][0]["cues_ms"][1] += 500
    manifest_path.write_text(json.dumps(raw))
    talk = talk_with(store, clock, manifest_path)
    talk.say("ask movement snacks to start pelvic tilts")
    assert "<audio" not in ssml(talk) and "<break" in ssml(talk)


@pytest.mark.parametrize("problem", ["missing", "not json", "http"])
def test_a_broken_audio_configuration_still_guides_the_set(
    store: SqliteStore, clock: Any, manifest_path: Path, problem: str, tmp_path: Path
) -> None:
    manifest, base_url = manifest_path, BASE_URL
    if problem == "missing":
        manifest = tmp_path / "nowhere.json"
    elif problem == "not json":
        manifest = tmp_path / "broken.json"
        manifest.write_text("{")
    else:
        base_url = "http://audio.example.com"  # Alexa plays only https
    talk = talk_with(store, clock, manifest, base_url)
    talk.say("ask movement snacks to start pelvic tilts")
    assert "<audio" not in ssml(talk) and "<break" in ssml(talk)
