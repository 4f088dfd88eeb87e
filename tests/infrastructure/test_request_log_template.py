"""The skill function's log format matches the request log's lines.

Prevents: request lines that Lambda files as text with a guessed level and time, or a
template that drops the JSON format the README's Logs paragraph describes.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from skill.observability import FIELDS, REQUEST_LOGGER, JsonLineFormatter, RequestLine

# What Lambda's JSON log format reads from a JSON line an application writes itself.
LAMBDA_LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}


def test_the_skill_function_logs_json(template: dict[str, Any]) -> None:
    config = template["Resources"]["SkillFunction"]["Properties"]["LoggingConfig"]
    assert config["LogFormat"] == "JSON"


def test_a_request_line_carries_the_level_and_timestamp_lambda_reads() -> None:
    record = logging.LogRecord(REQUEST_LOGGER, logging.INFO, __file__, 1, "request", None, None)
    setattr(record, FIELDS, RequestLine("lambda").fields())

    line = json.loads(JsonLineFormatter().format(record))

    assert line["level"] in LAMBDA_LEVELS
    stamp = datetime.fromisoformat(line["timestamp"])  # RFC 3339, in UTC
    assert line["timestamp"].endswith("Z") and stamp.utcoffset() is not None
