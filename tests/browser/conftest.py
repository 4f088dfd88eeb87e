"""The browser tier: Debian's Chromium, installed once per test session if missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.chromium import ensure_chromium


@pytest.fixture(scope="session")
def chromium() -> Path:
    return ensure_chromium()
