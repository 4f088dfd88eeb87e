"""A synthetic voice: every phrase is a tone of known length, so timing is exactly measurable."""

from __future__ import annotations

import io
import math
import wave

from audio.tts import Clip, SynthesisError

MS_PER_WORD = 200
LEADING_SILENCE_MS = 40


def tone_wav(length_ms: float, rate: int = 22050, leading_ms: int = LEADING_SILENCE_MS) -> bytes:
    """A 440 Hz tone after ``leading_ms`` of silence, as 16-bit mono WAV."""
    silence = [0] * (leading_ms * rate // 1000)
    tone = [
        round(8000 * math.sin(2 * math.pi * 440 * n / rate))
        for n in range(int(length_ms * rate / 1000))
    ]
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(
            b"".join(s.to_bytes(2, "little", signed=True) for s in silence + tone + silence)
        )
    return buffer.getvalue()


class ToneBackend:
    """A voice whose every phrase is a tone of ``MS_PER_WORD`` per word (exactly measurable)."""

    name = "tone"

    def __init__(
        self, max_speed: float = 1.0, fail_on: str | None = None, ms_per_word: int = MS_PER_WORD
    ) -> None:
        self.max_speed = max_speed
        self.ms_per_word = ms_per_word
        self.fail_on = fail_on
        self.calls: list[tuple[str, float]] = []

    @property
    def voice_id(self) -> str:
        return f"tone {self.ms_per_word}ms/word"

    def synthesize(self, text: str, speed: float = 1.0) -> Clip:
        self.calls.append((text, speed))
        if text == self.fail_on:
            raise SynthesisError(f"cannot say {text!r}")
        return Clip(tone_wav(len(text.split()) * self.ms_per_word / speed), "wav")
