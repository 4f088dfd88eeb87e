"""A retried request that arrives after midnight still counts once, on both stores.

Prevents: the same set counted on two days. Exactly-once is kept per day bucket
in DynamoDB, so the day must come from the request's own stamp (the same on
every retry), not from the clock when the retry happens to arrive.
"""

from __future__ import annotations

from datetime import UTC, datetime

from skill.builder import build_skill
from skill.chat.envelopes import SlotValue, to_json
from skill.lambda_function import invoke_json
from skill.settings import Settings
from skill.turn.identity import user_key
from tests.conftest import Talk
from tests.integration.conftest import Backend

TILTS = {"exercise": SlotValue("pelvic tilts", "pelvic_tilts", "pelvic tilts", "EXERCISE_NAME")}


def test_a_retry_that_arrives_after_midnight_still_counts_once(backend: Backend) -> None:
    backend.clock.now = datetime(2026, 11, 25, 23, 59, 50, tzinfo=UTC)
    skill = build_skill(Settings(), backend.store, backend.clock, time_zones=lambda _: None)
    talk = Talk(skill, backend.store)  # type: ignore[arg-type]
    at = backend.clock.now
    talk.send(talk.conversation.intent("StartRoutineIntent", TILTS, new_session=True, at=at))
    # GIVEN "next", which counts the set, said at 23:59:50 UTC
    event = to_json(talk.conversation.intent("AMAZON.NextIntent", at=at))
    invoke_json(skill, event)
    # WHEN Alexa retries that very request and the retry lands after midnight
    backend.clock.now = datetime(2026, 11, 26, 0, 0, 5, tzinfo=UTC)
    invoke_json(skill, event)
    # THEN the set counts once, on the day the user said it
    days = backend.store.load(user_key("movement-snacks", talk.conversation.user_id)).days
    assert [(d.day.isoformat(), d.sets) for d in days if d.sets] == [("2026-11-25", 1)]
