"""AWS Lambda entry point: ``skill.lambda_function.handler``.

The skill (and its store client) is built once per cold start and reused by
every request the warm container serves.

Lambda has no HTTP status to refuse with, and an exception out of the handler makes Alexa
say "There was a problem with the requested skill's response". So :func:`handler` never
raises: an event the envelope gate (skill/gate.py, the web endpoint's too) refuses, or one
for another skill, is answered with an empty response, and so is anything that fails
outside the skill's own error handler; the log says why (a reason or an exception's type
and place), never what the event held. Each event gets one JSON line in the request log
(skill/observability.py): its outcome is "refused" or "error" in those cases.
"""

from __future__ import annotations

import gc
import json
import logging
import traceback
from functools import cache
from typing import Any

# The cold start's imports make thousands of long-lived objects (classes, functions,
# the SDK's models): a collection midway only rescans them. Paused while they load.
_collecting = gc.isenabled()
gc.disable()
try:
    from ask_sdk_core.skill import CustomSkill
    from ask_sdk_model import RequestEnvelope

    from skill import gate, observability
    from skill.builder import build_skill
    from skill.progress.factory import store_from_settings
    from skill.salt import SaltError, with_user_key_salt
    from skill.settings import Settings
finally:
    if _collecting:
        gc.enable()

log = logging.getLogger(__name__)


@cache
def skill() -> CustomSkill:
    settings = Settings.from_env()
    settings.configure_logging()
    # Never the public salt: USER_KEY_SALT, or (embedded SQLite only) the file beside it.
    settings = with_user_key_salt(settings)
    return build_skill(settings, store_from_settings(settings))


def empty_response() -> dict[str, Any]:
    """A valid answer that says and does nothing (a fresh dict: callers may change it)."""
    return {"version": "1.0", "response": {}}


# True until the process's first event: the one that builds the skill.
_cold = True


def handler(event: Any, context: Any) -> dict[str, Any]:
    global _cold
    if not _cold:
        return _handle(event, context)
    _cold = False
    # The cold start's first event builds the skill, its store client and catalogs: many
    # objects that live as long as the process. Collecting mid-way only rescans them;
    # frozen afterwards, no later collection scans them again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _handle(event, context)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _handle(event: Any, context: Any) -> dict[str, Any]:
    # The line opens first, so a cold start's build time is part of its latency.
    with observability.request_line("lambda", event) as line:
        try:
            custom_skill = skill()
        except SaltError as exc:  # our own words: what the operator must set
            log.critical("refusing to start: %s", exc)
            line.outcome = observability.ERROR
            return empty_response()
        except Exception as exc:  # a broken deployment: every event gets the same silence
            log.error(
                "unhandled %s at %s while building the skill", type(exc).__name__, _place(exc)
            )
            line.outcome = observability.ERROR
            return empty_response()
        return answer(custom_skill, event, context)


def answer(custom_skill: CustomSkill, event: Any, context: Any = None) -> dict[str, Any]:
    """What :func:`handler` answers with ``custom_skill``: never an exception."""
    with observability.request_line("lambda", event) as line:
        try:
            reason = refusal(custom_skill, event)
            if reason is not None:
                log.warning("refused event: %s", reason)
                line.outcome = observability.REFUSED
                return empty_response()
            return invoke_json(custom_skill, event, context)
        except Exception as exc:  # the last line of defence: Lambda must answer, not raise
            log.error("unhandled %s at %s", type(exc).__name__, _place(exc))
            line.outcome = observability.ERROR
            return empty_response()


def refusal(custom_skill: CustomSkill, event: Any) -> str | None:
    """Why ``event`` is not for this skill to answer (the web path's 400s), or None."""
    reason = gate.refusal(event)
    if reason is not None or custom_skill.skill_id is None:
        return reason
    addressed_to = event["context"]["System"]["application"]["applicationId"]
    return None if addressed_to == custom_skill.skill_id else "the request is for another skill"


def _place(exc: BaseException) -> str:
    # The innermost frame only: an exception's message may quote the event.
    frames = traceback.extract_tb(exc.__traceback__)
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "unknown"


def invoke_json(
    custom_skill: CustomSkill, event: dict[str, Any], context: Any = None
) -> dict[str, Any]:
    """Run one Alexa request (JSON) through ``custom_skill`` as Lambda does once it is let in.

    Unlike :func:`handler` this raises what the SDK raises, so tests see every failure.
    """
    serializer = custom_skill.serializer
    envelope = serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    response = custom_skill.invoke(request_envelope=envelope, context=context)
    result: dict[str, Any] = serializer.serialize(response)
    return result
