"""``audio publish`` against a real S3-compatible server (moto) over HTTP on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest
from click.testing import CliRunner

from audio.build import Builder, routine_jobs, set_jobs
from audio.publish import IMMUTABLE, PublishError, publish
from skill.cli import main
from skill.routines.catalog import load_catalog
from skill.speech.audio_manifest import parse_manifest
from tests.audio.tones import ToneBackend
from tests.moto_server import moto_endpoint, use_moto

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CATALOG = load_catalog("en-US")
BUCKET = "movement-snacks-audio"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    yield from moto_endpoint()


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> S3Client:
    use_moto(monkeypatch, "S3", s3_endpoint)
    client = boto3.client("s3")
    existing = [b["Name"] for b in client.list_buckets().get("Buckets", [])]
    if BUCKET in existing:
        for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    else:
        client.create_bucket(Bucket=BUCKET)
    return client


def small_build(out: Path, tick: bool = False) -> None:
    jobs = set_jobs(CATALOG, ["pelvic_tilts"])[:2] + routine_jobs(CATALOG, ["quick_snack"])
    Builder(out, ToneBackend(), CATALOG, tick=tick).build(jobs)


def test_publish_uploads_audio_with_its_type_and_a_long_cache_life(
    tmp_path: Path, s3: S3Client
) -> None:
    small_build(tmp_path)
    result = CliRunner().invoke(
        main, ["audio", "publish", "--bucket", BUCKET, "--prefix", "en-US", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "4 uploaded, 0 unchanged" in result.output
    manifest = parse_manifest((tmp_path / "manifest.json").read_text())
    for part in manifest.files():
        head = s3.head_object(Bucket=BUCKET, Key=f"en-US/{part.file}")
        assert head["ContentType"] == "audio/mpeg" and head["CacheControl"] == IMMUTABLE
        body = s3.get_object(Bucket=BUCKET, Key=f"en-US/{part.file}")["Body"].read()
        assert body == (tmp_path / part.file).read_bytes()
    head = s3.head_object(Bucket=BUCKET, Key="en-US/manifest.json")
    assert head["ContentType"] == "application/json" and head["CacheControl"] == "no-cache"


def test_publishing_again_uploads_only_what_changed(tmp_path: Path, s3: S3Client) -> None:
    small_build(tmp_path)
    publish(tmp_path, BUCKET, client=s3)
    assert publish(tmp_path, BUCKET, client=s3).uploaded == []
    small_build(tmp_path, tick=True)  # new sound: new files, a new manifest
    report = publish(tmp_path, BUCKET, client=s3)
    new_files = {p.file for p in parse_manifest((tmp_path / "manifest.json").read_text()).files()}
    # the manifest goes last, so no reader sees it before the files it names
    assert set(report.uploaded[:-1]) == new_files and report.uploaded[-1] == "manifest.json"


def test_a_file_that_does_not_match_the_manifest_stops_the_publish(
    tmp_path: Path, s3: S3Client
) -> None:
    small_build(tmp_path)
    part = parse_manifest((tmp_path / "manifest.json").read_text()).files()[-1]
    (tmp_path / part.file).write_bytes(b"truncated")
    with pytest.raises(PublishError, match="rebuild"):
        publish(tmp_path, BUCKET, client=s3)
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
