"""The user's time zone from the Alexa Settings API (System.timeZone).

One short HTTP call per session at most (the answer is cached in the session);
any failure (no token, no device, timeout, an error status, a name that is not a
zone) gives None, and the caller falls back to the stored zone, then UTC.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from urllib.parse import quote

from ask_sdk_model import RequestEnvelope

from skill.progress.localtime import zone

log = logging.getLogger(__name__)

SETTINGS_TIMEOUT_S = 1.0
TimeZoneLookup = Callable[[RequestEnvelope], str | None]


def alexa_time_zone(envelope: RequestEnvelope) -> str | None:
    """GET {apiEndpoint}/v2/devices/{deviceId}/settings/System.timeZone with the request token."""
    system = envelope.context.system if envelope.context else None
    device = getattr(getattr(system, "device", None), "device_id", None)
    token = getattr(system, "api_access_token", None)
    endpoint = getattr(system, "api_endpoint", None)
    if not (isinstance(device, str) and isinstance(token, str) and isinstance(endpoint, str)):
        return None
    if not (device and token and endpoint):
        return None
    # urllib is imported here: most turns never call the Settings API.
    from urllib.error import URLError
    from urllib.request import Request, urlopen

    url = f"{endpoint.rstrip('/')}/v2/devices/{quote(device, safe='')}/settings/System.timeZone"
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    request = Request(url, headers=headers)
    try:
        with urlopen(request, timeout=SETTINGS_TIMEOUT_S) as response:
            name = json.loads(response.read(1024))
    except (URLError, OSError, ValueError) as exc:
        log.info("time zone lookup failed: %s", type(exc).__name__)
        return None
    if not isinstance(name, str) or str(zone(name)) != name:
        return None
    return name


def no_lookup(envelope: RequestEnvelope) -> str | None:
    """For runs without Alexa's API (the terminal chat): the stored zone or UTC is used."""
    return None
