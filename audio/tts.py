"""The small interface every text-to-speech backend implements.

A backend turns one phrase into encoded audio (MP3 or WAV bytes); the renderer
decodes whatever it gets with miniaudio, so backends never deal with PCM layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class SynthesisError(RuntimeError):
    """A phrase could not be synthesised (network, throttling, bad reply, engine error)."""


@dataclass(frozen=True)
class Clip:
    """Encoded audio of one phrase; ``extension`` names its container ("mp3", "wav")."""

    data: bytes
    extension: str


class TtsBackend(Protocol):
    name: str
    # How much faster than normal this backend can speak a phrase that would not fit
    # its slot (1.0: it cannot). See :meth:`audio.render.Renderer.speech`.
    max_speed: float

    @property
    def voice_id(self) -> str:
        """All that shapes the sound (engine version, voice, rate): part of the cache key."""
        ...

    def synthesize(self, text: str, speed: float = 1.0) -> Clip:
        """Speak ``text`` (``speed`` times the normal rate, at most ``max_speed``).

        Raises :class:`SynthesisError`; never returns empty audio.
        """
        ...
