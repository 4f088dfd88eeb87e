"""The production voice: Google Translate's TTS through gTTS, polite and bounded.

gTTS alone waits forever by default and answers a burst of requests with HTTP 429,
so every request gets a timeout, requests are spaced out, and throttling or server
errors are retried a bounded number of times with exponential backoff (honouring
Retry-After). Anything else fails at once with the phrase named.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from audio.tts import Clip, SynthesisError
from audio.voices import voice_for

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class GttsBackend:
    """Speaks through gTTS; returns MP3 (about 32 kbps, 24 kHz), re-encoded later."""

    name = "gtts"
    max_speed = 1.0  # gTTS speaks at one rate only ("slow" is slower, never faster)

    def __init__(
        self,
        locale: str,
        *,
        timeout_s: float = 10.0,
        max_attempts: int = 4,
        backoff_s: float = 2.0,
        max_backoff_s: float = 30.0,
        min_interval_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        voice = voice_for(locale, "gTTS")
        self.lang, self.tld = voice.gtts_lang, voice.gtts_tld
        self.timeout_s = timeout_s
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.min_interval_s = min_interval_s
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None

    @property
    def voice_id(self) -> str:
        return f"gtts {self.lang} translate.google.{self.tld}"

    def synthesize(self, text: str, speed: float = 1.0) -> Clip:
        from gtts import gTTS, gTTSError

        if speed != 1.0:
            raise ValueError("gTTS speaks at its normal speed only")
        for attempt in range(1, self.max_attempts + 1):
            self._space_out()
            buffer = io.BytesIO()
            try:
                # lang_check=False: checking the language list is one more web request.
                tts = gTTS(text, lang=self.lang, tld=self.tld, lang_check=False)
                tts.timeout = self.timeout_s
                tts.write_to_fp(buffer)
            except gTTSError as exc:
                status = exc.rsp.status_code if exc.rsp is not None else None
                # No response at all (connection refused, timeout) is worth a retry too.
                if status is not None and status not in RETRYABLE_STATUS:
                    raise SynthesisError(f"gTTS failed on {text!r}: {exc}") from exc
                if attempt == self.max_attempts:
                    raise SynthesisError(
                        f"gTTS gave up on {text!r} after {attempt} attempts: {exc}"
                    ) from exc
                self._sleep(self._delay(attempt, exc))
                continue
            data = buffer.getvalue()
            if not data:
                raise SynthesisError(f"gTTS returned no audio for {text!r}")
            return Clip(data, "mp3")
        raise AssertionError("unreachable: the loop returns or raises")

    def _space_out(self) -> None:
        """Keep at least ``min_interval_s`` between requests, so a build is never a burst."""
        now = self._clock()
        if self._last_request is not None:
            wait = self._last_request + self.min_interval_s - now
            if wait > 0:
                self._sleep(wait)
                now += wait
        self._last_request = now

    def _delay(self, attempt: int, exc: Exception) -> float:
        response = getattr(exc, "rsp", None)
        retry_after = response.headers.get("Retry-After") if response is not None else None
        if retry_after is not None and retry_after.strip().isdigit():
            return min(float(retry_after), self.max_backoff_s)
        return float(min(self.backoff_s * 2 ** (attempt - 1), self.max_backoff_s))
