"""The self-hosted web endpoint: Flask on waitress, with the ASK SDK's webservice support
(DESIGN.md sections 3 and 6).

It speaks plain HTTP; Alexa needs HTTPS on port 443, so a TLS proxy goes in front.

waitress (:func:`make_server`) refuses a body over 128 KiB with 413 before reading it.
A request then goes through three gates before the skill sees it, cheapest first, all in
``answer_alexa_request``:

1. shape: UTF-8 JSON that deserialises into an ask-sdk-model ``RequestEnvelope`` with a
   known request type, a request id, a time-zoned timestamp and the application id;
2. skill id: when SKILL_ID is set, the envelope must be addressed to it;
3. origin (unless ``verify=False``): signature and certificate chain
   (:class:`skill.request_verifier.AlexaSignatureVerifier`) and the 150 s timestamp window
   (the ASK SDK's ``TimestampVerifier``), run by :func:`verify_origin`.

Then :func:`dispatch` invokes the skill on the envelope the gates parsed. flask-ask-sdk's
``SkillAdapter`` is not used for any of this, although its verifier classes are: it answers
HTTP 500 for any SDK error that is not a verification failure, lets any other exception
(say, an overflow in the SDK's timestamp arithmetic) through as Flask's 500, and logs each
with its message and traceback, which may quote the request. Here every failure is a 400
logged with its type and place only, and a last error handler turns anything else into a
400 too. Every refusal happens before the skill runs, so a refused request never touches
the progress store. Every request that reaches Flask gets one JSON line in the request log
(skill/observability.py), with its HTTP status.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skill import gate, observability, oscrypto_compat

# Must run before flask_ask_sdk is imported: see skill/oscrypto_compat.py.
oscrypto_compat.install()

import waitress  # noqa: E402
from ask_sdk_core.skill import CustomSkill  # noqa: E402
from ask_sdk_model import RequestEnvelope  # noqa: E402
from ask_sdk_webservice_support.verifier import (  # noqa: E402
    AbstractVerifier,
    TimestampVerifier,
    VerificationException,
)
from flask import Flask, Response, jsonify  # noqa: E402
from flask import request as flask_request  # noqa: E402
from werkzeug.datastructures import Headers  # noqa: E402
from werkzeug.exceptions import BadRequest, HTTPException  # noqa: E402
from werkzeug.wrappers import Response as WerkzeugResponse  # noqa: E402

from skill.alexa_api.settings_api import TimeZoneLookup, alexa_time_zone  # noqa: E402
from skill.builder import build_skill  # noqa: E402
from skill.request_verifier import AlexaSignatureVerifier  # noqa: E402
from skill.settings import Settings  # noqa: E402

if TYPE_CHECKING:
    from waitress.server import BaseWSGIServer

    from skill.progress.store import ProgressStore

log = logging.getLogger(__name__)

# Alexa's requests are a few KB; anything near this is not Alexa (answered with 413).
MAX_BODY_BYTES = 128 * 1024
# Alexa's headers are well under 4 KB (waitress allows 256 KB by default).
MAX_HEADER_BYTES = 32 * 1024
CHANNEL_TIMEOUT_S = 30
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
    # Defence in depth: the server (make_server) already refuses larger bodies unread.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    verifiers = (
        [signature_verifier or AlexaSignatureVerifier(), TimestampVerifier()] if verify else []
    )
    if not verify:
        log.warning(NO_VERIFY_WARNING)

    def answer_alexa_request(body: bytes, headers: Headers) -> Response:
        """The whole request path, gate by gate, cheapest first; then the skill."""
        envelope = parse_envelope(body, skill)
        check_skill_id(envelope, settings.skill_id)
        verify_origin(verifiers, headers, body, envelope)
        return dispatch(skill, envelope)

    @app.post(ROUTE)
    def alexa() -> Response:
        return answer_alexa_request(flask_request.get_data(cache=True), flask_request.headers)

    _answer_errors_as_json(app)
    _log_each_request(app)
    return app


def _log_each_request(app: Flask) -> None:
    # after_request also sees the responses of the error handlers (400, 405, 413 ...).
    @app.before_request
    def open_line() -> None:
        observability.begin("web")

    @app.after_request
    def write_line(response: WerkzeugResponse) -> WerkzeugResponse:
        observability.end(status=response.status_code)
        return response


def _answer_errors_as_json(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> WerkzeugResponse:
        # JSON for every refusal (400, 405, 413 ...), keeping headers such as Allow. The
        # descriptions are ours and never quote the request, so they are safe to log.
        log.info("refused with %s: %s", error.code, error.description)
        response = error.get_response()
        response.set_data(json.dumps({"error": error.name, "message": error.description}))
        response.mimetype = "application/json"
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> WerkzeugResponse:
        # Nothing a request carries may make a 500 (DESIGN.md section 3): whatever slipped
        # past the gates is refused. Type and place only; a message may quote the request.
        log.error("refused after %s at %s", type(error).__name__, _place(error))
        observability.failed()
        return http_error(BadRequest("The request could not be handled"))


def make_server(app: Flask, *, host: str, port: int) -> BaseWSGIServer:
    """waitress serving ``app``, refusing bodies over MAX_BODY_BYTES before reading them.

    Without the limit waitress buffers up to 1 GiB per request (its default) before Flask
    can look at the length; with it, waitress answers 413 itself and the app never runs.
    """
    server: BaseWSGIServer = waitress.create_server(
        app,
        host=host,
        port=port,
        # waitress refuses a body of max_request_body_size bytes or more: +1 lets a body
        # of exactly MAX_BODY_BYTES through, as Flask's MAX_CONTENT_LENGTH does.
        max_request_body_size=MAX_BODY_BYTES + 1,
        max_request_header_size=MAX_HEADER_BYTES,
        # An idle or trickling connection is dropped long after Alexa's 8 s are over.
        channel_timeout=CHANNEL_TIMEOUT_S,
        ident="movement-snacks",
    )
    return server


def verify_origin(
    verifiers: Sequence[AbstractVerifier],
    headers: Headers,
    body: bytes,
    envelope: RequestEnvelope,
) -> None:
    """Signature, chain and timestamp; any failure in them, expected or not, is a 400."""
    text = body.decode("utf-8")  # parse_envelope has proven it is UTF-8
    for verifier in verifiers:
        try:
            verifier.verify(
                headers=headers, serialized_request_env=text, deserialized_request_env=envelope
            )
        except VerificationException as exc:
            log.info("verification failed: %s", exc)
            raise BadRequest("Incoming request failed verification") from exc
        except Exception as exc:  # e.g. a timestamp the SDK's arithmetic cannot take
            log.warning("verification failed with %s at %s", type(exc).__name__, _place(exc))
            raise BadRequest("Incoming request failed verification") from exc


def dispatch(skill: CustomSkill, envelope: RequestEnvelope) -> Response:
    """Run the skill on the envelope the gates let through and answer its response."""
    try:
        response = skill.invoke(request_envelope=envelope, context=None)
        payload = skill.serializer.serialize(response)
    except Exception as exc:  # the skill's own handlers answer everything they can
        log.error("the skill failed with %s at %s", type(exc).__name__, _place(exc))
        observability.failed()
        raise BadRequest("The skill could not handle this request") from exc
    return jsonify(payload)


def _place(error: BaseException) -> str:
    """Where an exception was raised (module:line of its innermost frame)."""
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    if trace is None:
        return "unknown"
    return f"{trace.tb_frame.f_globals.get('__name__', '?')}:{trace.tb_lineno}"


def parse_envelope(body: bytes, skill: CustomSkill) -> RequestEnvelope:
    """Deserialise ``body`` as Alexa would send it, or raise BadRequest saying what is wrong."""
    try:
        text = body.decode("utf-8")
        payload = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadRequest("Body is not UTF-8 JSON") from exc
    observability.describe(payload)
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
