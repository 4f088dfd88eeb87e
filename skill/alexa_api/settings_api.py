"""The user's time zone from the Alexa Settings API (System.timeZone).

One short HTTP call per session at most (the caller keeps the answer in the
session). A request that cannot ask (no token, no device, a forged or unknown
apiEndpoint) gives None, as does every retry of it; a call that was made and failed
(a timeout, an error status, a name that is not a zone) raises
:class:`TimeZoneLookupFailed`, since a retry of the same request may get an answer.
Either way the caller falls back to the stored zone, then UTC.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_model import RequestEnvelope

from skill.alexa_api.endpoints import Endpoints
from skill.progress.localtime import zone

log = logging.getLogger(__name__)

TimeZoneLookup = Callable[[RequestEnvelope], str | None]


class TimeZoneLookupFailed(Exception):
    """The Settings API was asked and gave no zone: a retry might learn another day."""


class SettingsApi:
    """Reads device settings through the SDK's ``UpsServiceClient`` and our ApiClient."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints

    def time_zone(self, envelope: RequestEnvelope) -> str | None:
        """GET {apiEndpoint}/v2/devices/{deviceId}/settings/System.timeZone."""
        system = envelope.context.system if envelope.context else None
        device = getattr(getattr(system, "device", None), "device_id", None)
        token = getattr(system, "api_access_token", None)
        if not (isinstance(device, str) and device and isinstance(token, str) and token):
            return None
        base = self.endpoints.base_for(getattr(system, "api_endpoint", None))
        if base is None:
            log.warning("time zone lookup skipped: apiEndpoint is not an Alexa API host")
            return None
        from ask_sdk_core.exceptions import AskSdkException
        from ask_sdk_core.serialize import DefaultSerializer
        from ask_sdk_model.services import ApiConfiguration, ServiceException
        from ask_sdk_model.services.ups import UpsServiceClient

        from skill.alexa_api.client import ApiCallError, UrllibApiClient

        config = ApiConfiguration(
            serializer=DefaultSerializer(),
            api_client=UrllibApiClient(self.endpoints),
            authorization_value=token,
            api_endpoint=base,
        )
        try:
            name = UpsServiceClient(config).get_system_time_zone(device)
        except (ServiceException, AskSdkException, ApiCallError, ValueError, TypeError) as exc:
            log.info("time zone lookup failed: %s", type(exc).__name__)
            raise TimeZoneLookupFailed from exc
        if not isinstance(name, str) or str(zone(name)) != name:
            raise TimeZoneLookupFailed
        return name


_ALEXA_ONLY = SettingsApi(Endpoints.for_test_endpoint(None))


def alexa_time_zone(envelope: RequestEnvelope) -> str | None:
    """The lookup against Alexa's own API hosts only (no test base)."""
    return _ALEXA_ONLY.time_zone(envelope)


def no_lookup(envelope: RequestEnvelope) -> str | None:
    """For runs without Alexa's API (the terminal chat): the stored zone or UTC is used."""
    return None
