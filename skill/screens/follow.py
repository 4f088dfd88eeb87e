"""When an answer's generated audio starts: the lead-in the screen waits before following.

The words before the set's ``<audio>`` are said by Alexa's own voice, whose pace we
do not control, so their length is estimated with the pacing's own conservative
estimate (:func:`skill.routines.pacing.estimated_speech_ms`) plus the pauses written
in the SSML. From the audio's start on, every change is on the MP3's own millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import unescape

from skill.routines.pacing import estimated_speech_ms

BREAK = re.compile(r'<break time="(\d+)ms"/>')


def lead_in_ms(parts: Sequence[str]) -> int | None:
    """Estimated ms before the first ``<audio>`` part of an SSML answer; None without one."""
    total = 0
    for part in parts:
        if part.startswith("<audio"):
            return total
        pause = BREAK.fullmatch(part)
        total += int(pause.group(1)) if pause else estimated_speech_ms(unescape(part))
    return None
