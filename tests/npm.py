"""Install a test folder's npm packages (dynalite, virtual-alexa) from its lock file."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

INSTALL_TIMEOUT_S = 300


def npm_ci(folder: Path, package: str, unavailable: type[Exception]) -> None:
    """``npm ci`` in ``folder`` from its committed package-lock.json, unless ``package``
    is already there; under a file lock, so pytest-xdist workers do not race.
    Raises ``unavailable`` when node or npm is missing."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise unavailable(f"node and npm are needed to run {package}")
    with open(folder / ".npm-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "node_modules" / package / "package.json").exists():
            # --ignore-scripts: nothing needs building (dynalite's LevelDB is not used
            # in memory), and no package's install script runs.
            subprocess.run(
                [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                cwd=folder,
                check=True,
                timeout=INSTALL_TIMEOUT_S,
            )
