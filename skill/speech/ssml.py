"""SSML building, validation against Alexa's limits, and SSML -> text for the terminal.

Alexa says nothing at all when SSML is malformed or breaks a limit, so every
response goes through :func:`validate_ssml` in the tests (DESIGN.md section 5).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html import escape

from skill.routines.pacing import Timeline, estimated_speech_ms
from skill.speech.alexa_limits import MAX_AUDIO_TAGS, MAX_BREAK_MS, MAX_SPEECH_CHARS

ALLOWED_TAGS = {
    "speak", "break", "audio", "p", "s", "prosody", "emphasis", "say-as", "sub",
    "w", "phoneme", "lang", "voice",
}  # fmt: skip
# A pause shorter than this between cues is not worth a tag of its own.
MIN_BREAK_MS = 100


@dataclass
class Speech:
    """An SSML document built part by part; text is escaped, pauses are chained."""

    parts: list[str] = field(default_factory=list)

    def say(self, *sentences: str) -> Speech:
        for sentence in sentences:
            if sentence:
                self.parts.append(escape(sentence, quote=False))
        return self

    def pause(self, ms: int) -> Speech:
        # Alexa caps one <break> (MAX_BREAK_MS), so a longer pause is a chain of breaks.
        while ms >= MIN_BREAK_MS:
            step = min(ms, MAX_BREAK_MS)
            self.parts.append(f'<break time="{step}ms"/>')
            ms -= step
        return self

    def audio(self, url: str) -> Speech:
        self.parts.append(f'<audio src="{escape(url)}"/>')
        return self

    def timeline(self, timeline: Timeline) -> Speech:
        """Speak each cue, then pause until the next cue's planned start."""
        ends = [c.start_ms for c in timeline.cues[1:]] + [timeline.duration_ms]
        for cue, next_start in zip(timeline.cues, ends, strict=True):
            self.say(cue.text)
            self.pause(next_start - cue.start_ms - estimated_speech_ms(cue.text))
        return self

    def ssml(self) -> str:
        return "<speak>" + " ".join(self.parts) + "</speak>"


def _break_ms(value: str) -> int | None:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)", value.strip())
    if not match:
        return None
    number = float(match.group(1))
    return round(number * 1000) if match.group(2) == "s" else round(number)


def validate_ssml(ssml: str) -> list[str]:
    """Every way ``ssml`` breaks Alexa's rules; an empty list means it is fine."""
    problems = []
    if len(ssml) >= MAX_SPEECH_CHARS:
        problems.append(f"{len(ssml)} characters, Alexa's limit is {MAX_SPEECH_CHARS}")
    try:
        root = ET.fromstring(ssml)
    except ET.ParseError as exc:
        return [*problems, f"not well-formed XML: {exc}"]
    if root.tag != "speak":
        problems.append(f"root element is <{root.tag}>, not <speak>")
    audio_tags = 0
    for element in root.iter():
        tag = element.tag
        if tag not in ALLOWED_TAGS:
            problems.append(f"unsupported tag <{tag}>")
        if tag == "break":
            ms = _break_ms(element.get("time", ""))
            if ms is None or ms > MAX_BREAK_MS:
                problems.append(f"break time {element.get('time')!r} is not 0-10s")
        if tag == "audio":
            audio_tags += 1
            if not (element.get("src") or "").startswith("https://"):
                problems.append("audio src must be an https URL")
    if audio_tags > MAX_AUDIO_TAGS:
        problems.append(f"{audio_tags} audio tags, Alexa plays at most {MAX_AUDIO_TAGS}")
    return problems


def ssml_to_text(ssml: str) -> str:
    """What a listener hears, as text: pauses of a second or more shown as (pause 3s)."""
    root = ET.fromstring(ssml)
    pieces: list[str] = []
    pause_ms = 0

    def flush_pause() -> None:
        nonlocal pause_ms
        if pause_ms >= 1000:
            pieces.append(f"(pause {pause_ms / 1000:g}s)")
        pause_ms = 0

    def walk(element: ET.Element) -> None:
        nonlocal pause_ms
        if element.tag == "break":
            pause_ms += _break_ms(element.get("time", "")) or 0
        elif element.tag == "audio":
            flush_pause()
            pieces.append(f"[audio {element.get('src')}]")
        if element.text and element.text.strip():
            flush_pause()
            pieces.append(element.text.strip())
        for child in element:
            walk(child)
            if child.tail and child.tail.strip():
                flush_pause()
                pieces.append(child.tail.strip())

    walk(root)
    flush_pause()
    return " ".join(pieces)
