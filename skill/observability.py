"""One structured JSON line per request: what happened, never who it was or what they said.

Both entry points log through this module, so their lines have the same fields: the Lambda
handler (skill/lambda_function.py) opens a line with :func:`request_line` around the event,
the web endpoint (skill/web.py) with :func:`begin` and :func:`end` around each HTTP request
(plus ``status``). The turn attaches its unit of work (:func:`track`, called by
skill/turn/interceptors.py), whose outcome and store-call count the line reports. A line
held open by the entry point is a ``contextvars`` variable, so each thread of the web
server (and each Lambda invocation) has its own.

A line, one ``json.dumps`` on the ``movement_snacks.request`` logger (not propagated, so it
is never wrapped in another format, such as Lambda's text prefix), written to stderr at
INFO (so LOG_LEVEL=WARNING or above turns the lines off)::

    {"timestamp": "2026-12-01T21:30:00.123Z", "level": "INFO",
     "logger": "movement_snacks.request", "entry": "lambda",
     "request_id": "amzn1.echo-api.request.0f3c...", "request_type": "IntentRequest",
     "intent": "AMAZON.NextIntent", "outcome": "saved", "latency_ms": 14, "store_calls": 2}

- ``request_id``: Alexa's id of this one request (null unless short and plain characters);
- ``request_type``, ``intent``: only names ask-sdk-model declares, our interaction model
  defines or Alexa builds in (``AMAZON.*``); anything else is ``"other"``;
- ``outcome``: where the turn's progress went (:class:`skill.turn.work.Outcome`: saved,
  carried, queued, lost, unreachable, nothing), ``"refused"`` for a request refused before
  the skill ran, ``"error"`` for a failure outside the skill's own error handler;
- ``store_calls``: progress store loads and saves and fallback queue sends of this request.

Never in a line: the Alexa user, person or device id, the session id, the store's user key,
the access token, slot values, a pain rating, or an exception's message. Not even the user key,
although it is only a keyed hash: it is the same for every request of a user, so it would
let anyone who reads the logs link one person's requests across days and read from their
times and outcomes when they exercise, how often and when they stopped (health data by
inference). Request ids are new for every request, so they link nothing.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any, Protocol, TextIO

from ask_sdk_model import Request

REQUEST_LOGGER = "movement_snacks.request"
REFUSED = "refused"
ERROR = "error"
OTHER = "other"
# The record attribute that carries a line's fields to the formatter.
FIELDS = "request_fields"

# The custom intents of interaction_models/*.json (the Lambda bundle does not ship the
# models; tests/contract/test_request_log_intents.py keeps this set equal to them).
CUSTOM_INTENTS = frozenset(
    {
        "CancelRemindersIntent",
        "ChangeTempoIntent",
        "DeleteDataIntent",
        "ListExercisesIntent",
        "ListRemindersIntent",
        "ListRoutinesIntent",
        "NumberAnswerIntent",
        "PainRatingIntent",
        "PainReportIntent",
        "PlayRoutineIntent",
        "ProgressSummaryIntent",
        "SpreadIntent",
        "RemovePlanIntent",
        "SetGoalIntent",
        "SetReminderIntent",
        "SetRepsIntent",
        "ShareProgressIntent",
        "SkipIntent",
        "StartPlanIntent",
        "StartRoutineIntent",
        "StopSharingIntent",
        "UsePlanCodeIntent",
        "WhatIsMyPlanIntent",
    }
)
# Alexa's built-in intents: letters only, so no id, token or number fits in one.
BUILT_IN_INTENT = re.compile(r"AMAZON\.[A-Za-z]{1,60}")
# The request types ask-sdk-model knows (the SDK's own list, as the gate uses).
REQUEST_TYPES = frozenset(Request.discriminator_value_class_map)
# Alexa's request ids look like "amzn1.echo-api.request.<uuid>"; anything else is null.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class Tally(Protocol):
    """What a turn's unit of work tells the line (skill.turn.work.UnitOfWork)."""

    @property
    def outcome(self) -> Enum | None: ...

    @property
    def store_calls(self) -> int: ...


@dataclass
class RequestLine:
    """The line of one request, written when the entry point closes it."""

    entry: str
    started: float = field(default_factory=time.perf_counter)
    request_id: str | None = None
    request_type: str | None = None
    intent: str | None = None
    outcome: str | None = None
    status: int | None = None
    work: Tally | None = None
    # The context variable's token: closing the line restores what was open before it.
    token: Token[RequestLine | None] | None = field(default=None, repr=False)

    def describe(self, payload: Any) -> None:
        """Take the names (never the values) of a request envelope as parsed JSON."""
        request = payload.get("request") if isinstance(payload, dict) else None
        if not isinstance(request, dict):
            return
        self.request_id = _plain_id(request.get("requestId"))
        kind = request.get("type")
        self.request_type = kind if kind in REQUEST_TYPES else OTHER
        if kind == "IntentRequest":
            intent = request.get("intent")
            self.intent = _intent_name(intent.get("name") if isinstance(intent, dict) else None)

    def fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "entry": self.entry,
            "request_id": self.request_id,
            "request_type": self.request_type,
            "intent": self.intent,
            "outcome": self._outcome(),
            "latency_ms": round((time.perf_counter() - self.started) * 1000),
            "store_calls": self.work.store_calls if self.work is not None else 0,
        }
        if self.status is not None:
            fields["status"] = self.status
        return fields

    def _outcome(self) -> str:
        if self.outcome is not None:
            return self.outcome
        finished = self.work.outcome if self.work is not None else None
        return str(finished.value) if finished is not None else "nothing"


def _plain_id(value: Any) -> str | None:
    return value if isinstance(value, str) and REQUEST_ID.fullmatch(value) else None


def _intent_name(name: Any) -> str:
    if isinstance(name, str) and (name in CUSTOM_INTENTS or BUILT_IN_INTENT.fullmatch(name)):
        return name
    return OTHER


_current: ContextVar[RequestLine | None] = ContextVar("request_line", default=None)
log = logging.getLogger(REQUEST_LOGGER)


def begin(entry: str) -> RequestLine:
    """Open this request's line (web: before the request; see :func:`request_line`)."""
    line = RequestLine(entry)
    line.token = _current.set(line)
    return line


def end(*, status: int | None = None) -> None:
    """Close the open line and write it; a second call writes nothing."""
    line = _current.get()
    if line is None or line.token is None:
        return
    _current.reset(line.token)
    line.token = None
    if status is not None:
        line.status = status
        if status >= 400 and line.outcome is None:
            line.outcome = REFUSED
    log.info("request", extra={FIELDS: line.fields()})


@contextmanager
def request_line(entry: str, payload: Any = None) -> Iterator[RequestLine]:
    """The line of the request ``payload``; inside an open one, that one (one line each)."""
    outer = _current.get()
    if outer is not None:
        outer.describe(payload)
        yield outer
        return
    line = begin(entry)
    line.describe(payload)
    try:
        yield line
    except BaseException:
        line.outcome = ERROR
        raise
    finally:
        end()


def current() -> RequestLine | None:
    return _current.get()


def describe(payload: Any) -> None:
    if (line := current()) is not None:
        line.describe(payload)


def track(work: Tally) -> None:
    """The turn's unit of work: the line reports its outcome and store calls."""
    if (line := current()) is not None:
        line.work = work


def failed() -> None:
    """The request failed outside the skill's own error handler."""
    if (line := current()) is not None:
        line.outcome = ERROR


class JsonLineFormatter(logging.Formatter):
    """One JSON object per record; a request line's fields at the top level.

    ``timestamp`` (RFC 3339, UTC) and ``level`` are the keys Lambda's JSON log format reads
    from a line written to stderr, so Lambda files it under its own level and time.
    """

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, UTC)
        line: dict[str, Any] = {
            "timestamp": stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, FIELDS, None)
        line.update(fields if isinstance(fields, dict) else {"message": record.getMessage()})
        return json.dumps(line)


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is when a line is written (as logging's own
    last-resort handler does), so a test that captures stderr reads the real lines."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> TextIO:  # type: ignore[override]
        return sys.stderr


def configure_request_log() -> None:
    """Give the request logger its JSON line on stderr (idempotent); its level is the root's."""
    logger = logging.getLogger(REQUEST_LOGGER)
    if not any(isinstance(handler, StderrHandler) for handler in logger.handlers):
        handler = StderrHandler()
        handler.setFormatter(JsonLineFormatter())
        logger.addHandler(handler)
    logger.propagate = False
