"""Upload a build to S3, sending only the files whose content changed.

Rendered files carry a content digest in their names, so browsers, CDNs and Alexa
may cache them for a year; the manifest keeps a stable name and is revalidated,
and it is uploaded last, so a reader never sees a manifest naming a missing file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from audio.build import MANIFEST_NAME
from skill.speech.audio_manifest import parse_manifest

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


class PublishError(RuntimeError):
    """The build on disk does not match its manifest: nothing more is uploaded."""


@dataclass
class PublishReport:
    uploaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def default_client() -> S3Client:
    import boto3
    from botocore.config import Config

    # Short timeouts and bounded, standard-mode retries: a stuck upload fails loudly.
    config = Config(
        connect_timeout=5, read_timeout=60, retries={"max_attempts": 5, "mode": "standard"}
    )
    return boto3.client("s3", config=config)


def _remote_etags(client: S3Client, bucket: str, prefix: str) -> dict[str, str]:
    etags = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            etags[item["Key"]] = item["ETag"].strip('"')
    return etags


def publish(
    out_dir: Path, bucket: str, prefix: str = "", client: S3Client | None = None
) -> PublishReport:
    """Upload the manifest's files and then the manifest itself, skipping unchanged ones."""
    client = client or default_client()
    prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
    manifest_bytes = (out_dir / MANIFEST_NAME).read_bytes()
    manifest = parse_manifest(manifest_bytes.decode("utf-8"))
    # A single-part upload's ETag is the MD5 of its content: equal means unchanged.
    remote = _remote_etags(client, bucket, prefix)
    report = PublishReport()
    uploads: list[tuple[str, bytes, str, str]] = []
    for part in manifest.files():
        data = (out_dir / part.file).read_bytes()
        if hashlib.sha256(data).hexdigest() != part.sha256:
            raise PublishError(f"{part.file} does not match the manifest: rebuild first")
        uploads.append((part.file, data, "audio/mpeg", IMMUTABLE))
    uploads.append((MANIFEST_NAME, manifest_bytes, "application/json", REVALIDATE))
    for name, data, content_type, cache_control in uploads:
        key = prefix + name
        if remote.get(key) == hashlib.md5(data, usedforsecurity=False).hexdigest():
            report.unchanged.append(key)
            continue
        client.put_object(
            Bucket=bucket, Key=key, Body=data, ContentType=content_type, CacheControl=cache_control
        )
        report.uploaded.append(key)
    return report
