"""Fixtures for the audio build tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.audio.tones import ToneBackend


@pytest.fixture
def tone_backend() -> Callable[..., ToneBackend]:
    return ToneBackend


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One eSpeak NG clip cache per test session: each phrase is synthesised once."""
    return tmp_path_factory.mktemp("clips")
