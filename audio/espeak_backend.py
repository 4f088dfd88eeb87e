"""Offline voice: eSpeak NG as shipped by the espeakng-loader wheel, driven through ctypes.

The wheel carries libespeak-ng and its data, so a fresh machine needs nothing from
the system. The C library keeps one global engine per process: it is set up once
and every call runs under a lock.
"""

from __future__ import annotations

import ctypes
import io
import threading
import wave

from audio.tts import Clip, SynthesisError
from audio.voices import voice_for

# espeak_AUDIO_OUTPUT: deliver samples to our callback while espeak_Synth runs.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_ESPEAK_CHARS_UTF8 = 1
_ESPEAK_RATE = 1  # espeak_PARAMETER
# Slower than eSpeak's 175 words a minute: a calm coach, and still inside the
# time the pacing's estimate (skill.routines.pacing.estimated_speech_ms) leaves
# for every cue of the catalog.
DEFAULT_RATE_WPM = 160

_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Engine:
    """The process-wide libespeak-ng instance."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_Info.restype = ctypes.c_char_p
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        data_path = espeakng_loader.get_data_path().encode()
        self.sample_rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, 0)
        if self.sample_rate <= 0:
            raise SynthesisError("eSpeak NG failed to initialise")
        self.version = (self.lib.espeak_Info(None) or b"unknown").decode()
        self._chunks: list[bytes] = []
        # Kept on self: ctypes must not garbage-collect a callback the library holds.
        self._callback = _SynthCallback(self._collect)
        self.lib.espeak_SetSynthCallback(self._callback)
        self.lock = threading.Lock()

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: int) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0  # 0 = keep synthesising

    def speak(self, text: str, voice: str, rate_wpm: int) -> bytes:
        with self.lock:
            if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise SynthesisError(f"eSpeak NG has no voice {voice!r}")
            self.lib.espeak_SetParameter(_ESPEAK_RATE, rate_wpm, 0)
            self._chunks = []
            encoded = text.encode("utf-8")
            status = self.lib.espeak_Synth(
                encoded, len(encoded) + 1, 0, _POS_CHARACTER, 0, _ESPEAK_CHARS_UTF8, None, None
            )
            if status != 0 or self.lib.espeak_Synchronize() != 0:
                raise SynthesisError(f"eSpeak NG failed on {text!r} (status {status})")
            return b"".join(self._chunks)


_engine: _Engine | None = None
_engine_lock = threading.Lock()


def _shared_engine() -> _Engine:
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = _Engine()
        return _engine


class EspeakBackend:
    """Speaks with eSpeak NG; returns 16-bit mono WAV at the engine's rate (22050 Hz)."""

    name = "espeak"
    max_speed = 1.6

    def __init__(self, locale: str, rate_wpm: int = DEFAULT_RATE_WPM) -> None:
        self.voice = voice_for(locale, "eSpeak NG").espeak
        self.rate_wpm = rate_wpm
        self._engine = _shared_engine()

    @property
    def voice_id(self) -> str:
        return f"espeak-ng {self._engine.version} {self.voice} {self.rate_wpm}wpm"

    def synthesize(self, text: str, speed: float = 1.0) -> Clip:
        if not 1.0 <= speed <= self.max_speed:
            raise ValueError(f"speed {speed} is outside 1.0 to {self.max_speed}")
        samples = self._engine.speak(text, self.voice, round(self.rate_wpm * speed))
        if not samples:
            raise SynthesisError(f"eSpeak NG produced no audio for {text!r}")
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(self._engine.sample_rate)
            wav.writeframes(samples)
        return Clip(buffer.getvalue(), "wav")
