"""Where the user-key salt comes from, for every entry point (Lambda, ``serve``, ``chat``).

Store keys are derived from Alexa ids with this salt (skill/turn/identity.py), so anyone
who knows the salt can tell which stored progress belongs to which Alexa account. The
built-in default (``settings.PUBLIC_SALT``) is public: no deployment may run on it.

- Lambda (and any DynamoDB store): USER_KEY_SALT must be set; the SAM template sets it
  from Secrets Manager. :func:`require_configured_salt` fails the cold start loudly.
- The embedded SQLite store (``chat``, ``serve``): without USER_KEY_SALT a salt is
  generated on first run and kept beside the SQLite file (``<file>.salt``, mode 0600),
  then reused, so the store and its salt travel (and are backed up) together.
  :func:`with_user_key_salt` does both.

A USER_KEY_SALT that is set must be at least ``MIN_SALT_LENGTH`` characters and not the
public default. The salt is read at start-up, never at import time: Lambda SnapStart must
not capture anything secret in its snapshot (DESIGN.md section 6).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import secrets
import stat
from pathlib import Path

from skill.settings import PUBLIC_SALT, Settings

log = logging.getLogger(__name__)

MIN_SALT_LENGTH = 16
SALT_FILE_SUFFIX = ".salt"
SQLITE_PREFIX = "sqlite:///"
MEMORY = ":memory:"


class SaltError(RuntimeError):
    """No usable user-key salt; the message says what to set."""


def require_configured_salt(settings: Settings) -> None:
    """Refuse to run without a configured USER_KEY_SALT (Lambda: call at cold start).

    Logs one clear CRITICAL line before raising, since on Lambda the log is all an
    operator sees of a failed init.
    """
    try:
        if _configured_salt(settings) is None:
            raise SaltError(
                "USER_KEY_SALT is not set: set it to a secret of at least "
                f"{MIN_SALT_LENGTH} characters (the SAM template sets it from Secrets Manager)"
            )
    except SaltError as exc:
        log.critical("refusing to start: %s", exc)
        raise


def with_user_key_salt(settings: Settings) -> Settings:
    """``settings`` with the salt this deployment must use (see the module docstring)."""
    if _configured_salt(settings) is not None:
        return settings
    path = sqlite_path(settings.progress_store)
    if path is None:
        raise SaltError(
            "USER_KEY_SALT is not set: a store other than the embedded SQLite file needs "
            f"a secret salt of at least {MIN_SALT_LENGTH} characters in USER_KEY_SALT"
        )
    salt = secrets.token_urlsafe(32) if path == MEMORY else salt_beside(Path(path))
    return dataclasses.replace(settings, user_key_salt=salt)


def sqlite_path(store_url: str) -> str | None:
    """The SQLite file a store URL names (``:memory:`` for none), or None if not SQLite."""
    if not store_url.startswith(SQLITE_PREFIX):
        return None
    return store_url[len(SQLITE_PREFIX) :] or MEMORY


def salt_beside(database: Path) -> str:
    """The salt kept in ``<database>.salt``, created (mode 0600) if there is none yet."""
    path = database.with_name(database.name + SALT_FILE_SUFFIX)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        _create(path, secrets.token_urlsafe(32))
    return _read(path)


def _create(path: Path, salt: str) -> None:
    # Written to a private temporary name, then linked into place: os.link fails if the
    # file appeared meanwhile (a second process starting), and a reader never sees a
    # half-written salt.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(salt + "\n")
        os.link(temporary, path)
    except FileExistsError:
        return
    finally:
        temporary.unlink(missing_ok=True)
    log.warning("generated a user-key salt in %s: keep it (and back it up) with the store", path)


def _read(path: Path) -> str:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SaltError(f"{path} may be read by others: chmod 600 it (it keys every user)")
    salt = path.read_text(encoding="ascii", errors="replace").strip()
    if len(salt) < MIN_SALT_LENGTH or "\ufffd" in salt:
        raise SaltError(f"{path} holds no usable salt: restore it from a backup")
    return salt


def _configured_salt(settings: Settings) -> str | None:
    salt = settings.user_key_salt
    if salt in ("", PUBLIC_SALT):
        return None
    if len(salt) < MIN_SALT_LENGTH:
        raise SaltError(f"USER_KEY_SALT must be at least {MIN_SALT_LENGTH} characters")
    return salt
