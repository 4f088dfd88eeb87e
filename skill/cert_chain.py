"""Downloading and caching Alexa's signing chains for skill/request_verifier.py.

The verifier hands this module only a canonical URL (``https://s3.amazonaws.com/echo.api/
...``, rebuilt from checked parts). Three guards keep a client from using the download
as a lever:

- a redirect is followed only within the same scheme, host and port and under
  /echo.api/, so S3 can never be made to send us elsewhere;
- the body read is capped and the connection has a short timeout (Alexa waits ~8 s);
- :class:`ChainCache` keeps good chains by canonical URL (two spellings of one URL
  share one download) and remembers failed downloads for a while, both in bounded LRU
  maps, so a stream of bad URLs costs one download per distinct URL per minute at most,
  never one per request.
"""

from __future__ import annotations

import posixpath
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from http.client import HTTPMessage
from typing import IO, Generic, TypeVar
from urllib.parse import urlsplit

from skill import oscrypto_compat

# ask_sdk_webservice_support.verifier imports oscrypto: see skill/oscrypto_compat.py.
oscrypto_compat.install()

from ask_sdk_webservice_support.verifier import VerificationException  # noqa: E402

CERT_URL_PATH_PREFIX = "/echo.api/"
# A real chain is ~5 KB; the cap keeps a hostile URL from making us read a large object.
MAX_CHAIN_BYTES = 64 * 1024
# Alexa waits ~8 s for the whole answer (DESIGN.md section 5); the first fetch of a chain
# must leave time for the turn itself.
FETCH_TIMEOUT_S = 3.0
# Alexa rotates through a handful of chain URLs; more distinct URLs than this in a row is
# not Alexa, so a small LRU bounds memory without refetching in normal operation.
CHAIN_CACHE_SIZE = 8
# Failed downloads are remembered this long, for this many distinct URLs (a few KB).
FAILURE_TTL_S = 60.0
FAILURE_CACHE_SIZE = 1024

ChainFetcher = Callable[[str], bytes]
Parsed = TypeVar("Parsed")


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same scheme, host and port, under /echo.api/."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        old, new = urlsplit(req.full_url), urlsplit(newurl)
        same_origin = (old.scheme, old.netloc) == (new.scheme, new.netloc)
        if not same_origin or not posixpath.normpath(new.path).startswith(CERT_URL_PATH_PREFIX):
            raise urllib.error.HTTPError(
                req.full_url, code, "redirect away from the chain's origin", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SameOriginRedirects())


def fetch_chain_over_https(url: str) -> bytes:
    """Download the PEM chain at ``url`` (already made canonical by the verifier)."""
    try:
        with _OPENER.open(url, timeout=FETCH_TIMEOUT_S) as response:
            data: bytes = response.read(MAX_CHAIN_BYTES + 1)
    except (OSError, ValueError) as exc:  # URLError, HTTPError and timeouts are OSErrors
        # The type only: the message of a network error can quote the URL.
        raise VerificationException(
            f"Cannot fetch the certificate chain ({type(exc).__name__})"
        ) from exc
    if len(data) > MAX_CHAIN_BYTES:
        raise VerificationException("Certificate chain is too large")
    return data


class ChainCache(Generic[Parsed]):
    """Chains by canonical URL, plus recently failed URLs; thread-safe (waitress threads).

    ``load(url)`` returns ``parse(fetch(url))``, from memory when it can. A failure of
    either (a VerificationException) is remembered for ``failure_ttl_s`` and raised again
    without a download. ``clock`` is injectable so tests can let time pass without sleeping.
    """

    def __init__(
        self,
        fetch: ChainFetcher,
        parse: Callable[[bytes], Parsed],
        *,
        size: int = CHAIN_CACHE_SIZE,
        failure_size: int = FAILURE_CACHE_SIZE,
        failure_ttl_s: float = FAILURE_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._parse = parse
        self._size = size
        self._failure_size = failure_size
        self._failure_ttl_s = failure_ttl_s
        self._clock = clock
        self._chains: OrderedDict[str, Parsed] = OrderedDict()
        self._failures: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, url: str) -> Parsed:
        with self._lock:
            if url in self._chains:
                self._chains.move_to_end(url)
                return self._chains[url]
            failed = self._recent_failure(url)
        if failed is not None:
            raise VerificationException(failed)
        try:
            chain = self._parse(self._fetch(url))
        except VerificationException as exc:
            with self._lock:
                _put(self._failures, url, (self._clock(), str(exc)), self._failure_size)
            raise
        with self._lock:
            _put(self._chains, url, chain, self._size)
        return chain

    def _recent_failure(self, url: str) -> str | None:
        entry = self._failures.get(url)
        if entry is None:
            return None
        failed_at, message = entry
        if self._clock() - failed_at >= self._failure_ttl_s:
            del self._failures[url]
            return None
        return message


Value = TypeVar("Value")


def _put(lru: OrderedDict[str, Value], key: str, value: Value, size: int) -> None:
    lru[key] = value
    lru.move_to_end(key)
    while len(lru) > size:
        lru.popitem(last=False)
