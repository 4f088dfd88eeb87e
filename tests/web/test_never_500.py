"""No body a client can send makes the endpoint answer HTTP 500.

Every field of two real envelopes (a launch and a one-shot "start my back care routine"
with a resolved slot) is dropped or replaced by a value of the wrong type, one at a time;
each mutant is correctly signed, so it passes the signature check and reaches the shape
gate and, if it gets through that, the skill itself. Each answer must be a 400 or a
well-formed 200. Prevents: a crash path between deserialisation and the skill's own error
handler that surfaces as "There was a problem with the requested skill's response".
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import requests
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import ResponseEnvelope

from skill.chat.envelopes import Conversation, SlotValue, to_json
from tests.web.alexa_pki import FakeAlexaPki, sign
from tests.web.support import CERT_URL, SKILL_ID, Server

Path = tuple[str | int, ...]
WRONG_VALUES: tuple[Any, ...] = (None, 7, [])


def _paths(node: Any, prefix: Path = ()) -> Iterator[Path]:
    children: Any = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


def _mutants(payload: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in _paths(payload):
        *parents, last = path
        dropped = copy.deepcopy(payload)
        container: Any = dropped
        for key in parents:
            container = container[key]
        if isinstance(container, dict):
            del container[last]
            yield f"drop {path}", dropped
        for value in WRONG_VALUES:
            changed = copy.deepcopy(payload)
            container = changed
            for key in parents:
                container = container[key]
            container[last] = value
            yield f"{path} = {value!r}", changed


def _envelopes() -> list[dict[str, Any]]:
    conversation = Conversation(skill_id=SKILL_ID)
    routine = {"routine": SlotValue("back care", "back_care", "back care", "ROUTINE_NAME")}
    return [
        to_json(conversation.launch()),
        to_json(conversation.intent("StartRoutineIntent", routine, new_session=True)),
    ]


def test_no_single_field_mutation_of_a_real_envelope_gets_a_500(
    server: Server, pki: FakeAlexaPki
) -> None:
    unexpected = []
    count = 0
    with requests.Session() as session:
        for envelope in _envelopes():
            for name, mutant in _mutants(envelope):
                body = json.dumps(mutant).encode()
                headers = {
                    "SignatureCertChainUrl": CERT_URL,
                    "Signature-256": sign(pki.leaf.key, body),
                }
                response = session.post(server.url, data=body, headers=headers, timeout=10)
                count += 1
                if response.status_code == 200:
                    answer = DefaultSerializer().deserialize(response.text, ResponseEnvelope)
                    if not isinstance(answer, ResponseEnvelope):
                        unexpected.append(f"{name}: 200 without a response envelope")
                elif response.status_code != 400:
                    unexpected.append(f"{name}: HTTP {response.status_code}")
    assert count > 200  # the mutation walk really covered the envelopes
    assert unexpected == []
