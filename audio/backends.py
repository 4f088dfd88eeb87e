"""Choosing a text-to-speech backend by name: apart from :mod:`audio.tts`, the
interface the backends import, so no backend module imports its own factory."""

from __future__ import annotations

from audio.tts import TtsBackend

BACKENDS = ("espeak", "gtts")


def make_backend(name: str, locale: str) -> TtsBackend:
    """The backend called ``name`` ("gtts" or "espeak") speaking ``locale`` (e.g. "en-US")."""
    if name == "gtts":
        from audio.gtts_backend import GttsBackend

        return GttsBackend(locale)
    if name == "espeak":
        from audio.espeak_backend import EspeakBackend

        return EspeakBackend(locale)
    raise ValueError(f"unknown TTS backend {name!r}; choose one of {', '.join(BACKENDS)}")
