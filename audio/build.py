"""Render every guided-set variant and routine track, and write the manifest.

Output layout under ``out_dir``::

    manifest.json                      what the skill reads (skill.speech.audio_manifest)
    sets/<variant>.<digest>.mp3        one per exercise x tempo x reps (split if > 240 s)
    routines/<routine>.<digest>.mp3    one per routine, for hands-free playback
    .clips/                            the phrase clip cache (never published)

A file's name carries the digest of everything it is rendered from, so a rebuild
with nothing changed neither synthesises nor encodes anything, and the names can
be cached forever by clients (``audio.publish``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from audio.cache import ClipCache, atomic_write
from audio.mp3frames import Mp3FormatError, summarize
from audio.pcm import BITRATE_KBPS, SAMPLE_RATE
from audio.render import LEAD_MS, OverrunError, Plan, Renderer, split
from audio.routine_track import routine_plan
from audio.tts import TtsBackend
from skill.routines.catalog import TEMPO_ORDER, Catalog
from skill.routines.pacing import compile_set
from skill.speech.audio_manifest import AudioEntry, AudioFile, AudioManifest, Chapter

# Bump when the renderer's output changes for the same inputs, to re-render everything.
RENDER_FORMAT = 1
MANIFEST_NAME = "manifest.json"
CLIP_DIR = ".clips"
ALEXA_MAX_AUDIO_MS = 240_000


class BuildError(RuntimeError):
    """A produced file breaks Alexa's format rules: a bug, never shipped."""


@dataclass(frozen=True)
class Job:
    """One manifest entry to produce: a set variant or a routine track."""

    kind: str  # "sets" or "routines"
    key: str
    plans: tuple[Plan, ...]
    chapters: tuple[tuple[str, int], ...] = ()


def set_jobs(catalog: Catalog, exercise_ids: Iterable[str] | None = None) -> list[Job]:
    """Every variant the skill can ask for: each exercise, tempo and 1..max_reps reps."""
    jobs = []
    for exercise_id in exercise_ids or catalog.exercises:
        exercise = catalog.exercise(exercise_id)
        for tempo in TEMPO_ORDER:
            for reps in range(1, exercise.max_reps + 1):
                timeline = compile_set(exercise, reps, tempo)
                jobs.append(Job("sets", timeline.key, tuple(split(Plan.of(timeline)))))
    return jobs


def routine_jobs(catalog: Catalog, routine_ids: Iterable[str] | None = None) -> list[Job]:
    """One full-routine track each; AudioPlayer streams have no 240 s limit, so no split."""
    jobs = []
    for routine_id in routine_ids or catalog.routines:
        built = routine_plan(catalog, catalog.routine(routine_id))
        jobs.append(Job("routines", routine_id, (built.plan,), built.chapters))
    return jobs


@dataclass
class BuildReport:
    manifest: AudioManifest
    encoded: int = 0
    reused: int = 0
    clips_synthesised: int = 0
    clip_hits: int = 0
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def audio_ms(self) -> int:
        return sum(part.duration_ms for part in self.manifest.files())


class Builder:
    def __init__(
        self,
        out_dir: Path,
        backend: TtsBackend,
        catalog: Catalog,
        *,
        cache_dir: Path | None = None,
        tick: bool = False,
    ) -> None:
        self.out_dir = out_dir
        self.backend = backend
        self.catalog = catalog
        self.tick = tick
        self.clips = ClipCache(cache_dir or out_dir / CLIP_DIR, backend, catalog.locale)
        self.renderer = Renderer(self.clips.clip, max_speed=backend.max_speed, tick=tick)
        self._encoded = 0
        self._reused = 0

    def build(self, jobs: Iterable[Job]) -> BuildReport:
        """Render ``jobs`` (reusing identical earlier files), write the manifest, prune the rest."""
        entries: dict[str, dict[str, AudioEntry]] = {"sets": {}, "routines": {}}
        skipped: dict[str, str] = {}
        for job in jobs:
            try:
                entries[job.kind][job.key] = self._entry(job)
            except OverrunError as exc:
                skipped[job.key] = str(exc)
        manifest = AudioManifest(
            locale=self.catalog.locale,
            backend=self.backend.name,
            voice=self.backend.voice_id,
            lead_ms=LEAD_MS,
            sets=entries["sets"],
            routines=entries["routines"],
            skipped=skipped,
        )
        text = json.dumps(manifest.to_json(), indent=1) + "\n"
        atomic_write(self.out_dir / MANIFEST_NAME, text.encode())
        self._prune(manifest)
        return BuildReport(
            manifest,
            encoded=self._encoded,
            reused=self._reused,
            clips_synthesised=self.clips.misses,
            clip_hits=self.clips.hits,
            skipped=skipped,
        )

    def _entry(self, job: Job) -> AudioEntry:
        parts = []
        for index, plan in enumerate(job.plans):
            suffix = f".p{index + 1}" if len(job.plans) > 1 else ""
            parts.append(self._file(f"{job.kind}/{job.key}{suffix}", plan, job.kind == "sets"))
        lead = LEAD_MS
        chapters = tuple(Chapter(exercise_id, lead + ms) for exercise_id, ms in job.chapters)
        return AudioEntry(tuple(parts), chapters)

    def _digest(self, plan: Plan) -> str:
        identity = [
            RENDER_FORMAT,
            self.backend.name,
            self.backend.voice_id,
            self.catalog.locale,
            self.tick,
            LEAD_MS,
            plan.duration_ms,
            [(cue.start_ms, cue.text) for cue in plan.cues],
        ]
        return hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:16]

    def _file(self, stem: str, plan: Plan, for_ssml: bool) -> AudioFile:
        name = f"{stem}.{self._digest(plan)}.mp3"
        path = self.out_dir / name
        if path.is_file():
            data = path.read_bytes()
            self._reused += 1
        else:
            data = self.renderer.render(plan).mp3
            atomic_write(path, data)
            self._encoded += 1
        duration_ms = _checked_duration_ms(name, data, ALEXA_MAX_AUDIO_MS if for_ssml else None)
        return AudioFile(
            file=name,
            sha256=hashlib.sha256(data).hexdigest(),
            duration_ms=duration_ms,
            cues_ms=tuple(LEAD_MS + cue.start_ms for cue in plan.cues),
        )

    def _prune(self, manifest: AudioManifest) -> None:
        """Remove MP3s of earlier builds that the new manifest no longer names."""
        keep = {part.file for part in manifest.files()}
        for folder in ("sets", "routines"):
            for path in (self.out_dir / folder).glob("*.mp3"):
                if path.relative_to(self.out_dir).as_posix() not in keep:
                    path.unlink()


def _checked_duration_ms(name: str, data: bytes, max_ms: int | None) -> int:
    try:
        summary = summarize(data)
    except Mp3FormatError as exc:
        raise BuildError(f"{name}: {exc}") from exc
    if (
        summary.bitrates_kbps != {BITRATE_KBPS}
        or summary.sample_rates != {SAMPLE_RATE}
        or summary.channels != {1}
    ):
        raise BuildError(f"{name}: not constant {BITRATE_KBPS} kbps, {SAMPLE_RATE} Hz mono")
    duration_ms = round(summary.duration_ms)
    if max_ms is not None and duration_ms > max_ms:
        raise BuildError(f"{name}: {duration_ms} ms is over Alexa's {max_ms} ms")
    return duration_ms
