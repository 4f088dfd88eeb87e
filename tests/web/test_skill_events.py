"""Skill events over the web endpoint keep their body, like the Lambda path.

Prevents: the web path dropping SkillDisabled's userInformationPersistenceStatus
(ask-sdk-model has no field for it) and so deleting data the user keeps.
"""

from __future__ import annotations

import json

import pytest

from skill.chat.envelopes import Conversation, to_json
from skill.turn.identity import user_key
from tests.conftest import skill_disabled_event
from tests.web.alexa_pki import FakeAlexaPki
from tests.web.support import SKILL_ID, RecordingStore, Server
from tests.web.test_endpoint import signed_post

USER = "amzn1.ask.account.WEBEVENTS"


@pytest.mark.parametrize(("status", "kept"), [("PERSISTED", True), ("NOT_PERSISTED", False)])
def test_skill_disabled_through_the_web_keeps_data_only_when_it_persists(
    server: Server, pki: FakeAlexaPki, saved: RecordingStore, status: str, kept: bool
) -> None:
    launch = to_json(Conversation(skill_id=SKILL_ID, user_id=USER).launch())
    assert signed_post(server, pki, json.dumps(launch).encode()).status_code == 200
    key = user_key("movement-snacks", USER)
    assert saved.inner.load(key).disclaimer_heard

    response = signed_post(
        server, pki, json.dumps(skill_disabled_event(USER, status, SKILL_ID)).encode()
    )

    assert response.status_code == 200, response.text
    assert saved.inner.load(key).disclaimer_heard is kept
