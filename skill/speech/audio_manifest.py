"""The generated-audio manifest: which MP3 plays which guided set or routine.

``audio build`` writes it (``audio.manifest``), the skill reads it here, with no
audio libraries: a small, validated JSON file mapping a variant key such as
"pelvic_tilts-normal-8" (``Timeline.key``) or a routine id to its files, their
durations and where each cue lands. A key missing from the manifest means "no
audio for this one": the caller falls back to the SSML-break rendering.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skill.speech.alexa_limits import MAX_AUDIO_MS

if TYPE_CHECKING:
    from skill.routines.pacing import Timeline
    from skill.settings import Settings

FORMAT_VERSION = 1
logger = logging.getLogger(__name__)


class ManifestError(ValueError):
    """The manifest is missing, unreadable or malformed."""


@dataclass(frozen=True)
class AudioFile:
    """One MP3: its path below the base URL, content hash, length and cue times (ms)."""

    file: str
    sha256: str
    duration_ms: int
    cues_ms: tuple[int, ...]

    def url(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/{self.file}"


@dataclass(frozen=True)
class Chapter:
    """Where an exercise starts inside a full-routine track."""

    exercise_id: str
    start_ms: int


@dataclass(frozen=True)
class AudioEntry:
    """A set (one or more parts, played in order) or a routine track with chapters."""

    parts: tuple[AudioFile, ...]
    chapters: tuple[Chapter, ...] = ()

    @property
    def duration_ms(self) -> int:
        return sum(part.duration_ms for part in self.parts)


@dataclass(frozen=True)
class AudioManifest:
    locale: str
    backend: str
    voice: str
    lead_ms: int
    sets: Mapping[str, AudioEntry]
    routines: Mapping[str, AudioEntry]
    skipped: Mapping[str, str] = field(default_factory=dict)

    def files(self) -> list[AudioFile]:
        entries = [*self.sets.values(), *self.routines.values()]
        return [part for entry in entries for part in entry.parts]

    def to_json(self) -> dict[str, Any]:
        def entry(value: AudioEntry) -> dict[str, Any]:
            raw: dict[str, Any] = {
                "parts": [
                    {
                        "file": p.file,
                        "sha256": p.sha256,
                        "duration_ms": p.duration_ms,
                        "cues_ms": list(p.cues_ms),
                    }
                    for p in value.parts
                ]
            }
            if value.chapters:
                raw["chapters"] = [
                    {"exercise_id": c.exercise_id, "start_ms": c.start_ms} for c in value.chapters
                ]
            return raw

        return {
            "format_version": FORMAT_VERSION,
            "locale": self.locale,
            "backend": self.backend,
            "voice": self.voice,
            "lead_ms": self.lead_ms,
            "sets": {key: entry(value) for key, value in sorted(self.sets.items())},
            "routines": {key: entry(value) for key, value in sorted(self.routines.items())},
            "skipped": dict(sorted(self.skipped.items())),
        }

    @classmethod
    def from_json(cls, raw: Any) -> AudioManifest:
        """Parse and validate; raises :class:`ManifestError` naming the bad place."""
        try:
            if raw["format_version"] != FORMAT_VERSION:
                raise ManifestError(f"unsupported format_version {raw['format_version']!r}")
            return cls(
                locale=str(raw["locale"]),
                backend=str(raw["backend"]),
                voice=str(raw["voice"]),
                lead_ms=int(raw["lead_ms"]),
                sets={str(k): _entry(v) for k, v in raw["sets"].items()},
                routines={str(k): _entry(v) for k, v in raw["routines"].items()},
                skipped={str(k): str(v) for k, v in raw.get("skipped", {}).items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            if isinstance(exc, ManifestError):
                raise
            raise ManifestError(f"malformed audio manifest: {exc!r}") from exc


def _entry(raw: Any) -> AudioEntry:
    parts = tuple(
        AudioFile(
            file=_relative_path(part["file"]),
            sha256=str(part["sha256"]),
            duration_ms=int(part["duration_ms"]),
            cues_ms=tuple(int(ms) for ms in part["cues_ms"]),
        )
        for part in raw["parts"]
    )
    if not parts:
        raise ValueError("an entry needs at least one part")
    chapters = tuple(
        Chapter(str(c["exercise_id"]), int(c["start_ms"])) for c in raw.get("chapters", [])
    )
    return AudioEntry(parts, chapters)


def _relative_path(value: Any) -> str:
    """A file name below the base URL; never absolute, never climbing out of it."""
    path = str(value)
    if not path or path.startswith("/") or ".." in path.split("/") or "://" in path:
        raise ValueError(f"bad file path {path!r}")
    return path


def parse_manifest(text: str) -> AudioManifest:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"audio manifest is not JSON: {exc}") from exc
    return AudioManifest.from_json(raw)


@cache
def load_manifest(path: str) -> AudioManifest:
    """The manifest at ``path`` (AUDIO_MANIFEST), read once per process (per cold start)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ManifestError(f"cannot read audio manifest {path}: {exc}") from exc
    return parse_manifest(text)


class ManifestAudio:
    """Published set MP3s for :func:`skill.speech.guide.guided_set` (its ``AudioSource``).

    ``url_for`` answers ``None`` (so the caller speaks SSML breaks) unless the exact
    variant is published as one file that fits a response and whose cue times are
    the timeline's: a manifest built from an older catalog never plays audio that
    disagrees with the pacing the skill now plans.
    """

    def __init__(self, manifest: AudioManifest, base_url: str) -> None:
        if not base_url.startswith("https://"):
            raise ManifestError("AUDIO_BASE_URL must be an https:// URL (Alexa plays no other)")
        self.manifest = manifest
        self.base_url = base_url

    @property
    def locale(self) -> str:
        """The locale whose catalog the manifest's audio speaks."""
        return self.manifest.locale

    def url_for(self, timeline: Timeline) -> str | None:
        entry = self.manifest.sets.get(timeline.key)
        if entry is None or len(entry.parts) != 1:
            return None
        (part,) = entry.parts
        planned = tuple(self.manifest.lead_ms + cue.start_ms for cue in timeline.cues)
        if part.cues_ms != planned or part.duration_ms > MAX_AUDIO_MS:
            return None
        return part.url(self.base_url)

    def routine_track(self, routine_id: str) -> RoutineTrack | None:
        """The hands-free track of a routine, if published as one file."""
        return _routine_track(self.manifest, self.base_url, routine_id)

    def track_for_token(self, token: str | None) -> RoutineTrack | None:
        """The current track of the routine an AudioPlayer token names (None: not ours)."""
        if not token or not token.startswith(TOKEN_PREFIX):
            return None
        routine_id = token.removeprefix(TOKEN_PREFIX).split(":", 1)[0]
        return self.routine_track(routine_id)


TOKEN_PREFIX = "routine:"


@dataclass(frozen=True)
class RoutineTrack:
    """A full-routine MP3 for the AudioPlayer: its URL, stream token and chapters."""

    routine_id: str
    url: str
    token: str
    chapters: tuple[Chapter, ...]
    duration_ms: int

    def chapter_at(self, offset_ms: int) -> int:
        """Index of the exercise playing at ``offset_ms`` (its introduction included)."""
        index = 0
        for number, chapter in enumerate(self.chapters):
            if chapter.start_ms <= offset_ms:
                index = number
        return index

    def chapter_start_ms(self, index: int) -> int:
        return self.chapters[index].start_ms if self.chapters else 0


def _routine_track(manifest: AudioManifest, base_url: str, routine_id: str) -> RoutineTrack | None:
    entry = manifest.routines.get(routine_id)
    if entry is None or len(entry.parts) != 1:
        return None
    (part,) = entry.parts
    # The content hash in the token tells a stream of an older build from the current one.
    token = f"{TOKEN_PREFIX}{routine_id}:{part.sha256[:12]}"
    return RoutineTrack(routine_id, part.url(base_url), token, entry.chapters, part.duration_ms)


def audio_source(settings: Settings) -> ManifestAudio | None:
    """Generated audio when AUDIO_BASE_URL and AUDIO_MANIFEST are set and usable, else None.

    A broken configuration is logged and the skill speaks SSML instead: it never
    stops the skill from answering.
    """
    if not settings.audio_base_url or not settings.audio_manifest:
        return None
    try:
        return ManifestAudio(load_manifest(settings.audio_manifest), settings.audio_base_url)
    except ManifestError as exc:
        logger.warning("generated audio disabled: %s", exc)
        return None
