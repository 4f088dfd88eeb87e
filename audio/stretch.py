"""Speak a phrase faster without raising its pitch: WSOLA time-scale compression.

For voices that cannot be asked to speak faster (gTTS), a phrase a little too
long for its slot is compressed in time instead. WSOLA (waveform-similarity
overlap-add) copies short windows of the clip, each shifted by up to
``TOLERANCE`` to best continue the waveform already written, so the pitch and
timbre stay the voice's own. It is used only up to modest factors (see
``audio.render.MAX_STRETCH``), where it is hard to hear.
"""

from __future__ import annotations

from array import array

import numpy as np

from audio.pcm import SAMPLES_PER_MS

FRAME = 20 * SAMPLES_PER_MS  # 20 ms windows: a few pitch periods of a voice
HOP = FRAME // 2
TOLERANCE = 5 * SAMPLES_PER_MS


def compress(samples: array[int], factor: float) -> array[int]:
    """``samples`` played ``factor`` times faster (factor >= 1), pitch unchanged."""
    if factor <= 1.0 or len(samples) < 2 * FRAME:
        return array("h", samples)
    source = np.asarray(samples, dtype=np.float64)
    padded = np.concatenate([np.zeros(TOLERANCE), source, np.zeros(FRAME + TOLERANCE)])
    window = np.hanning(FRAME)
    out_length = int(len(source) / factor)
    frames = out_length // HOP + 1
    output = np.zeros(frames * HOP + FRAME)
    weight = np.zeros_like(output)
    previous = TOLERANCE  # padded index of the last copied window
    for k in range(frames):
        nominal = TOLERANCE + round(k * HOP * factor)
        if k == 0:
            start = nominal
        else:
            # The window that best continues the previous one's natural next samples.
            target = padded[previous + HOP : previous + HOP + FRAME]
            low = max(nominal - TOLERANCE, 0)
            region = padded[low : nominal + TOLERANCE + FRAME]
            scores = np.correlate(region, target, mode="valid")
            start = low + int(np.argmax(scores))
        output[k * HOP : k * HOP + FRAME] += padded[start : start + FRAME] * window
        weight[k * HOP : k * HOP + FRAME] += window
        previous = start
    result = output[:out_length] / np.maximum(weight[:out_length], 1e-3)
    return array("h", np.clip(np.round(result), -32768, 32767).astype(np.int16).tobytes())
