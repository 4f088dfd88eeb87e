"""Checks that a request to the web endpoint really comes from Alexa.

Implements Amazon's rules for skills hosted as a web service ("Verifying that the request
was sent by Alexa"): the ``SignatureCertChainUrl`` must be https://s3.amazonaws.com/echo.api/
(port 443), and here also free of user info, query, fragment, escapes, whitespace and
control characters (:func:`canonical_cert_url`); only the URL rebuilt from its checked parts
is fetched (skill/cert_chain.py: same-origin redirects only, bounded caches of good chains
and of failed downloads); the chain found there must be valid now, lead to a trusted root
and name echo-api.amazon.com in the leaf's subjectAltName; the ``Signature-256`` header must
be the leaf key's RSA PKCS#1 v1.5 SHA-256 signature of the exact body bytes.

Why not ask_sdk_webservice_support's own RequestVerifier: its chain check goes through
certvalidator (no release since 0.11.1 in 2019), which takes its roots from oscrypto's OS trust
list and accepts no others, so the chain logic could not be proven with a generated test
root without patching its internals; and several client inputs crash it into an HTTP 500
(a signature that is not base64, a chain URL that cannot be fetched, a leaf without
subjectAltName), while its ``urlopen`` has no timeout. Here the chain is checked with
cryptography's maintained path validation (``cryptography.x509.verification``) against
certifi's roots, every failure, expected or not, is a ``VerificationException`` (HTTP 400),
and the trust store and the chain fetcher are constructor arguments, so tests run this
very code with a generated root and an in-memory chain.

The legacy SHA-1 ``Signature`` header is deliberately not accepted: Alexa sends
``Signature-256`` with every request and the ASK SDK (1.3.3+) verifies only that one.
"""

from __future__ import annotations

import base64
import binascii
import logging
import posixpath
import re
import warnings
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from skill import oscrypto_compat

# ask_sdk_webservice_support.verifier imports oscrypto: see skill/oscrypto_compat.py.
oscrypto_compat.install()

from ask_sdk_webservice_support.verifier import (  # noqa: E402
    AbstractVerifier,
    VerificationException,
)

from skill.cert_chain import ChainCache, ChainFetcher, fetch_chain_over_https  # noqa: E402

log = logging.getLogger(__name__)
Chain = tuple[x509.Certificate, tuple[x509.Certificate, ...]]

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
ALEXA_SIGNING_DOMAIN = "echo-api.amazon.com"

# What a SignatureCertChainUrl may hold: printable ASCII without space, "%" and "\\"
# (Alexa's URLs are plain; anything else is a way to make the fetched URL differ).
_URL_CHARACTERS = re.compile(r"[\x21-\x24\x26-\x5b\x5d-\x7e]{1,2048}")


def load_certifi_store() -> Store:
    """The public roots Alexa's signing chain leads to (Amazon Root CA 1 among them)."""
    import certifi

    with open(certifi.where(), "rb") as bundle:
        return Store(list(_parse_each(bundle.read())))


def _parse_each(pem_bundle: bytes) -> Iterable[x509.Certificate]:
    """Parse certificates one by one, skipping any that this cryptography release rejects,
    so one odd root in a CA bundle cannot make every request fail."""
    end = b"-----END CERTIFICATE-----"
    for block in pem_bundle.split(end)[:-1]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. negative serial numbers in old roots
            try:
                yield x509.load_pem_x509_certificate(block + end)
            except ValueError:
                continue


def canonical_cert_url(url: str) -> str:
    """Amazon's rules for SignatureCertChainUrl, strictly; returns the one URL to fetch.

    Amazon's rules: https, host s3.amazonaws.com (any case), port 443 if given, and a
    path under /echo.api/ once dot segments are resolved (the path is case-sensitive).
    On top of them: no user info, query, fragment, percent escape, whitespace, control
    or non-ASCII character. Such URLs are never Alexa's, and each is a way to make the
    fetched URL differ from the checked one (``s3.amazonaws.com@evil``, a ``\\t`` that
    urlsplit drops, ``%2e%2e`` that S3 decodes after our check). The result is rebuilt
    from the checked parts, so nothing the client wrote beyond them is ever fetched.
    Raises VerificationException, with a message that never quotes the URL.
    """
    if not isinstance(url, str) or not _URL_CHARACTERS.fullmatch(url):
        raise VerificationException("Certificate URL holds characters no Alexa URL has")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise VerificationException("Certificate URL is malformed") from exc
    if parts.scheme != "https":  # urlsplit lowercases the scheme
        raise VerificationException("Certificate URL must use https")
    if "@" in parts.netloc:
        raise VerificationException("Certificate URL may not hold user info")
    if (parts.hostname or "").lower() != CERT_URL_HOST:
        raise VerificationException(f"Certificate URL host must be {CERT_URL_HOST}")
    if port not in (None, 443):
        raise VerificationException("Certificate URL port must be 443")
    if "?" in url or "#" in url:
        raise VerificationException("Certificate URL may not hold a query or fragment")
    # Normalise "/echo.api/../evil" before checking the prefix; the path is case-sensitive.
    path = posixpath.normpath(parts.path)
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationException(f"Certificate URL path must start with {CERT_URL_PATH_PREFIX}")
    return f"https://{CERT_URL_HOST}{path}"


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return str(value)
    return None


class AlexaSignatureVerifier(AbstractVerifier):  # type: ignore[misc]
    """Verifies the signature headers of one request; plug into flask-ask-sdk's verifiers.

    Example (production defaults)::

        SkillAdapter(skill, skill_id, verifiers=[AlexaSignatureVerifier()])
    """

    def __init__(
        self,
        *,
        trust_store: Store | None = None,
        fetch_chain: ChainFetcher = fetch_chain_over_https,
        chains: ChainCache[Chain] | None = None,
    ) -> None:
        """``chains`` overrides the cache built around ``fetch_chain`` (tests pass one
        with their own clock)."""
        self._trust_store = trust_store or load_certifi_store()
        self._chains = chains or ChainCache(fetch_chain, parse_chain)

    def verify(
        self,
        headers: Mapping[str, Any],
        serialized_request_env: str,
        deserialized_request_env: object,
    ) -> None:
        """Raises VerificationException, and only that, for every request it refuses."""
        try:
            self._verify(headers, serialized_request_env)
        except VerificationException:
            raise
        except Exception as exc:  # whatever else a crafted request trips is still refused
            log.warning("verification failed with %s", type(exc).__name__)
            raise VerificationException("Request could not be verified") from exc

    def _verify(self, headers: Mapping[str, Any], body: str) -> None:
        cert_url = _header(headers, CERT_URL_HEADER)
        signature = _header(headers, SIGNATURE_HEADER)
        if not cert_url or not signature:
            raise VerificationException("Missing Signature-256 or SignatureCertChainUrl header")
        leaf = self._verified_leaf(canonical_cert_url(cert_url))
        _check_signature(leaf, signature, body.encode("utf-8"))

    def _verified_leaf(self, cert_url: str) -> x509.Certificate:
        leaf, intermediates = self._chains.load(cert_url)
        # Build the policy per request: the chain is cached, but "valid now" is not.
        verifier = (
            PolicyBuilder()
            .store(self._trust_store)
            .time(datetime.now(UTC))
            .build_server_verifier(x509.DNSName(ALEXA_SIGNING_DOMAIN))
        )
        try:
            verifier.verify(leaf, list(intermediates))
        except VerificationError as exc:
            raise VerificationException(f"Certificate chain is not valid: {exc}") from exc
        _check_leaf_names_and_usage(leaf)
        return leaf


def parse_chain(pem: bytes) -> Chain:
    """The leaf and the intermediates of a PEM chain, as Amazon serves it (leaf first)."""
    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        raise VerificationException("Certificate chain is not PEM") from exc
    return certs[0], tuple(certs[1:])


def _check_leaf_names_and_usage(leaf: x509.Certificate) -> None:
    """Amazon asks for the exact name (no wildcard) and the key must be allowed to sign."""
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound as exc:
        raise VerificationException("Signing certificate has no subjectAltName") from exc
    if ALEXA_SIGNING_DOMAIN not in names.get_values_for_type(x509.DNSName):
        raise VerificationException(f"{ALEXA_SIGNING_DOMAIN} missing from subjectAltName")
    try:
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not usage.digital_signature:
        raise VerificationException("Signing certificate may not sign")


def _check_signature(leaf: x509.Certificate, signature: str, body: bytes) -> None:
    try:
        decoded = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VerificationException("Signature-256 is not base64") from exc
    public_key = leaf.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise VerificationException("Signing certificate does not hold an RSA key")
    try:
        public_key.verify(decoded, body, padding.PKCS1v15(), SHA256())
    except InvalidSignature as exc:
        raise VerificationException("Signature does not match the request body") from exc
