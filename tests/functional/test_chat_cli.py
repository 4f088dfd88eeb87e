"""`movement-snacks chat` as a newcomer uses it: typed lines in, what Alexa says out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """open movement snacks
start pelvic tilts
slower
pause
exit
"""


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skill.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_piped_chat_prints_each_answer_with_its_pauses(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'chat.sqlite3'}"
    result = run_cli("chat", "--store", store, stdin=SCRIPT)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "you> open movement snacks" in out
    assert "Welcome to Movement Snacks" in out
    assert "pelvic tilts" in out and "(pause " in out
    assert "a bit slower" in out and "Paused at pelvic tilts" in out
    # The pause was kept in the embedded store: a new chat offers to resume.
    again = run_cli("chat", "--store", store, stdin="open movement snacks\n")
    assert "you stopped at pelvic tilts" in again.stdout


def test_store_init_creates_the_embedded_store(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "progress.sqlite3"
    result = run_cli("store", "init", "--store", f"sqlite:///{path}")
    assert result.returncode == 0, result.stderr
    assert path.exists() and "Store ready" in result.stdout
