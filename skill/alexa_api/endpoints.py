"""Where a request's apiAccessToken may go: an allow-list of canonical base URLs.

The token is a bearer credential for the user's Alexa data, and the envelope's
apiEndpoint is request data: a forged request could name any host. So the token
goes only to https://api.amazonalexa.com, https://api.eu.amazonalexa.com,
https://api.fe.amazonalexa.com, or to the one loopback http base in
ALEXA_API_TEST_ENDPOINT (tests and local stand-ins). URLs are compared by their
parsed parts (scheme, host, port), never by prefix, and requests go to a URL
rebuilt from those parts, so user info, paths, queries and odd characters cannot
smuggle another host in.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

log = logging.getLogger(__name__)

ALEXA_API_BASES = (
    "https://api.amazonalexa.com",
    "https://api.eu.amazonalexa.com",
    "https://api.fe.amazonalexa.com",
)
DEFAULT_PORTS = {"https": 443, "http": 80}
MAX_URL_LENGTH = 200

Origin = tuple[str, str, int]


def _parts(url: object) -> SplitResult | None:
    """The parts of a plain base URL, or None if it carries anything else."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        return None
    if not url.isprintable() or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError on a malformed port)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if "@" in parts.netloc or parts.query or parts.fragment or "?" in url or "#" in url:
        return None
    if parts.path not in ("", "/"):
        return None
    return parts


def origin(url: object) -> Origin | None:
    """(scheme, host, port) of a plain base URL such as an apiEndpoint, else None."""
    parts = _parts(url)
    if parts is None or parts.hostname is None:
        return None
    return parts.scheme, parts.hostname.lower(), parts.port or DEFAULT_PORTS[parts.scheme]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def loopback_test_origin(value: str | None) -> Origin | None:
    """The origin of ALEXA_API_TEST_ENDPOINT if it is a loopback http base URL.

    Anything else is refused with a warning that does not repeat the value.
    """
    if not value:
        return None
    found = origin(value)
    if found is None or found[0] != "http" or not _is_loopback(found[1]):
        log.warning("ALEXA_API_TEST_ENDPOINT ignored: it must be a loopback http base URL")
        return None
    return found


@dataclass(frozen=True)
class Endpoints:
    """The origins allowed to receive an apiAccessToken."""

    allowed: frozenset[Origin]

    @classmethod
    def for_test_endpoint(cls, test_endpoint: str | None = None) -> Endpoints:
        bases = {origin(base) for base in ALEXA_API_BASES}
        bases.add(loopback_test_origin(test_endpoint))
        return cls(frozenset(b for b in bases if b is not None))

    def base_for(self, api_endpoint: object) -> str | None:
        """The base URL rebuilt from ``api_endpoint``'s parts, if it may get the token."""
        found = origin(api_endpoint)
        if found is None or found not in self.allowed:
            return None
        scheme, host, port = found
        netloc = f"[{host}]" if ":" in host else host
        if port != DEFAULT_PORTS[scheme]:
            netloc = f"{netloc}:{port}"
        return f"{scheme}://{netloc}"

    def permits(self, url: str) -> bool:
        """Whether a full request URL goes to an allowed origin (no user info)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        if "@" in parts.netloc or parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            return False
        found = (parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme])
        return found in self.allowed
