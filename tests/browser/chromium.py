"""Debian's headless Chromium for the browser tests: installed by the tests themselves.

On a machine without it, the session fixture installs it with apt-get (as root, the
way CI runs), under a file lock so pytest-xdist workers do not race. Every run uses
flags that keep the browser off the network and out of its background services.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).parent
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_TIMEOUT_S = 900
RUN_TIMEOUT_S = 120
WINDOW = (1000, 2400)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
    # Time for the page's load event and images, without a real wall-clock wait.
    "--virtual-time-budget=5000",
)


class ChromiumUnavailable(RuntimeError):
    """Chromium is missing and this machine cannot install it (not root, or no apt-get)."""


def ensure_chromium() -> Path:
    """The chromium binary, installed from Debian's packages when missing."""
    with open(HERE / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if CHROMIUM.exists():
            return CHROMIUM
        apt = shutil.which("apt-get")
        if apt is None or os.geteuid() != 0:
            raise ChromiumUnavailable("the browser tests need: apt-get install -y chromium")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for args in (["update", "-qq"], ["install", "-y", "-qq", "chromium"]):
            subprocess.run([apt, *args], check=True, timeout=INSTALL_TIMEOUT_S, env=env)
    return CHROMIUM


def run(chromium: Path, page: Path, *args: str, profile: Path) -> str:
    """Chromium on ``page`` (a local file) with ``args``; its standard output."""
    done = subprocess.run(
        [str(chromium), *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        check=True,
        timeout=RUN_TIMEOUT_S,
    )
    return done.stdout


def dump_dom(chromium: Path, page: Path, profile: Path) -> str:
    """The page's DOM after its scripts ran."""
    return run(chromium, page, "--dump-dom", profile=profile)


def screenshot(chromium: Path, page: Path, out: Path, profile: Path) -> Path:
    run(chromium, page, f"--screenshot={out}", profile=profile)
    return out
