"""The envelope gate refuses each shape the brief named, and lets real envelopes through.

Prevents: a shape ask-sdk-model would deserialise (or choke on) reaching the handlers; the
property tests find such shapes at random, this table keeps the known ones pinned.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skill import gate

EVENTS = Path(__file__).parents[1] / "events"
Event = dict[str, Any]


def _event(name: str) -> Event:
    loaded: Event = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return loaded


def _nested(depth: int) -> Any:
    node: Any = {}
    for _ in range(depth):
        node = {"a": node}
    return node


# (what Alexa never sends, how to make it from a real one-shot "start pelvic tilts")
REFUSED: list[tuple[str, Callable[[Event], None]]] = [
    ("an IntentRequest without an intent", lambda e: e["request"].pop("intent")),
    ("an intent without a name", lambda e: e["request"]["intent"].pop("name")),
    ("an unknown request type", lambda e: e["request"].update(type="Alexa.Nope")),
    ("session attributes not an object", lambda e: e["session"].update(attributes=[1])),
    ("slots not an object", lambda e: e["request"]["intent"].update(slots=["exercise"])),
    ("a slot not an object", lambda e: e["request"]["intent"]["slots"].update(x="y")),
    ("a slot value not a string", lambda e: _first_slot(e).update(value=5)),
    ("a locale not a string", lambda e: e["request"].update(locale=["en-US"])),
    ("a timestamp not a string", lambda e: e["request"].update(timestamp=1764063500)),
    ("a timestamp offset of 25 h", lambda e: e["request"].update(timestamp=_stamp("+25:00"))),
    ("a timestamp without a zone", lambda e: e["request"].update(timestamp=_stamp(""))),
    ("new as a string", lambda e: e["session"].update(new="false")),
    ("an unknown enum value", lambda e: e["request"].update(dialogState="HALF")),
    ("a key named like the SDK's field", lambda e: e["request"].update(dialog_state="x")),
    ("a key named like the SDK's method", lambda e: e["context"].update(to_dict=1)),
    ("no user id", lambda e: e["context"]["System"]["user"].pop("userId")),
    ("an IntentRequest without a session", lambda e: e.pop("session")),
    ("nesting 100 levels deep", lambda e: e["session"]["attributes"].update(x=_nested(100))),
    ("attributes over 24 KB", lambda e: e["session"]["attributes"].update(x="a" * 25_000)),
    ("a number that is not finite", lambda e: e["session"]["attributes"].update(x=math.nan)),
]


def _first_slot(event: Event) -> dict[str, Any]:
    slot: dict[str, Any] = next(iter(event["request"]["intent"]["slots"].values()))
    return slot


def _stamp(offset: str) -> str:
    return f"2026-11-25T14:18:20{offset}"


@pytest.mark.parametrize(("shape", "make"), REFUSED, ids=[shape for shape, _ in REFUSED])
def test_the_gate_refuses(shape: str, make: Callable[[Event], None]) -> None:
    event = _event("start_pelvic_tilts.json")
    assert gate.refusal(event) is None
    bent = copy.deepcopy(event)
    make(bent)
    reason = gate.refusal(bent)
    assert reason is not None, shape
    # A reason is logged and returned: it names a place, never a value from the request.
    assert "pelvic" not in reason and "EXAMPLE" not in reason


def test_new_fields_alexa_may_add_are_let_in() -> None:
    event = _event("launch.json")
    event["request"]["shinyNewField"] = {"any": ["shape"]}
    event["context"]["Unknown.Interface"] = {"state": 1}
    assert gate.refusal(event) is None
