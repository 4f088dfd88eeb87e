"""Whatever breaks behind the gates, the endpoint answers 400, never 500, and logs only
the failure's type and place.

flask-ask-sdk answers 500 for any SDK error during dispatch and lets every other
exception through as Flask's 500; the SDK's timestamp check can raise on arithmetic.
Faults are injected at those three places and the answer is read over real HTTP.
Prevents: "There was a problem with the requested skill's response" for a request that
was malformed in a way no gate foresaw, and a log line quoting what the request carried.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests
from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_webservice_support.verifier import TimestampVerifier

from tests.web.alexa_pki import FakeAlexaPki, sign
from tests.web.support import CERT_URL, RecordingStore, Server, launch_body

SECRET = "amzn1.ask.account.must-never-be-logged"


def _raise(error: Exception) -> Any:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    return fail


FAULTS = {
    "SDK error in dispatch": (CustomSkill, "invoke", AskSdkException(SECRET)),
    "other error in dispatch": (CustomSkill, "invoke", KeyError(SECRET)),
    "timestamp arithmetic": (TimestampVerifier, "verify", OverflowError(SECRET)),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_failure_behind_the_gates_is_a_400_logged_without_its_message(
    server: Server,
    pki: FakeAlexaPki,
    saved: RecordingStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    fault: tuple[type, str, Exception],
) -> None:
    owner, method, error = fault
    monkeypatch.setattr(owner, method, _raise(error))
    body = launch_body()
    headers = {"Signature-256": sign(pki.leaf.key, body), "SignatureCertChainUrl": CERT_URL}

    with caplog.at_level(logging.INFO):
        response = requests.post(server.url, data=body, headers=headers, timeout=10)

    assert response.status_code == 400, response.text
    assert response.json()["error"] == "Bad Request"
    assert saved.saves == []
    assert SECRET not in caplog.text and SECRET not in response.text
