"""Handler crashes the property tests found, pinned with a minimal envelope each.

Each was found failing and is fixed at its root. Prevents: the crash coming back.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from skill import lambda_function
from tests.property.checks import check_answer, unhandled_errors
from tests.web.support import SKILL_ID, RecordingStore

EVENTS = Path(__file__).parents[1] / "events"


def _progress_question(time_zone: str) -> dict[str, Any]:
    """ "How am I doing?" in a session whose time zone the skill once learned."""
    event: dict[str, Any] = json.loads((EVENTS / "start_pelvic_tilts.json").read_text("utf-8"))
    event["request"]["intent"] = {"name": "ProgressSummaryIntent", "confirmationStatus": "NONE"}
    event["session"]["new"] = False
    event["session"]["attributes"] = {"time_zone": time_zone}
    event["context"]["System"]["application"]["applicationId"] = SKILL_ID
    event["session"]["application"]["applicationId"] = SKILL_ID
    return event


@pytest.mark.parametrize("time_zone", ["Europe", "a" * 300], ids=["a-folder", "too-long"])
def test_a_session_time_zone_that_names_no_zone_file_is_treated_as_unknown(
    lambda_store: RecordingStore, time_zone: str
) -> None:
    event = _progress_question(time_zone)
    with unhandled_errors() as errors:
        answer = lambda_function.handler(copy.deepcopy(event), None)
    check_answer(event, answer)
    assert errors == []
