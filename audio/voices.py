"""The voice of each skill locale, for both text-to-speech backends, in one table.

gTTS speaks a language with the accent of the Google host it asks (``tld``); eSpeak NG
(offline) has its own voices, and where it has none for a market (Australian, Indian,
Canadian English) the nearest one stands in: its British voice is named "en" ("en-gb"
is a language it lists, but espeak_SetVoiceByName refuses it). The table is the audio side of
:data:`skill.locales.SUPPORTED_LOCALES`; a contract test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Voice:
    gtts_lang: str
    gtts_tld: str
    espeak: str


VOICES = {
    "en-US": Voice("en", "com", "en-us"),
    "en-GB": Voice("en", "co.uk", "en"),
    "en-CA": Voice("en", "ca", "en-us"),
    "en-AU": Voice("en", "com.au", "en"),
    "en-IN": Voice("en", "co.in", "en"),
    # US Spanish: Google's Latin American accent of the US; eSpeak's Latin American voice.
    "es-US": Voice("es", "us", "es-419"),
    "de-DE": Voice("de", "de", "de"),
}


def voice_for(locale: str, backend: str) -> Voice:
    """The voice of ``locale``; raises ValueError naming the backend if there is none."""
    if locale not in VOICES:
        raise ValueError(f"no {backend} voice configured for {locale!r}")
    return VOICES[locale]
