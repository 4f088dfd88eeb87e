"""The self-hosted web endpoint: Flask + flask-ask-sdk (DESIGN.md sections 3 and 6).

It speaks plain HTTP; Alexa needs HTTPS on port 443, so a TLS proxy goes in front.

A request goes through three gates before the skill sees it, cheapest first:

1. shape: UTF-8 JSON that deserialises into an ask-sdk-model ``RequestEnvelope`` with a
   known request type, a request id, a time-zoned timestamp and the application id;
2. skill id: when SKILL_ID is set, the envelope must be addressed to it;
3. origin (unless ``verify=False``): signature and certificate chain
   (:class:`skill.request_verifier.AlexaSignatureVerifier`) and the 150 s timestamp window
   (the ASK SDK's ``TimestampVerifier``, run by flask-ask-sdk's ``SkillAdapter``).

Gates 1 and 2 exist because flask-ask-sdk answers HTTP 500 for any SDK error that is not a
verification failure: a body that is not an envelope, or an envelope for another skill,
would otherwise be a server error. Every refusal is an HTTP 400 before the skill runs, so
a refused request never touches the progress store.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skill import gate, oscrypto_compat

# Must run before flask_ask_sdk is imported: see skill/oscrypto_compat.py.
oscrypto_compat.install()

from ask_sdk_core.skill import CustomSkill  # noqa: E402
from ask_sdk_model import RequestEnvelope  # noqa: E402
from flask import Flask, Response  # noqa: E402
from flask import request as flask_request  # noqa: E402
from flask_ask_sdk.skill_adapter import (  # noqa: E402
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    SkillAdapter,
)
from werkzeug.exceptions import BadRequest, HTTPException  # noqa: E402
from werkzeug.wrappers import Response as WerkzeugResponse  # noqa: E402

from skill.builder import build_skill  # noqa: E402
from skill.handlers.timezone import TimeZoneLookup, alexa_time_zone  # noqa: E402
from skill.request_verifier import AlexaSignatureVerifier  # noqa: E402
from skill.settings import Settings  # noqa: E402

if TYPE_CHECKING:
    from skill.progress.store import ProgressStore

log = logging.getLogger(__name__)

# Alexa's requests are a few KB; anything near this is not Alexa (answered with 413).
MAX_BODY_BYTES = 128 * 1024
ROUTE = "/"

NO_VERIFY_WARNING = (
    "\n" + "!" * 72 + "\n"
    "!! REQUEST VERIFICATION IS OFF (--no-verify).\n"
    "!! Anyone who can reach this port can act as Alexa and as any user.\n"
    "!! Use this only on loopback for local testing; never expose it.\n" + "!" * 72
)


def create_app(
    settings: Settings,
    store: ProgressStore,
    *,
    verify: bool = True,
    signature_verifier: AlexaSignatureVerifier | None = None,
    time_zones: TimeZoneLookup = alexa_time_zone,
) -> Flask:
    """The Flask app serving the skill built by ``skill.builder.build_skill``.

    ``signature_verifier`` defaults to the production one (certifi roots, chain fetched
    over https from Amazon's S3); tests pass one with a generated root and chain.
    ``time_zones`` is passed to the builder: Alexa's Settings API unless tests say not.
    """
    skill = build_skill(settings, store, time_zones=time_zones)
    app = Flask("movement_snacks")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    # The SDK's own signature verifier is replaced (skill/request_verifier.py explains why);
    # its timestamp verifier is kept.
    app.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    app.config[VERIFY_TIMESTAMP_APP_CONFIG] = verify
    verifiers = [signature_verifier or AlexaSignatureVerifier()] if verify else []
    if not verify:
        log.warning(NO_VERIFY_WARNING)
    # flask-ask-sdk only uses skill_id to name the adapter in app.extensions.
    adapter = SkillAdapter(
        skill=skill, skill_id=settings.skill_id or "movement-snacks", verifiers=verifiers, app=app
    )

    @app.post(ROUTE)
    def alexa() -> Response:
        envelope = parse_envelope(flask_request.get_data(cache=True), skill)
        check_skill_id(envelope, settings.skill_id)
        # The adapter deserialises the (cached) body once more, runs the
        # verifiers, invokes the skill and maps VerificationException to 400.
        response: Response = adapter.dispatch_request()
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> WerkzeugResponse:
        # JSON for every refusal (400, 405, 413 ...), keeping headers such as Allow. The
        # descriptions are ours and never quote the request, so they are safe to log.
        log.info("refused with %s: %s", error.code, error.description)
        response = error.get_response()
        response.set_data(json.dumps({"error": error.name, "message": error.description}))
        response.mimetype = "application/json"
        return response

    return app


def parse_envelope(body: bytes, skill: CustomSkill) -> RequestEnvelope:
    """Deserialise ``body`` as Alexa would send it, or raise BadRequest saying what is wrong."""
    try:
        text = body.decode("utf-8")
        payload = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadRequest("Body is not UTF-8 JSON") from exc
    _require_envelope_fields(payload)
    if (reason := gate.refusal(payload)) is not None:
        raise BadRequest(reason)
    try:
        envelope = skill.serializer.deserialize(payload=text, obj_type=RequestEnvelope)
    except Exception as exc:  # the SDK wraps some failures, not all: all are the client's
        raise BadRequest("Body is not an Alexa request envelope") from exc
    # An unknown request type already failed above (no ask-sdk-model class to map it to).
    timestamp = envelope.request.timestamp
    if not isinstance(timestamp, datetime) or timestamp.tzinfo is None:
        # Alexa always sends UTC ("...Z"); a naive time would crash the timestamp check.
        raise BadRequest("request.timestamp must be an ISO 8601 time with a zone")
    return envelope


# Every Alexa request carries these strings, and this endpoint relies on each of them.
REQUIRED_FIELDS = (
    ("version",),
    ("request", "type"),
    ("request", "requestId"),
    ("request", "timestamp"),
    ("context", "System", "application", "applicationId"),
)


def _require_envelope_fields(payload: Any) -> None:
    if not isinstance(payload, dict):
        raise BadRequest("Body is not a JSON object")
    missing = [".".join(path) for path in REQUIRED_FIELDS if _string_at(payload, path) is None]
    if missing:
        raise BadRequest("Not an Alexa request envelope; missing: " + ", ".join(missing))


def _string_at(node: Any, path: tuple[str, ...]) -> str | None:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node if isinstance(node, str) else None


def check_skill_id(envelope: RequestEnvelope, skill_id: str | None) -> None:
    """Refuse requests for another skill (the SDK would raise, and flask-ask-sdk answer 500)."""
    if skill_id is None:
        return
    if envelope.context.system.application.application_id != skill_id:
        raise BadRequest("Request is for another skill")
