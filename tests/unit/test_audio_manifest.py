"""The skill's reading of the audio manifest (skill.speech.audio_manifest)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.speech.audio_manifest import AudioManifest, ManifestError, load_manifest, parse_manifest


def manifest_json(file: str = "sets/pelvic_tilts-normal-8.0123abcd.mp3") -> dict[str, Any]:
    part = {"file": file, "sha256": "ab" * 32, "duration_ms": 95_000, "cues_ms": [47, 3047]}
    return {
        "format_version": 1,
        "locale": "en-US",
        "backend": "espeak",
        "voice": "espeak-ng 1.52.0 en-us 160wpm",
        "lead_ms": 47,
        "sets": {"pelvic_tilts-normal-8": {"parts": [part]}},
        "routines": {
            "back_care": {
                "parts": [{**part, "file": "routines/back_care.1234.mp3"}],
                "chapters": [{"exercise_id": "pelvic_tilts", "start_ms": 9000}],
            }
        },
        "skipped": {"pelvic_tilts-fast-15": "'Fifteen.' needs 420 ms, has 380 ms"},
    }


def test_a_manifest_survives_a_round_trip_through_json() -> None:
    manifest = parse_manifest(json.dumps(manifest_json()))
    assert AudioManifest.from_json(manifest.to_json()) == manifest
    entry = manifest.sets["pelvic_tilts-normal-8"]
    assert entry.parts[0].url("https://cdn.example.com/audio/") == (
        "https://cdn.example.com/audio/sets/pelvic_tilts-normal-8.0123abcd.mp3"
    )
    assert manifest.routines["back_care"].chapters[0].start_ms == 9000


@pytest.mark.parametrize("bad", ["/etc/passwd", "../secret.mp3", "https://evil.example/x.mp3", ""])
def test_a_file_path_that_leaves_the_base_url_is_rejected(bad: str) -> None:
    """Prevents a tampered manifest from pointing the skill's <audio> tags anywhere else."""
    with pytest.raises(ManifestError):
        parse_manifest(json.dumps(manifest_json(file=bad)))


@pytest.mark.parametrize(
    "text", ["not json", "{}", json.dumps({**manifest_json(), "format_version": 99})]
)
def test_a_malformed_manifest_is_one_clear_error(text: str) -> None:
    with pytest.raises(ManifestError):
        parse_manifest(text)


def test_a_missing_manifest_file_is_a_manifest_error(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="cannot read"):
        load_manifest(str(tmp_path / "nowhere.json"))
