"""Walk every frame of an MP3 and report its format, to check files against Alexa's rules.

mutagen reads only the first frame; a file that switches bitrate or rate halfway
would pass it, so the build and the tests check every frame with this walker.
"""

from __future__ import annotations

from dataclasses import dataclass

# MPEG-2 (LSF) Layer III tables; index 0 ("free") and 15 (invalid) are rejected.
_MPEG2_L3_KBPS = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
_MPEG2_RATES = (22050, 24000, 16000)
SAMPLES_PER_FRAME = 576  # MPEG-2 Layer III


class Mp3FormatError(ValueError):
    """The bytes are not a clean sequence of MPEG-2 Layer III frames."""


@dataclass(frozen=True)
class Mp3Summary:
    frames: int
    bitrates_kbps: frozenset[int]
    sample_rates: frozenset[int]
    channels: frozenset[int]

    @property
    def duration_ms(self) -> float:
        (rate,) = self.sample_rates
        return self.frames * SAMPLES_PER_FRAME * 1000 / rate


def summarize(data: bytes) -> Mp3Summary:
    """Parse every frame header; raises :class:`Mp3FormatError` on anything but MPEG-2 Layer III."""
    position, frames = 0, 0
    bitrates: set[int] = set()
    rates: set[int] = set()
    channels: set[int] = set()
    while position < len(data):
        header = data[position : position + 4]
        if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
            raise Mp3FormatError(f"no frame sync at byte {position}")
        version, layer = (header[1] >> 3) & 0b11, (header[1] >> 1) & 0b11
        if version != 0b10 or layer != 0b01:
            raise Mp3FormatError(f"frame {frames} is not MPEG-2 Layer III")
        bitrate_index, rate_index = header[2] >> 4, (header[2] >> 2) & 0b11
        if not 0 < bitrate_index < len(_MPEG2_L3_KBPS) or rate_index == 3:
            raise Mp3FormatError(f"frame {frames} has an invalid bitrate or sample rate")
        kbps, rate = _MPEG2_L3_KBPS[bitrate_index], _MPEG2_RATES[rate_index]
        padding = (header[2] >> 1) & 1
        bitrates.add(kbps)
        rates.add(rate)
        channels.add(1 if header[3] >> 6 == 0b11 else 2)
        position += 72_000 * kbps // rate + padding
        frames += 1
    if frames == 0:
        raise Mp3FormatError("no MP3 frames")
    return Mp3Summary(frames, frozenset(bitrates), frozenset(rates), frozenset(channels))
