"""The clip cache: a rebuild synthesises nothing, and a failure leaves no broken clip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from audio.cache import ClipCache
from audio.tts import SynthesisError
from tests.audio.tones import ToneBackend


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_rebuild_with_nothing_changed_synthesises_nothing(
    tmp_path: Path, tone_backend: Callable[..., ToneBackend]
) -> None:
    first = tone_backend()
    ClipCache(tmp_path, first, "en-US").clip("Hold.")
    # a later build (a new process: a new cache object and backend) finds it on disk
    second = tone_backend()
    cache = ClipCache(tmp_path, second, "en-US")
    assert cache.clip("Hold.").data == ClipCache(tmp_path, first, "en-US").clip("Hold.").data
    assert second.calls == [] and (cache.hits, cache.misses) == (1, 0)


def test_a_different_text_speed_or_locale_is_a_different_clip(
    tmp_path: Path, tone_backend: Callable[..., ToneBackend]
) -> None:
    backend = tone_backend(max_speed=1.5)
    ClipCache(tmp_path, backend, "en-US").clip("Hold.")
    ClipCache(tmp_path, backend, "en-US").clip("Hold on.")
    ClipCache(tmp_path, backend, "en-US").clip("Hold.", speed=1.2)
    ClipCache(tmp_path, backend, "en-GB").clip("Hold.")
    assert len(backend.calls) == 4 and len(stored_files(tmp_path)) == 4


def test_a_failed_synthesis_leaves_no_file_behind(
    tmp_path: Path, tone_backend: Callable[..., ToneBackend]
) -> None:
    cache = ClipCache(tmp_path, tone_backend(fail_on="Hold."), "en-US")
    with pytest.raises(SynthesisError):
        cache.clip("Hold.")
    assert stored_files(tmp_path) == []


def test_an_empty_file_from_an_interrupted_run_is_synthesised_again(
    tmp_path: Path, tone_backend: Callable[..., ToneBackend]
) -> None:
    backend = tone_backend()
    cache = ClipCache(tmp_path, backend, "en-US")
    key = cache.key("Hold.")
    (tmp_path / key[:2]).mkdir()
    (tmp_path / key[:2] / f"{key}.wav").write_bytes(b"")
    assert cache.clip("Hold.").data
    assert backend.calls == [("Hold.", 1.0)]
    assert (tmp_path / key[:2] / f"{key}.wav").stat().st_size > 0
