"""Hypothesis strategies: Alexa request envelopes built from ask-sdk-model classes, then mutated.

Every valid envelope is an ask-sdk-model object serialised by the SDK's own serializer, so
its JSON has exactly the shape Alexa sends. Intents and slots come from the en-US model,
slot values from its slot types (resolved, as Alexa resolves them) or free words; session
attributes are the ones the skill itself writes (a plan, a question, carried-over sets),
some of them bent. :func:`mutated` then drops, adds and retypes fields anywhere, and swaps
in odd locales, timestamps, intents and slots.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import Request
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from skill.routines.catalog import load_catalog
from tests.property import alexa_requests as built

SERIALIZER = DefaultSerializer()
MODEL = json.loads(
    (Path(__file__).parents[2] / "interaction_models" / "en-US.json").read_text("utf-8")
)["interactionModel"]["languageModel"]
INTENTS: dict[str, list[dict[str, str]]] = {
    intent["name"]: intent.get("slots", []) for intent in MODEL["intents"]
}
# (canonical id, spoken value) of every slot type value, as entity resolution reports them.
TYPE_VALUES: dict[str, list[tuple[str, str]]] = {
    t["name"]: [(v.get("id", v["name"]["value"]), v["name"]["value"]) for v in t["values"]]
    for t in MODEL["types"]
}
CATALOG = load_catalog("en-US")
# Repeatable in CI (derandomize, no example database) and bounded in time; the store is
# shared by the examples of one test on purpose, so writes are compared per example.
BOUNDED = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# The fixed moment of every generated request; the HTTP tests move it to "now" when unchanged.
STAMP = "2026-11-25T09:30:00Z"

Json = Any
text = st.text(max_size=40)
odd_text = st.one_of(
    text,
    st.text(min_size=200, max_size=3000),
    st.sampled_from(["", " ", "\x00", "ß" * 50, "👍🏽" * 30, "<speak>&amp;</speak>", "{0}{x}%s"]),
)


def wrong_values() -> st.SearchStrategy[Json]:
    """Any JSON value, most of them of the wrong type for the field they replace."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), odd_text
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
        max_leaves=6,
    )


def _slot_value(slot_type: str) -> st.SearchStrategy[built.Heard]:
    if slot_type == "AMAZON.NUMBER":
        numbers = st.one_of(
            st.integers(-5, 200).map(str), st.sampled_from(["?", "five", "", "1e9", "10" * 20])
        )
        return numbers.map(lambda words: built.Heard(words))
    names = TYPE_VALUES.get(slot_type, [])
    matched = st.sampled_from(names).map(lambda v: built.Heard(v[1], v[0], slot_type))
    unmatched = odd_text.map(lambda words: built.Heard(words, None, slot_type))
    # A model newer than the catalog (or a forged body) resolves to an id the catalog lacks.
    foreign = st.builds(
        built.Heard, odd_text, st.sampled_from(["nope", "", "back"]), st.just(slot_type)
    )
    return matched | unmatched | foreign if names else unmatched | foreign


@st.composite
def intents(draw: st.DrawFn) -> tuple[str, dict[str, built.Heard | None]]:
    """An intent of the model with some of its slots filled (None: present without value)."""
    name = draw(st.sampled_from(sorted(INTENTS)))
    slots: dict[str, built.Heard | None] = {}
    for slot in INTENTS[name]:
        if draw(st.booleans()):
            slots[slot["name"]] = draw(st.none() | _slot_value(slot["type"]))
    return name, slots


def _plan() -> st.SearchStrategy[dict[str, Any]]:
    routines = [CATALOG.routines[r] for r in sorted(CATALOG.routines)]
    exercises = [CATALOG.exercises[e] for e in sorted(CATALOG.exercises)]
    from skill.routines.plan import Plan

    plans = st.sampled_from(
        [Plan.for_routine(r) for r in routines] + [Plan.for_exercise(e) for e in exercises]
    )
    return st.builds(
        lambda plan, index, delivered, reps: {
            **plan.to_attributes(), "index": index, "delivered": delivered, "reps": reps,
        },
        plans, st.integers(-1, 6), st.booleans(), st.none() | st.integers(-1, 60),
    )  # fmt: skip


def session_attributes() -> st.SearchStrategy[dict[str, Any]]:
    """What the skill itself keeps in a session, in every combination, sometimes bent."""
    day = st.sampled_from(["2026-11-25", "2026-11-24", "11/25/2026", ""])
    at = st.sampled_from(["2026-11-25T09:00:00+00:00", "2026-11-25T09:00:00", "later"])
    done = st.fixed_dictionaries(
        {
            "id": st.uuids().map(str) | text,
            "exercise": st.sampled_from([*sorted(CATALOG.exercises), "nope"]),
            "routine": st.none() | st.sampled_from([*sorted(CATALOG.routines), "nope"]),
            "reps": st.integers(-1, 40) | text,
            "seconds": st.integers(-1, 400),
            "day": day,
            "at": at,
        }
    )
    pain = st.fixed_dictionaries(
        {"id": st.uuids().map(str), "rating": st.integers(-2, 12) | text, "day": day, "at": at}
    )
    carried: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
        {
            "goal": st.none() | st.integers(-1, 20),
            "sets": st.lists(done, max_size=3),
            "pain": st.lists(pain, max_size=2),
        }
    )
    pieces = st.fixed_dictionaries(
        {},
        optional={
            "plan": _plan(),
            "question": st.sampled_from(["pain", "reps", "goal", "confirm_delete", "other"]),
            "offer": st.sampled_from(["quick_snack", "other"]),
            "reminded": st.booleans(),
            "time_zone": st.sampled_from(["Europe/Berlin", "UTC", "Mars/Olympus", "../../etc"]),
            "unsaved": carried,
        },
    )
    return st.one_of(st.just({}), pieces)


def requests() -> st.SearchStrategy[Request]:
    """Any request kind; intents weigh most, as they do in a real conversation."""
    kinds: dict[str, st.SearchStrategy[Request]] = {
        "launch": st.builds(built.launch),
        "intent": intents().map(lambda found: built.intent(*found)),
        "ended": st.sampled_from(built.SESSION_ENDS).map(built.session_ended),
        "audio": st.builds(
            built.audio_player_event, st.sampled_from(built.AUDIO_EVENTS), built.tokens()
        ),
        "playback": st.sampled_from(built.PLAYBACK_COMMANDS).map(lambda k: k(locale="en-US")),
        "exception": st.builds(built.exception_encountered),
        "connections": st.sampled_from(["200", "400", "500"]).map(built.connections_response),
        "event": st.sampled_from(built.SKILL_EVENTS).map(built.skill_event),
    }
    weighted = [*kinds, *["intent"] * 7]
    return st.sampled_from(weighted).flatmap(lambda kind: kinds[kind])


@st.composite
def envelopes(draw: st.DrawFn) -> dict[str, Json]:
    """A valid envelope (JSON) for any request type the skill may be sent."""
    request = draw(requests())
    attributes = draw(session_attributes())
    payload: dict[str, Json] = SERIALIZER.serialize(
        built.envelope(request, attributes, with_person=draw(st.booleans()))
    )
    payload["request"].update({"requestId": "amzn1.echo-api.request.fuzz", "timestamp": STAMP})
    body = built.event_body(payload["request"]["type"])
    if body is not None:
        payload["request"]["body"] = body
    return payload


def _paths(node: Json, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = []
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        found.append((*prefix, key))
        found.extend(_paths(child, (*prefix, key)))
    return found


def _parent(payload: Json, path: tuple[Any, ...]) -> Json:
    for key in path[:-1]:
        payload = payload[key]
    return payload


ODD_LOCALES = ["", "xx", "de-DE", "en-GB", "EN-us", "../../etc/passwd", "en-US\x00", "e" * 5000]
ODD_STAMPS = [
    "2026-11-25T09:30:00+25:00", "2026-11-25T09:30:00-23:59", "2026-11-25T09:30:00+05:30:15",
    "2026-11-25T09:30:00", "0001-01-01T00:00:00-05:00", "9999-12-31T23:59:59+14:00",
    "2026-11-25 09:30:00 UTC", "now", "2026-11-25T09:30:00.123456789Z",
]  # fmt: skip
# Unknown to ask-sdk-model, or known to it but never sent to this skill.
OTHER_TYPES = [
    "Alexa.Presentation.APL.UserEvent", "CanFulfillIntentRequest", "SessionResumedRequest",
    "Dialog.InputRequest", "Messaging.MessageReceived", "Reminders.ReminderStarted",
    "GameEngine.InputHandlerEvent", "AudioPlayer.PlaybackResumed", "Alexa.Foo", "intentrequest",
]  # fmt: skip
SDK_KEYS = ["dialog_state", "object_type", "to_dict", "_hidden", "session_id", "extra", "ünïcødé"]


@st.composite
def one_mutation(draw: st.DrawFn, payload: dict[str, Json]) -> None:
    """Change ``payload`` in place in one of the ways Alexa never would (or only rarely)."""
    kinds = ["drop", "retype", "add", "type", "locale", "stamp", "intent", "slot"]
    kind = draw(st.sampled_from(kinds))
    paths = _paths(payload)
    request = payload.get("request") if isinstance(payload.get("request"), dict) else None
    if kind in ("drop", "retype") and paths:
        path = draw(st.sampled_from(paths))
        parent = _parent(payload, path)
        if kind == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(wrong_values())
    elif kind == "add":
        containers = [p for p in paths if isinstance(_parent(payload, (*p, None)), dict)]
        target = _parent(payload, (*draw(st.sampled_from(containers or [()])), None))
        target[draw(st.sampled_from(SDK_KEYS) | text)] = draw(wrong_values())
    elif request is not None and kind == "type":
        request["type"] = draw(st.sampled_from(OTHER_TYPES) | text)
    elif request is not None and kind == "locale":
        request["locale"] = draw(st.sampled_from(ODD_LOCALES) | wrong_values())
    elif request is not None and kind == "stamp":
        request["timestamp"] = draw(st.sampled_from(ODD_STAMPS) | wrong_values())
    elif request is not None and isinstance(request.get("intent"), dict):
        intent = request["intent"]
        if kind == "intent":
            intent["name"] = draw(st.sampled_from(["AMAZON.ScrollUpIntent", "Nope", ""]) | odd_text)
        elif isinstance(intent.get("slots"), dict):
            name = draw(st.sampled_from(["mystery", "reps", "routine"]) | text)
            intent["slots"][name] = {
                "name": name,
                "value": draw(odd_text),
                "confirmationStatus": "NONE",
            }


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Json]:
    """A valid envelope, then up to three mutations (none in one case in four)."""
    payload = copy.deepcopy(draw(envelopes()))
    for _ in range(draw(st.integers(0, 3))):
        draw(one_mutation(payload))
    return payload
