"""A generated stand-in for Alexa's signing PKI: root CA -> intermediate -> echo-api leaf.

The certificates follow the public Web PKI profile that Amazon's real chain follows
(basicConstraints, keyUsage, serverAuth EKU, key identifiers, SAN), so the production
chain validation in skill/request_verifier.py runs unchanged against them; only the trust
store and the place the PEM comes from differ.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ALEXA_DOMAIN = "echo-api.amazon.com"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Movement Snacks Test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass(frozen=True)
class Issuer:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey


def _builder(
    subject: x509.Name,
    issuer_name: x509.Name,
    public_key: rsa.RSAPublicKey,
    not_before: datetime,
    not_after: datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def make_root(common_name: str) -> Issuer:
    key = _key()
    now = datetime.now(UTC)
    cert = (
        _builder(
            _name(common_name),
            _name(common_name),
            key.public_key(),
            now - timedelta(days=365),
            now + timedelta(days=3650),
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Issuer(cert, key)


def make_intermediate(root: Issuer, common_name: str) -> Issuer:
    key = _key()
    now = datetime.now(UTC)
    cert = (
        _builder(
            _name(common_name),
            root.cert.subject,
            key.public_key(),
            now - timedelta(days=30),
            now + timedelta(days=1000),
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .add_extension(_authority_key_id(root), critical=False)
        .sign(root.key, hashes.SHA256())
    )
    return Issuer(cert, key)


def make_leaf(
    issuer: Issuer,
    *,
    dns_name: str = ALEXA_DOMAIN,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> Issuer:
    """An echo-api signing certificate; pass past dates for an expired one."""
    key = _key()
    now = datetime.now(UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        _builder(
            x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns_name)]),
            issuer.cert.subject,
            key.public_key(),
            not_before or now - timedelta(days=1),
            not_after or now + timedelta(days=200),
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
        .add_extension(_authority_key_id(issuer), critical=False)
        .sign(issuer.key, hashes.SHA256())
    )
    return Issuer(cert, key)


def _authority_key_id(issuer: Issuer) -> x509.AuthorityKeyIdentifier:
    ski = issuer.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def chain_pem(*certs: x509.Certificate) -> bytes:
    """The PEM file Amazon serves: leaf first, then the intermediates."""
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certs)


def sign(key: rsa.RSAPrivateKey, body: bytes) -> str:
    """The Signature-256 header value Alexa sends for ``body``."""
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


@dataclass(frozen=True)
class FakeAlexaPki:
    """The trusted hierarchy plus the broken variants the endpoint must refuse."""

    root: Issuer
    intermediate: Issuer
    leaf: Issuer
    expired_leaf: Issuer
    wrong_name_leaf: Issuer
    untrusted_intermediate: Issuer
    untrusted_leaf: Issuer

    @classmethod
    def generate(cls) -> FakeAlexaPki:
        root = make_root("Test Root CA")
        intermediate = make_intermediate(root, "Test Signing CA")
        rogue_root = make_root("Rogue Root CA")
        rogue_intermediate = make_intermediate(rogue_root, "Test Signing CA")
        long_ago = datetime.now(UTC) - timedelta(days=400)
        return cls(
            root=root,
            intermediate=intermediate,
            leaf=make_leaf(intermediate),
            expired_leaf=make_leaf(
                intermediate, not_before=long_ago, not_after=long_ago + timedelta(days=90)
            ),
            wrong_name_leaf=make_leaf(intermediate, dns_name="echo-api.example.com"),
            untrusted_intermediate=rogue_intermediate,
            untrusted_leaf=make_leaf(rogue_intermediate),
        )
