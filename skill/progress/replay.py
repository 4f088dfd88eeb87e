"""SQS-triggered Lambda entry point: ``skill.progress.replay.handler``.

Writes the updates :mod:`skill.progress.fallback` queued into the progress store.
A message may arrive more than once (SQS is at-least-once, and a failed batch item
comes back); the completion ids make the store count each set once anyway.

The answer is an SQS partial batch response: a message whose write failed is
named in ``batchItemFailures`` so SQS delivers it again later (and, after the
queue's maxReceiveCount, moves it to the dead-letter queue). A malformed message
could never be written: it is dropped with a log line instead of being retried.

The store is built from the function's own settings, pain-rating policy included
(STORE_PAIN_RATINGS): a queued rating is written only where the deployment opts in.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from skill.progress.factory import store_from_settings
from skill.progress.fallback import decode
from skill.progress.store import ProgressStore, StoreError
from skill.settings import Settings

log = logging.getLogger(__name__)


@cache
def store() -> ProgressStore:
    settings = Settings.from_env()
    settings.configure_logging()
    return store_from_settings(settings)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return replay(event, store())


def replay(event: dict[str, Any], target: ProgressStore) -> dict[str, Any]:
    """Apply every record of an SQS event to ``target``; name the ones to retry."""
    failures: list[dict[str, str]] = []
    records = event.get("Records") if isinstance(event, dict) else None
    for record in records if isinstance(records, list) else []:
        if not isinstance(record, dict):
            log.error("progress replay: dropped a record that is not an SQS message")
            continue
        message_id = str(record.get("messageId", ""))
        body = record.get("body")
        decoded = decode(body) if isinstance(body, str) else None
        if decoded is None:
            log.error("progress replay: dropped malformed message %s", message_id)
            continue
        user_key, update = decoded
        try:
            target.save(user_key, update)
        except StoreError as exc:
            log.warning(
                "progress replay: write failed (%s), message %s retried later",
                type(exc).__name__,
                message_id,
            )
            failures.append({"itemIdentifier": message_id})
            continue
        log.info(
            "progress replay: wrote %d completed sets, %d pain ratings",
            len(update.completions),
            len(update.pain_ratings),
        )
    return {"batchItemFailures": failures}
