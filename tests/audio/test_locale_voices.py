"""The audio build speaks every locale offline, each in its own eSpeak NG voice.

Prevents a locale whose guided sets can only ever be spoken as SSML because its
voice is missing, or whose translated cues are too long for the timeline they must
fit (the build would skip those variants). Bounded: one set per locale, the
ankle rolls at the normal tempo, both sides, so the side and count words are heard.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from audio.build import Builder, set_jobs
from audio.espeak_backend import EspeakBackend
from audio.voices import VOICES
from skill.routines.model import Tempo
from skill.routines.pacing import compile_set
from skill.speech.audio_manifest import load_manifest
from skill.turn.context import catalog_for
from tests.contract.test_locales import LOCALES

EXERCISE = "ankle_rolls"
REPS = 2


@pytest.mark.parametrize("locale", LOCALES)
def test_a_set_renders_in_the_locale_s_voice(tmp_path: Path, locale: str) -> None:
    catalog = catalog_for(locale)
    timeline = compile_set(catalog.exercise(EXERCISE), REPS, Tempo.NORMAL)
    jobs = [job for job in set_jobs(catalog, [EXERCISE]) if job.key == timeline.key]
    backend = EspeakBackend(locale)
    report = Builder(tmp_path, backend, catalog).build(jobs)
    assert report.skipped == {}
    manifest = load_manifest(str(tmp_path / "manifest.json"))
    assert manifest.locale == locale
    assert VOICES[locale].espeak in manifest.voice
    (part,) = manifest.sets[timeline.key].parts
    assert (tmp_path / part.file).stat().st_size > 0
    assert len(part.cues_ms) == len(timeline.cues)
