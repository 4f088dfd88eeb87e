"""What every answer to a generated envelope must be (DESIGN.md section 5), and log capture."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import ResponseEnvelope

from tests.conftest import check_response

# Requests Alexa lets a skill answer with speech; every other kind gets none.
SPOKEN_TO = {"LaunchRequest", "IntentRequest", "Connections.Response", "SessionResumedRequest"}
HANDS_FREE_PREFIXES = ("AudioPlayer.", "PlaybackController.")


def check_answer(event: dict[str, Any], answer: dict[str, Any]) -> None:
    """``answer`` is a valid Alexa response to ``event``: SSML, sizes, and who may speak."""
    assert isinstance(answer, dict) and answer.get("version") == "1.0", answer
    check_response(answer)
    parsed = DefaultSerializer().deserialize(json.dumps(answer), ResponseEnvelope)
    assert isinstance(parsed, ResponseEnvelope)
    body = answer["response"]
    request = event.get("request") if isinstance(event, dict) else None
    kind = request.get("type") if isinstance(request, dict) else None
    kind = kind if isinstance(kind, str) else None
    if kind not in SPOKEN_TO:
        assert "outputSpeech" not in body and "reprompt" not in body, (kind, body)
    if kind is not None and kind.startswith(HANDS_FREE_PREFIXES):
        # AudioPlayer events may only be answered with AudioPlayer directives.
        assert "card" not in body, (kind, body)
        for directive in body.get("directives", []):
            assert directive["type"].startswith("AudioPlayer."), (kind, directive)


@contextmanager
def unhandled_errors() -> Iterator[list[str]]:
    """The ERROR lines logged meanwhile that report an unhandled exception (type and place)."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if record.levelno >= logging.ERROR and "unhandled" in message:
                found.append(message)

    handler = Collect(logging.ERROR)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield found
    finally:
        root.removeHandler(handler)
