"""`movement-snacks chat` tries the whole reminders flow offline, as a newcomer would.

Prevents: a chat that cannot set, list or cancel reminders (no stand-in, or the
permission request left unanswered), so the feature can only be tried on a device.
"""

from __future__ import annotations

from pathlib import Path

from tests.functional.test_chat_cli import run_cli

SCRIPT = """remind me every hour between 9 and 5 on weekdays
yes
what reminders do I have
cancel my reminders
what reminders do I have
exit
"""


def test_piped_chat_with_the_grant_flag_creates_lists_and_cancels(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'chat.sqlite3'}"

    result = run_cli("chat", "--store", store, "--grant-reminders", stdin=SCRIPT)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "every hour from 9 am to 5 pm, on weekdays, starting today. Shall I" in out
    assert "You granted it.] Done. I set 2 reminders" in out
    assert "You have 2 movement reminders: every hour from 9 am to 1 pm, on weekdays" in out
    assert "Done. I cancelled your 2 movement reminders." in out
    assert out.count("You have no movement reminders.") == 1


def test_piped_chat_without_the_flag_answers_the_permission_with_no(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'chat.sqlite3'}"

    result = run_cli("chat", "--store", store, stdin=SCRIPT)

    assert result.returncode == 0, result.stderr
    assert "You denied it.] OK, no reminders." in result.stdout
    assert "You have 2 movement reminders" not in result.stdout
