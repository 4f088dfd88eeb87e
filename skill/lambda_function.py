"""AWS Lambda entry point: ``skill.lambda_function.handler``.

The skill (and its store client) is built once per cold start and reused by
every request the warm container serves.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from skill.builder import build_skill
from skill.progress.factory import store_from_settings
from skill.settings import Settings


@cache
def skill() -> CustomSkill:
    settings = Settings.from_env()
    settings.configure_logging()
    return build_skill(settings, store_from_settings(settings))


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return invoke_json(skill(), event, context)


def invoke_json(
    custom_skill: CustomSkill, event: dict[str, Any], context: Any = None
) -> dict[str, Any]:
    """Run one Alexa request (JSON) through ``custom_skill`` exactly as Lambda does."""
    serializer = custom_skill.serializer
    envelope = serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    response = custom_skill.invoke(request_envelope=envelope, context=context)
    result: dict[str, Any] = serializer.serialize(response)
    return result
