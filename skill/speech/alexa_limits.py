"""Alexa's limits on one response, stated once (DESIGN.md section 5).

Every renderer and check reads them from here: the SSML builder and validator,
the catalog (a guided set must fit one response's audio), the audio build and
the manifest guard. Alexa answers a response that breaks one with silence.
"""

from __future__ import annotations

# At most this much <audio> (all tags together) in one response.
MAX_AUDIO_MS = 240_000
# At most this many <audio> tags in one response.
MAX_AUDIO_TAGS = 5
# One <break> lasts at most this long; a longer pause is a chain of breaks.
MAX_BREAK_MS = 10_000
# The output speech (the whole SSML text) must stay under this many characters.
MAX_SPEECH_CHARS = 8_000
# The whole response JSON must stay under this many bytes.
MAX_RESPONSE_BYTES = 24 * 1024
