"""The real gTTS code path against a local stand-in for Google's TTS endpoint.

The stand-in answers like translate.google.com's batchexecute RPC: a ")]}'"
preamble and a line holding the MP3 (here a tone, one per word, encoded like
Google's at 32 kbps) in base64. Nothing leaves the machine.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
from array import array
from pathlib import Path

import lameenc
import pytest
import requests
import responses

from audio.analysis import cue_onsets_ms, largest_error_ms
from audio.cache import ClipCache
from audio.gtts_backend import GttsBackend
from audio.mp3frames import summarize
from audio.pcm import decode
from audio.render import Layout, Renderer
from audio.tts import SynthesisError
from skill.routines.pacing import Cue, CueKind
from tests.audio.tones import tone_wav

ENDPOINT = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"


def google_like_mp3(words: int) -> bytes:
    """What Google sends: MPEG-2 Layer III, 24 kHz mono, 32 kbps."""
    pcm = decode(tone_wav(words * 250, rate=24000, leading_ms=60))
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32)
    encoder.set_in_sample_rate(24000)
    encoder.set_channels(1)
    return bytes(encoder.encode(array("h", pcm).tobytes()) + encoder.flush())


def spoken_text(body: str) -> tuple[str, str]:
    """The (text, language) a gTTS request asks for, read from its f.req form field."""
    rpc = json.loads(urllib.parse.unquote(body.removeprefix("f.req=").rstrip("&")))
    text, lang = json.loads(rpc[0][0][1])[:2]
    return text, lang


def batchexecute_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    text, _lang = spoken_text(str(request.body))
    audio = base64.b64encode(google_like_mp3(len(text.split()))).decode()
    reply = [["wrb.fr", "jQ1olc", json.dumps([audio]), None, None, None, "generic"]]
    line = json.dumps(reply, separators=(",", ":"))
    return 200, {}, f')]}}\'\n\n{len(line)}\n{line}\n25\n[["e",4,null,null,140]]\n'


class FakeTime:
    """Records sleeps instead of sleeping; its clock advances only by them."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def backend(fake: FakeTime) -> GttsBackend:
    return GttsBackend("en-US", timeout_s=7.5, sleep=fake.sleep, clock=fake.clock)


@responses.activate
def test_what_gtts_returns_is_decoded_reencoded_and_placed_on_time(tmp_path: Path) -> None:
    responses.add_callback(responses.POST, ENDPOINT, callback=batchexecute_reply)
    cache = ClipCache(tmp_path, backend(FakeTime()), "en-US")
    renderer = Renderer(cache.clip)
    layout = Layout(
        (
            Cue(0, "Tilt your pelvis back.", CueKind.PHASE),
            Cue(3000, "Hold.", CueKind.PHASE),
            Cue(5000, "And release.", CueKind.PHASE),
        ),
        7500,
    )
    track = renderer.render(layout)
    sent = [spoken_text(str(call.request.body)) for call in responses.calls]
    assert sent == [(c.text, "en") for c in layout.cues]
    assert all(call.request.req_kwargs["timeout"] == 7.5 for call in responses.calls)  # type: ignore[union-attr]
    summary = summarize(track.mp3)  # re-encoded from Google's 32 kbps to Alexa's 48
    assert summary.bitrates_kbps == {48} and summary.sample_rates == {24000}
    onsets = cue_onsets_ms(track.mp3, track.cues_ms, renderer.placed(layout))
    # A twice-encoded tone starting at full level smears a few ms of pre-echo ahead of
    # it; the goal for real speech is one MP3 frame (25 ms), measured in benchmarks/.
    assert largest_error_ms(track.cues_ms, onsets) < 10.0
    assert len(renderer.placed(layout)[1]) / 24 == pytest.approx(
        250, abs=2
    )  # Google's clip, trimmed


@responses.activate
def test_throttling_is_retried_with_backoff_honouring_retry_after() -> None:
    responses.add(responses.POST, ENDPOINT, status=429, headers={"Retry-After": "3"})
    responses.add(responses.POST, ENDPOINT, status=429)
    responses.add_callback(responses.POST, ENDPOINT, callback=batchexecute_reply)
    fake = FakeTime()
    clip = backend(fake).synthesize("Hold.")
    assert clip.extension == "mp3" and summarize(clip.data).frames > 0
    assert len(responses.calls) == 3
    assert fake.sleeps == [3.0, 4.0]  # Retry-After, then the second backoff step


@responses.activate
def test_persistent_throttling_gives_up_after_bounded_attempts_and_caches_nothing(
    tmp_path: Path,
) -> None:
    responses.add(responses.POST, ENDPOINT, status=429)
    fake = FakeTime()
    cache = ClipCache(tmp_path, backend(fake), "en-US")
    with pytest.raises(SynthesisError, match="after 4 attempts"):
        cache.clip("Hold.")
    assert len(responses.calls) == 4 and fake.sleeps == [2.0, 4.0, 8.0]
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@responses.activate
def test_a_refusal_is_not_retried() -> None:
    responses.add(responses.POST, ENDPOINT, status=403)
    with pytest.raises(SynthesisError, match="403"):
        backend(FakeTime()).synthesize("Hold.")
    assert len(responses.calls) == 1


@responses.activate
def test_a_dropped_connection_is_retried() -> None:
    responses.add(responses.POST, ENDPOINT, body=requests.ConnectionError("reset"))
    responses.add_callback(responses.POST, ENDPOINT, callback=batchexecute_reply)
    assert backend(FakeTime()).synthesize("Hold.").data
    assert len(responses.calls) == 2


@responses.activate
def test_a_reply_without_audio_is_an_error_not_an_empty_clip(tmp_path: Path) -> None:
    responses.add(responses.POST, ENDPOINT, body=')]}\'\n\n25\n[["e",4,null,null,140]]\n')
    cache = ClipCache(tmp_path, backend(FakeTime()), "en-US")
    with pytest.raises(SynthesisError, match="no audio"):
        cache.clip("Hold.")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@responses.activate
def test_requests_are_spaced_out_so_a_build_is_never_a_burst() -> None:
    responses.add_callback(responses.POST, ENDPOINT, callback=batchexecute_reply)
    fake = FakeTime()
    voice = backend(fake)
    voice.synthesize("One.")
    voice.synthesize("Two.")
    assert fake.sleeps == [pytest.approx(0.5)]
    assert re.fullmatch(r"gtts en translate\.google\.com", voice.voice_id)


@responses.activate
def test_a_google_clip_slightly_too_long_for_its_slot_is_compressed_not_skipped(
    tmp_path: Path,
) -> None:
    responses.add_callback(responses.POST, ENDPOINT, callback=batchexecute_reply)
    renderer = Renderer(ClipCache(tmp_path, backend(FakeTime()), "en-US").clip)
    # "Five." comes back 250 ms long; the count has 210 ms before the next cue
    layout = Layout((Cue(0, "Five.", CueKind.COUNT), Cue(210, "Hold.", CueKind.PHASE)), 1000)
    track = renderer.render(layout)
    assert renderer.stretched_phrases == {"Five."}
    onsets = cue_onsets_ms(track.mp3, track.cues_ms, renderer.placed(layout))
    assert largest_error_ms(track.cues_ms, onsets) < 10.0
