"""Generated audio speaks one locale: only requests in that locale hear its MP3s.

Prevents a German user hearing an English MP3 (or the other way round) for a set
whose timeline happens to match: a manifest is built from one locale's catalog.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from audio.build import Builder, set_jobs
from audio.render import LEAD_MS
from skill.chat.envelopes import Conversation, SlotValue
from skill.progress.sqlite_store import SqliteStore
from skill.routines.plan import Plan
from skill.speech.guide import set_timeline
from skill.turn.context import catalog_for
from tests.audio.tones import ToneBackend
from tests.conftest import Talk
from tests.functional.test_generated_audio import talk_with

EXERCISE = "pelvic_tilts"


def build_manifest(out: Path, locale: str) -> tuple[Path, str]:
    """The manifest of one variant, the default set of pelvic tilts, in ``locale``."""
    catalog = catalog_for(locale)
    key = set_timeline(catalog, Plan.for_exercise(catalog.exercise(EXERCISE))).key
    jobs = [job for job in set_jobs(catalog, [EXERCISE]) if job.key == key]
    Builder(out, ToneBackend(), catalog).build(jobs)
    return out / "manifest.json", key


def start_in(talk: Talk, locale: str) -> str:
    talk.conversation = Conversation(locale=locale)
    exercise = catalog_for(locale).exercise(EXERCISE)
    slot = SlotValue(exercise.name, exercise.id, exercise.name, "EXERCISE_NAME")
    talk.intent("StartRoutineIntent", new_session=True, exercise=slot)
    return str(talk.last["response"]["outputSpeech"]["ssml"])


def test_a_manifest_plays_only_to_its_own_locale(
    store: SqliteStore, clock: Any, tmp_path: Path
) -> None:
    manifest, _ = build_manifest(tmp_path / "de", "de-DE")
    talk = talk_with(store, clock, manifest)
    assert start_in(talk, "de-DE").count("<audio ") == 1
    assert "<audio" not in start_in(talk, "en-US")


def test_another_locale_s_mp3_is_never_played_even_when_its_timing_matches(
    store: SqliteStore, clock: Any, tmp_path: Path
) -> None:
    """An en-US manifest rewritten to the German timeline's exact cue times: only its
    locale keeps a German user from hearing English words."""
    manifest, key = build_manifest(tmp_path / "en", "en-US")
    catalog = catalog_for("de-DE")
    german = set_timeline(catalog, Plan.for_exercise(catalog.exercise(EXERCISE)))
    raw = json.loads(manifest.read_text())
    entry = raw["sets"].pop(key)
    entry["parts"][0]["cues_ms"] = [LEAD_MS + cue.start_ms for cue in german.cues]
    raw["sets"][german.key] = entry
    manifest.write_text(json.dumps(raw))
    talk = talk_with(store, clock, manifest)
    ssml = start_in(talk, "de-DE")
    assert "<audio" not in ssml and "<break" in ssml
