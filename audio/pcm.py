"""PCM at Alexa's rate: decoding clips, trimming their silence, a soft tick, MP3 encoding.

All audio inside the renderer is 16-bit signed mono at 24000 Hz, held in
``array('h')``; miniaudio decodes (and resamples) whatever a backend returns,
lameenc encodes the result, so no ffmpeg is needed.
"""

from __future__ import annotations

import math
from array import array

SAMPLE_RATE = 24_000
SAMPLES_PER_MS = SAMPLE_RATE // 1000
BITRATE_KBPS = 48
# A sample this loud (about -40 dBFS) counts as sound: the onset of a spoken cue.
ONSET_THRESHOLD = 330
# LAME delays its output by 576 samples, and an MP3 decoder's synthesis filterbank
# by 528 + 1 more; a plain (non-gapless) decoder therefore plays input sample n at
# n + 1105. The renderer shifts its PCM earlier by this much.
CODEC_DELAY_SAMPLES = 576 + 529


def decode(data: bytes) -> array[int]:
    """Decode MP3/WAV/FLAC/Vorbis bytes to mono 16-bit PCM at :data:`SAMPLE_RATE`."""
    import miniaudio

    decoded = miniaudio.decode(
        bytes(data),
        output_format=miniaudio.SampleFormat.SIGNED16,
        nchannels=1,
        sample_rate=SAMPLE_RATE,
    )
    return array("h", decoded.samples)


def first_onset(
    samples: array[int], start: int = 0, threshold: int = ONSET_THRESHOLD
) -> int | None:
    """Index of the first sample at or after ``start`` louder than ``threshold``."""
    for index in range(start, len(samples)):
        if abs(samples[index]) > threshold:
            return index
    return None


def trim_silence(samples: array[int], threshold: int = ONSET_THRESHOLD) -> array[int]:
    """Cut leading and trailing near-silence, so a clip's first sample is its onset."""
    start = first_onset(samples, threshold=threshold)
    if start is None:
        return array("h")
    end = len(samples)
    while end > start and abs(samples[end - 1]) <= threshold:
        end -= 1
    return samples[start:end]


def soft_tick(
    duration_ms: int = 30, frequency_hz: float = 1000.0, level: float = 0.06
) -> array[int]:
    """A short, quiet sine blip with a Hann envelope (no click at its edges)."""
    count = duration_ms * SAMPLES_PER_MS
    peak = level * 32767
    return array(
        "h",
        (
            round(
                peak
                * math.sin(2 * math.pi * frequency_hz * n / SAMPLE_RATE)
                * math.sin(math.pi * n / (count - 1)) ** 2
            )
            for n in range(count)
        ),
    )


def encode_mp3(samples: array[int]) -> bytes:
    """MPEG-2 Layer III, constant 48 kbps, 24000 Hz mono: the format Alexa's <audio> plays."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_out_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(2)  # 2 = near-best quality; speed is no concern at 24 kHz mono
    return bytes(encoder.encode(samples.tobytes()) + encoder.flush())
