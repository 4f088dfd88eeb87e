"""Content-addressed phrase clips: a rebuild with nothing changed synthesises nothing.

A clip's name is the hash of everything that shapes its sound (backend, voice,
locale, text). Files are written to a temporary name and renamed only once
complete, so a failed or interrupted synthesis never leaves a broken clip behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from audio.tts import Clip, TtsBackend

# Bump when the way clips are stored changes, so old entries are never misread.
CACHE_FORMAT = 1


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once: readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


@dataclass
class ClipCache:
    """Clips of one backend and locale, kept under ``root``."""

    root: Path
    backend: TtsBackend
    locale: str
    hits: int = 0
    misses: int = 0
    _memo: dict[str, Clip] = field(default_factory=dict, repr=False)

    def key(self, text: str, speed: float = 1.0) -> str:
        identity = [CACHE_FORMAT, self.backend.name, self.backend.voice_id, self.locale, text]
        if speed != 1.0:
            identity.append(round(speed, 3))
        return hashlib.sha256(json.dumps(identity).encode()).hexdigest()

    def clip(self, text: str, speed: float = 1.0) -> Clip:
        """The clip for ``text``, synthesised only if no stored clip has the same key."""
        key = self.key(text, speed)
        if key in self._memo:
            self.hits += 1
            return self._memo[key]
        for stored in self.root.glob(f"{key[:2]}/{key}.*"):
            if stored.suffix != ".tmp" and stored.stat().st_size > 0:
                self.hits += 1
                clip = Clip(stored.read_bytes(), stored.suffix.lstrip("."))
                self._memo[key] = clip
                return clip
        self.misses += 1
        clip = self.backend.synthesize(text, speed)
        atomic_write(self.root / key[:2] / f"{key}.{clip.extension}", clip.data)
        self._memo[key] = clip
        return clip
