"""``movement-snacks audio build``: every file valid for Alexa, paced, and rebuilt for free.

The full build (all 681 variants and 6 routines) takes minutes; here one exercise
with all its tempos and reps and one routine are built with eSpeak NG, and the
full build's figures live in benchmarks/audio_build.py.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.mp3 import MP3

from audio.analysis import cue_onsets_ms, largest_error_ms
from audio.build import Builder, routine_jobs, set_jobs
from audio.cache import ClipCache
from audio.espeak_backend import EspeakBackend
from audio.render import LEAD_MS, Layout, Renderer
from skill.cli import main
from skill.routines.catalog import load_catalog
from skill.routines.model import Tempo
from skill.routines.pacing import compile_set
from skill.speech.audio_manifest import load_manifest, parse_manifest
from tests.audio.tones import ToneBackend

CATALOG = load_catalog("en-US")
EXERCISE = "standing_stretch"
ROUTINE = "quick_snack"
ALLOWED_RATES = {16000, 22050, 24000}


def run_build(out: Path) -> str:
    # Two encoding processes: the parallel path is the one users run.
    args = ["audio", "build", "--backend", "espeak", "--out", str(out), "--jobs", "2"]
    result = CliRunner().invoke(main, [*args, "--exercise", EXERCISE, "--routine", ROUTINE])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("audio-out")
    return out, run_build(out)


def test_every_variant_of_the_exercise_and_the_routine_is_in_the_manifest(
    built: tuple[Path, str],
) -> None:
    out, _ = built
    manifest = parse_manifest((out / "manifest.json").read_text())
    exercise = CATALOG.exercise(EXERCISE)
    # With every encouragement: how many sets the session heard before picks it.
    expected = {
        compile_set(exercise, reps, tempo, place).key
        for tempo in Tempo
        for reps in range(1, exercise.max_reps + 1)
        for place in range(len(exercise.cues.encouragements))
    }
    assert set(manifest.sets) == expected and manifest.skipped == {}
    assert set(manifest.routines) == {ROUTINE}
    timeline = compile_set(exercise, 4, Tempo.SLOW)
    (part,) = manifest.sets[timeline.key].parts
    assert part.cues_ms == tuple(LEAD_MS + c.start_ms for c in timeline.cues)
    chapters = manifest.routines[ROUTINE].chapters
    assert [c.exercise_id for c in chapters] == [
        s.exercise_id for s in CATALOG.routine(ROUTINE).steps
    ]


def test_every_file_is_mpeg2_layer3_48kbps_at_an_allowed_rate_and_fits(
    built: tuple[Path, str],
) -> None:
    out, _ = built
    manifest = load_manifest(str(out / "manifest.json"))
    entries = [(e, True) for e in manifest.sets.values()]
    entries += [(e, False) for e in manifest.routines.values()]
    for entry, is_set in entries:
        for part in entry.parts:
            path = out / part.file
            info = MP3(path).info
            assert (info.version, info.layer) == (2, 3), part.file
            assert info.bitrate == 48_000 and info.sample_rate in ALLOWED_RATES, part.file
            assert info.channels == 1
            assert abs(info.length * 1000 - part.duration_ms) < 30
            assert not is_set or info.length <= 240
            assert part.cues_ms[-1] < part.duration_ms
            assert hashlib.sha256(path.read_bytes()).hexdigest() == part.sha256


def test_espeak_cues_are_heard_within_one_frame_of_the_plan(built: tuple[Path, str]) -> None:
    out, _ = built
    manifest = parse_manifest((out / "manifest.json").read_text())
    timeline = compile_set(CATALOG.exercise(EXERCISE), 3, Tempo.FAST)
    (part,) = manifest.sets[timeline.key].parts
    backend = EspeakBackend("en-US")
    clips = ClipCache(out / ".clips", backend, "en-US")
    renderer = Renderer(clips.clip, max_speed=backend.max_speed)
    placed = renderer.placed(Layout.of(timeline))
    onsets = cue_onsets_ms((out / part.file).read_bytes(), part.cues_ms, placed)
    assert largest_error_ms(part.cues_ms, onsets) <= 25
    assert clips.misses == 0  # the build cached every phrase


def test_every_phrase_fits_its_slot_at_the_voice_s_own_rate(built: tuple[Path, str]) -> None:
    """Prevents a fast tempo from speeding up speech: the pacing's estimate leaves
    every cue room enough, so no phrase is asked faster or compressed to fit."""
    _, output = built
    assert "said faster" not in output and "compressed in time" not in output


def test_a_rebuild_with_nothing_changed_synthesises_and_encodes_nothing(
    built: tuple[Path, str],
) -> None:
    out, _ = built
    before = {p: p.read_bytes() for p in out.rglob("*.mp3")}
    output = run_build(out)
    assert "0 encoded" in output and "0 phrases synthesised" in output
    assert {p: p.read_bytes() for p in out.rglob("*.mp3")} == before


def test_a_variant_whose_speech_cannot_fit_is_left_out_and_reported(tmp_path: Path) -> None:
    # A voice so slow (900 ms a word) that single-word counts overrun their slots
    builder = Builder(tmp_path, ToneBackend(ms_per_word=900), CATALOG)
    report = builder.build(set_jobs(CATALOG, ["pelvic_tilts"])[:3])
    assert set(report.skipped) == {
        "pelvic_tilts-slow-1",
        "pelvic_tilts-slow-2",
        "pelvic_tilts-slow-3",
    }
    assert "needs" in report.skipped["pelvic_tilts-slow-2"]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["sets"] == {} and set(manifest["skipped"]) == set(report.skipped)
    assert list(tmp_path.rglob("*.mp3")) == []


def test_a_changed_build_removes_the_files_it_no_longer_names(tmp_path: Path) -> None:
    jobs = routine_jobs(CATALOG, [ROUTINE])
    Builder(tmp_path, ToneBackend(), CATALOG).build(jobs)
    old = set(tmp_path.rglob("*.mp3"))
    report = Builder(tmp_path, ToneBackend(), CATALOG, tick=True).build(jobs)
    new = set(tmp_path.rglob("*.mp3"))
    assert len(old) == len(new) == 1 and old != new and report.encoded == 1


def test_an_unknown_exercise_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    args = ["audio", "build", "--backend", "espeak", "--out", str(tmp_path), "--exercise", "yoga"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "yoga" in result.output
