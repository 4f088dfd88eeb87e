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
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from audio.cache import ClipCache, atomic_write
from audio.mp3frames import Mp3FormatError, summarize
from audio.pcm import BITRATE_KBPS, SAMPLE_RATE, encode_mp3_bytes
from audio.render import LEAD_MS, Layout, OverrunError, Renderer, split
from audio.routine_track import routine_layout
from audio.tts import TtsBackend
from skill.routines.catalog import TEMPO_ORDER, Catalog
from skill.routines.pacing import compile_set
from skill.speech.alexa_limits import MAX_AUDIO_MS
from skill.speech.audio_manifest import AudioEntry, AudioFile, AudioManifest, Chapter

# Bump when the renderer's output changes for the same inputs, to re-render everything.
RENDER_FORMAT = 1
MANIFEST_NAME = "manifest.json"
CLIP_DIR = ".clips"


class BuildError(RuntimeError):
    """A produced file breaks Alexa's format rules: a bug, never shipped."""


@dataclass(frozen=True)
class Job:
    """One manifest entry to produce: a set variant or a routine track."""

    kind: str  # "sets" or "routines"
    key: str
    layouts: tuple[Layout, ...]
    chapters: tuple[tuple[str, int], ...] = ()


def set_jobs(catalog: Catalog, exercise_ids: Iterable[str] | None = None) -> list[Job]:
    """Every variant the skill can ask for: each exercise, tempo and 1..max_reps reps,
    with each encouragement of the rotation, since how many sets the session has
    heard before picks it (a routine's step or a single exercise, any may hear any);
    variants that sound the same (sets too short for one) are built once."""
    jobs: dict[str, Job] = {}
    for exercise_id in exercise_ids or catalog.exercises:
        exercise = catalog.exercise(exercise_id)
        for tempo in TEMPO_ORDER:
            for reps in range(1, exercise.max_reps + 1):
                for place in range(max(1, len(exercise.cues.encouragements))):
                    timeline = compile_set(exercise, reps, tempo, place)
                    layouts = tuple(split(Layout.of(timeline)))
                    jobs.setdefault(timeline.key, Job("sets", timeline.key, layouts))
    return list(jobs.values())


def routine_jobs(catalog: Catalog, routine_ids: Iterable[str] | None = None) -> list[Job]:
    """One full-routine track each; AudioPlayer streams have no 240 s limit, so no split."""
    jobs = []
    for routine_id in routine_ids or catalog.routines:
        built = routine_layout(catalog, catalog.routine(routine_id))
        jobs.append(Job("routines", routine_id, (built.layout,), built.chapters))
    return jobs


@dataclass
class BuildReport:
    manifest: AudioManifest
    encoded: int = 0
    reused: int = 0
    clips_synthesised: int = 0
    clip_hits: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    # Phrases compressed in time (pitch kept) to fit a slot: worth a listen.
    stretched: tuple[str, ...] = ()
    # Phrases said faster than the voice's own rate (asked faster or compressed):
    # the pacing's estimate fell short of this voice.
    hurried: tuple[str, ...] = ()

    @property
    def audio_ms(self) -> int:
        return sum(part.duration_ms for part in self.manifest.files())


@dataclass(frozen=True)
class _Part:
    """One file of a job on its way: reused bytes, or an encoding under way."""

    name: str
    layout: Layout
    for_ssml: bool
    existing: bytes | None = None
    encoding: Future[bytes] | None = None


@contextmanager
def _encoder(workers: int) -> Iterator[Callable[[bytes], Future[bytes]]]:
    """Encode PCM to MP3 here (one worker) or on a pool of fresh processes."""
    if workers == 1:

        def encode_here(pcm: bytes) -> Future[bytes]:
            done: Future[bytes] = Future()
            done.set_result(encode_mp3_bytes(pcm))
            return done

        yield encode_here
        return
    # spawn: workers start clean, without the parent's TTS engine or threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield lambda pcm: pool.submit(encode_mp3_bytes, pcm)


class Builder:
    def __init__(
        self,
        out_dir: Path,
        backend: TtsBackend,
        catalog: Catalog,
        *,
        cache_dir: Path | None = None,
        tick: bool = False,
        workers: int = 1,
    ) -> None:
        self.out_dir = out_dir
        self.workers = max(1, workers)
        self.backend = backend
        self.catalog = catalog
        self.tick = tick
        self.clips = ClipCache(cache_dir or out_dir / CLIP_DIR, backend, catalog.locale)
        self.renderer = Renderer(self.clips.clip, max_speed=backend.max_speed, tick=tick)
        self._encoded = 0
        self._reused = 0

    def build(
        self, jobs: Iterable[Job], on_done: Callable[[Job], None] | None = None
    ) -> BuildReport:
        """Render ``jobs`` (reusing identical earlier files), write the manifest, prune the rest."""
        entries, skipped = self._render(jobs, on_done or (lambda job: None))
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
            stretched=tuple(sorted(self.renderer.stretched_phrases)),
            hurried=tuple(sorted(self.renderer.hurried_phrases)),
        )

    def _render(
        self, jobs: Iterable[Job], on_done: Callable[[Job], None]
    ) -> tuple[dict[str, dict[str, AudioEntry]], dict[str, str]]:
        """Entries by kind and key, and the skipped keys with their reasons.

        Clips are synthesised and laid out here, one after the other (polite to a
        TTS service); the MP3 encoding, the slow part, runs on ``workers`` processes.
        """
        entries: dict[str, dict[str, AudioEntry]] = {"sets": {}, "routines": {}}
        skipped: dict[str, str] = {}
        in_flight: deque[tuple[Job, list[_Part]]] = deque()

        def finish(job: Job, parts: list[_Part]) -> None:
            files = tuple(self._finish(part) for part in parts)
            chapters = tuple(Chapter(exercise_id, LEAD_MS + ms) for exercise_id, ms in job.chapters)
            entries[job.kind][job.key] = AudioEntry(files, chapters)
            on_done(job)

        with _encoder(self.workers) as encode:
            for job in jobs:
                try:
                    parts = [self._start(job, index, encode) for index in range(len(job.layouts))]
                except OverrunError as exc:
                    skipped[job.key] = str(exc)
                    on_done(job)
                    continue
                in_flight.append((job, parts))
                # Bounded: each waiting job holds its PCM in memory.
                while len(in_flight) > 2 * self.workers:
                    finish(*in_flight.popleft())
            while in_flight:
                finish(*in_flight.popleft())
        return entries, skipped

    def _start(self, job: Job, index: int, encode: Callable[[bytes], Future[bytes]]) -> _Part:
        """Reuse the part's file if an identical one exists, else lay it out and encode it."""
        layout = job.layouts[index]
        suffix = f".p{index + 1}" if len(job.layouts) > 1 else ""
        name = f"{job.kind}/{job.key}{suffix}.{self._digest(layout)}.mp3"
        path = self.out_dir / name
        if path.is_file():
            return _Part(name, layout, job.kind == "sets", existing=path.read_bytes())
        pcm = self.renderer.pcm(layout)  # raises OverrunError
        return _Part(name, layout, job.kind == "sets", encoding=encode(pcm.tobytes()))

    def _finish(self, part: _Part) -> AudioFile:
        if part.existing is not None:
            data = part.existing
            self._reused += 1
        else:
            assert part.encoding is not None
            data = part.encoding.result()
            atomic_write(self.out_dir / part.name, data)
            self._encoded += 1
        max_ms = MAX_AUDIO_MS if part.for_ssml else None
        return AudioFile(
            file=part.name,
            sha256=hashlib.sha256(data).hexdigest(),
            duration_ms=_checked_duration_ms(part.name, data, max_ms),
            cues_ms=tuple(LEAD_MS + cue.start_ms for cue in part.layout.cues),
        )

    def _digest(self, layout: Layout) -> str:
        identity = [
            RENDER_FORMAT,
            self.backend.name,
            self.backend.voice_id,
            self.catalog.locale,
            self.tick,
            LEAD_MS,
            layout.duration_ms,
            [(cue.start_ms, cue.text) for cue in layout.cues],
        ]
        return hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:16]

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
