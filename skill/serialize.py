"""The skill's JSON (de)serializer: ask-sdk-model's, keeping what its classes drop."""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer


class SkillSerializer(DefaultSerializer):  # type: ignore[misc]
    """ask-sdk-model has no field for a skill event's ``body``; the SkillDisabled
    handler needs its userInformationPersistenceStatus to know whether the user's
    data may stay. Set as the skill's serializer, it serves Lambda and the web alike.
    """

    def deserialize(self, payload: Any, obj_type: Any) -> Any:
        result = super().deserialize(payload, obj_type)
        request = getattr(result, "request", None)
        if request is not None and isinstance(payload, str):
            try:
                body = (json.loads(payload).get("request") or {}).get("body")
            except (ValueError, AttributeError):
                body = None
            if isinstance(body, dict):
                request.body = body
        return result
