"""The envelope gate: JSON that Alexa could never have sent is refused before the skill runs.

ask-sdk-model's deserialiser is lenient in ways the handlers are not. For a string field it
turns 7 into "7" and [] into "[]"; for a boolean, "false" into True; it keeps a string or a
list where an object belongs; it sets every unknown key as an attribute, so a key spelled
like a Python field (``dialog_state``) replaces that field unconverted; and it builds an
IntentRequest without an intent. Each of those reaches a handler as a shape it never
expected and ends in the catch-all, or makes the SDK itself raise (on Lambda, out of the
entry point). :func:`refusal` walks the raw JSON against the types ask-sdk-model declares
(``deserialized_types``, ``attribute_map`` and the discriminator maps: the SDK's own rules,
so the gate follows the model version installed) and then the few fields Alexa always sends
and this skill relies on. Both entry points call it before deserialising: the web answers
a reason with HTTP 400, Lambda with an empty response; neither lets the skill see it.

A reason names a place in the envelope (free-form keys such as slot names shown as ``*``),
never a value from it: reasons are logged and returned to the caller.
"""

from __future__ import annotations

import importlib
import json
import math
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from functools import cache
from typing import Any

from ask_sdk_model import RequestEnvelope

# Real envelopes nest about 8 levels, the skill's own session attributes a few more; deeper
# JSON only serves to exhaust the stack of whatever walks it next.
MAX_DEPTH = 24
# Alexa stamps requests in UTC; real zones lie within -12 h and +14 h.
MAX_UTC_OFFSET = timedelta(hours=14)
# Every Alexa request carries these strings, and the skill relies on each of them.
REQUIRED_STRINGS = (
    ("version",),
    ("request", "type"),
    ("request", "requestId"),
    ("request", "timestamp"),
    ("context", "System", "application", "applicationId"),
    ("context", "System", "user", "userId"),
)
# Session attributes are the skill's own, echoed by Alexa from its last response, which
# Alexa caps at 24 KB in all: larger ones are not an echo.
MAX_ATTRIBUTES_BYTES = 24 * 1024
# Request types Alexa only ever sends inside a session, which their handlers read and write.
IN_SESSION = frozenset({"LaunchRequest", "IntentRequest", "SessionEndedRequest"})
SESSION_STRINGS = (("sessionId",), ("application", "applicationId"), ("user", "userId"))

Json = Any


def refusal(payload: Json) -> str | None:
    """Why ``payload`` (a request envelope as parsed JSON) is refused, or None to let it in.

    >>> refusal({"version": "1.0"})
    'missing: request.type, request.requestId, ...'  # doctest: +SKIP
    """
    if not isinstance(payload, dict):
        return "the body is not a JSON object"
    return _odd_json(payload) or _shape(payload, RequestEnvelope, "") or _required(payload)


def _odd_json(payload: Json) -> str | None:
    """JSON no Alexa request has: nesting too deep, or NaN and Infinity (not even JSON)."""
    stack: list[tuple[Json, int]] = [(payload, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels"
        if isinstance(node, float) and not math.isfinite(node):
            return "a number is not finite"
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        stack.extend((child, depth + 1) for child in children)
    return None


def _shape(value: Json, declared: str | type, path: str) -> str | None:
    """The first way ``value`` breaks the ask-sdk-model type ``declared``, or None.

    Absent and null fields are left to :func:`_required`: to ask-sdk-model all are optional.
    """
    if value is None:
        return None
    if not isinstance(declared, str):
        return _model(value, declared, path)
    if declared.startswith("list["):
        if not isinstance(value, list):
            return f"{path} must be a list"
        item = declared[len("list[") : -1]
        return next((p for v in value if (p := _shape(v, item, f"{path}[]"))), None)
    if declared.startswith("dict(str, "):
        if not isinstance(value, dict):
            return f"{path} must be an object"
        item = declared[len("dict(str, ") : -1]
        return next((p for v in value.values() if (p := _shape(v, item, f"{path}.*"))), None)
    if declared == "object":
        return None
    if declared in PRIMITIVES:
        accepts, kind = PRIMITIVES[declared]
        return None if accepts(value) else f"{path} must be {kind}"
    return _model(value, _load(declared), path)


def _is_datetime(value: Json) -> bool:
    """An ISO 8601 time with a real UTC offset that both Python and the SDK's parser read."""
    if not isinstance(value, str):
        return False
    try:
        parsed = datetime.fromisoformat(value)
        offset = parsed.utcoffset()
        if offset is None or abs(offset) > MAX_UTC_OFFSET:
            return False
        parsed.astimezone(UTC)  # overflows at the ends of the calendar
        # The SDK's own parser (python-dateutil, its dependency) must read the same instant.
        from dateutil.parser import parse

        return bool(parse(value) == parsed)
    except (ValueError, OverflowError):
        return False


def _is_date(value: Json) -> bool:
    try:
        return isinstance(value, str) and isinstance(date.fromisoformat(value), date)
    except ValueError:
        return False


PRIMITIVES: dict[str, tuple[Any, str]] = {
    "str": (lambda v: isinstance(v, str), "a string"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
    "float": (lambda v: isinstance(v, int | float) and not isinstance(v, bool), "a number"),
    "datetime": (_is_datetime, "an ISO 8601 time with a UTC offset"),
    "date": (_is_date, "an ISO 8601 date"),
}


@cache  # keyed by ask-sdk-model's own type names, never by request data
def _load(name: str) -> Any:
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def _model(value: Json, cls: Any, path: str) -> str | None:
    if isinstance(cls, type) and issubclass(cls, Enum):
        known = any(value == member.value for member in cls) if isinstance(value, str) else False
        return None if known else f"{path} is not one of the values ask-sdk-model knows"
    if not hasattr(cls, "deserialized_types"):
        return None
    if not isinstance(value, dict):
        return f"{path} must be an object"
    if hasattr(cls, "get_real_child_model"):
        key = cls.json_discriminator_key
        kind = value.get(key)
        child = cls.discriminator_value_class_map.get(kind) if isinstance(kind, str) else None
        if child is None:
            return f"{_at(path, key)} is not a type ask-sdk-model knows"
        cls = _load(child)
    json_names = {field: cls.attribute_map.get(field, field) for field in cls.deserialized_types}
    for field, declared in cls.deserialized_types.items():
        if json_names[field] in value:
            problem = _shape(value[json_names[field]], declared, _at(path, json_names[field]))
            if problem:
                return problem
    # The SDK sets unknown keys as attributes: one named like a field or method would replace it.
    for key in value.keys() - json_names.values():
        if (
            not isinstance(key, str)
            or key.startswith("_")
            or key in cls.deserialized_types
            or hasattr(cls, key)
        ):
            return f"{path or 'the envelope'} has a key that is not Alexa's but the SDK's"
    return None


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _string_at(node: Json, path: tuple[str, ...]) -> str | None:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node if isinstance(node, str) else None


def _required(payload: dict[str, Json]) -> str | None:
    """The fields ask-sdk-model leaves optional but Alexa always sends and handlers read."""
    missing = [".".join(path) for path in REQUIRED_STRINGS if _string_at(payload, path) is None]
    if missing:
        return "missing: " + ", ".join(missing)
    request = payload["request"]
    kind = request["type"]
    if kind == "IntentRequest" and _string_at(request, ("intent", "name")) is None:
        missing.append("request.intent.name")
    if kind in IN_SESSION:
        session = payload.get("session")
        if not isinstance(session, dict):
            missing.append("session")
        else:
            absent = [p for p in SESSION_STRINGS if _string_at(session, p) is None]
            missing.extend(".".join(("session", *path)) for path in absent)
    if missing:
        return "missing: " + ", ".join(missing)
    return _echo_too_large(payload.get("session"))


def _echo_too_large(session: Json) -> str | None:
    attributes = session.get("attributes") if isinstance(session, dict) else None
    if not attributes:
        return None
    size = len(json.dumps(attributes, separators=(",", ":")).encode())
    return (
        "session.attributes are larger than a response can carry"
        if size > MAX_ATTRIBUTES_BYTES
        else None
    )
