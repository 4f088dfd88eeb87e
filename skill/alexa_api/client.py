"""The ASK SDK ``ApiClient`` our service clients use: urllib, a short timeout, no redirects.

The SDK's service clients (``UpsServiceClient`` now, the reminders client later)
build the request and parse the answer; this class only carries it, and only to an
origin :class:`~skill.alexa_api.endpoints.Endpoints` allows. A redirect is never
followed: it would carry the Authorization header to wherever it points.
"""

from __future__ import annotations

import json

from ask_sdk_model.services.api_client import ApiClient
from ask_sdk_model.services.api_client_request import ApiClientRequest
from ask_sdk_model.services.api_client_response import ApiClientResponse

from skill.alexa_api.endpoints import Endpoints

# Alexa waits 8 s for the whole answer; a service call gets a small share of it.
TIMEOUT_S = 1.0
# Settings answers are tiny; reminders lists stay well under this.
MAX_BODY_BYTES = 64 * 1024


class ApiCallError(Exception):
    """The call was refused here or did not complete (no HTTP status to report)."""


def _encoded(body: object) -> bytes | None:
    """The request body as sent: the SDK's serializer hands over a dict for JSON bodies."""
    if body is None:
        return None
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body).encode()


class UrllibApiClient(ApiClient):  # type: ignore[misc]
    def __init__(self, endpoints: Endpoints, timeout_s: float = TIMEOUT_S) -> None:
        self.endpoints = endpoints
        self.timeout_s = timeout_s

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        # urllib is imported here: most turns never call an Alexa API.
        from urllib.error import HTTPError, URLError
        from urllib.request import HTTPRedirectHandler, Request, build_opener

        class NoRedirects(HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        url = request.url
        if not isinstance(url, str) or not self.endpoints.permits(url):
            raise ApiCallError("endpoint not allowed")
        body = _encoded(request.body)
        outgoing = Request(url, data=body, method=request.method or "GET")
        for name, value in request.headers or []:
            outgoing.add_header(name, value)
        opener = build_opener(NoRedirects())
        try:
            with opener.open(outgoing, timeout=self.timeout_s) as answer:
                return ApiClientResponse(
                    headers=list(answer.headers.items()),
                    body=answer.read(MAX_BODY_BYTES).decode("utf-8", "replace"),
                    status_code=answer.status,
                )
        except HTTPError as exc:
            # An error status is an answer: the service client maps it to its error type.
            # Its body names the error (e.g. the Reminders API's MAX_REMINDERS_EXCEEDED).
            headers = list(exc.headers.items()) if exc.headers else []
            try:
                error_body = exc.read(MAX_BODY_BYTES).decode("utf-8", "replace") or None
            except OSError:
                error_body = None
            finally:
                exc.close()
            return ApiClientResponse(headers, error_body, exc.code)
        except (URLError, OSError, ValueError) as exc:
            raise ApiCallError(type(exc).__name__) from exc
