"""Where the user-key salt comes from (skill/salt.py), for every entry point.

Prevents: a deployment keying its users with the public default salt (store keys then
derivable from Alexa ids), a generated salt that others may read or that changes between
runs (every user's progress orphaned), and a Lambda that starts without its salt.
"""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from skill.cli import main
from skill.salt import SaltError, require_configured_salt, with_user_key_salt
from skill.settings import PUBLIC_SALT, Settings

SECRET = "a-deployment-secret-of-some-length"


def _sqlite(path: Path, salt: str = PUBLIC_SALT) -> Settings:
    return Settings(progress_store=f"sqlite:///{path}", user_key_salt=salt)


def _salt_file(database: Path) -> Path:
    return database.with_name(database.name + ".salt")


def test_a_configured_salt_is_used_as_it_is(tmp_path: Path) -> None:
    settings = _sqlite(tmp_path / "p.sqlite3", SECRET)
    assert with_user_key_salt(settings) is settings
    assert not _salt_file(tmp_path / "p.sqlite3").exists()


@pytest.mark.parametrize("salt", ["", PUBLIC_SALT])
def test_the_embedded_store_gets_a_private_salt_beside_it_once(tmp_path: Path, salt: str) -> None:
    database = tmp_path / "new-folder" / "p.sqlite3"

    first = with_user_key_salt(_sqlite(database, salt)).user_key_salt
    again = with_user_key_salt(_sqlite(database, salt)).user_key_salt

    assert first == again
    assert first not in ("", PUBLIC_SALT) and len(first) >= 32
    assert stat.S_IMODE(_salt_file(database).stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
    assert _salt_file(database).read_text().strip() == first


def test_each_store_has_its_own_salt(tmp_path: Path) -> None:
    one = with_user_key_salt(_sqlite(tmp_path / "one.sqlite3")).user_key_salt
    two = with_user_key_salt(_sqlite(tmp_path / "two.sqlite3")).user_key_salt
    assert one != two


def test_an_in_memory_store_gets_a_fresh_salt_never_the_public_one() -> None:
    salts = {with_user_key_salt(Settings(progress_store="sqlite:///")).user_key_salt for _ in "ab"}
    assert len(salts) == 2 and PUBLIC_SALT not in salts


def test_a_salt_file_others_may_read_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "p.sqlite3"
    with_user_key_salt(_sqlite(database))
    _salt_file(database).chmod(0o644)

    with pytest.raises(SaltError, match="chmod 600"):
        with_user_key_salt(_sqlite(database))


@pytest.mark.parametrize("content", [b"", b"short\n", "é".encode() * 20])
def test_a_damaged_salt_file_is_refused_not_replaced(tmp_path: Path, content: bytes) -> None:
    database = tmp_path / "p.sqlite3"
    _salt_file(database).write_bytes(content)
    _salt_file(database).chmod(0o600)

    with pytest.raises(SaltError, match="no usable salt"):
        with_user_key_salt(_sqlite(database))
    assert _salt_file(database).read_bytes() == content


@pytest.mark.parametrize("salt", ["", PUBLIC_SALT])
def test_dynamodb_without_a_configured_salt_is_refused(salt: str) -> None:
    with pytest.raises(SaltError, match="USER_KEY_SALT"):
        with_user_key_salt(Settings(progress_store="dynamodb://progress", user_key_salt=salt))


def test_a_short_configured_salt_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SaltError, match="at least 16"):
        with_user_key_salt(_sqlite(tmp_path / "p.sqlite3", "short"))


@pytest.mark.parametrize("salt", ["", PUBLIC_SALT, "short"])
def test_lambda_refuses_to_start_without_its_salt_and_logs_why(
    salt: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(progress_store="dynamodb://progress", user_key_salt=salt)
    with caplog.at_level(logging.CRITICAL, logger="skill.salt"), pytest.raises(SaltError):
        require_configured_salt(settings)
    assert any("USER_KEY_SALT" in message for message in caplog.messages)


def test_lambda_starts_with_its_salt() -> None:
    require_configured_salt(Settings(progress_store="dynamodb://progress", user_key_salt=SECRET))


def test_chat_keeps_the_generated_salt_beside_its_store(tmp_path: Path) -> None:
    database = tmp_path / "chat.sqlite3"
    result = CliRunner().invoke(
        main,
        ["chat", "--store", f"sqlite:///{database}"],
        input="open movement snacks\nexit\n",
        env={"USER_KEY_SALT": None},
    )
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(_salt_file(database).stat().st_mode) == 0o600


def test_chat_on_dynamodb_without_a_salt_says_what_to_set() -> None:
    result = CliRunner().invoke(
        main,
        ["chat", "--store", "dynamodb://progress"],
        input="exit\n",
        env={"USER_KEY_SALT": None},
    )
    assert result.exit_code == 1
    assert "USER_KEY_SALT" in result.output
