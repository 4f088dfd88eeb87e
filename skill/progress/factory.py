"""Open a ProgressStore from its URL (``sqlite:///PATH`` or ``dynamodb://TABLE``)."""

from __future__ import annotations

from urllib.parse import urlparse

from skill.progress.store import ProgressStore


class StoreUrlError(ValueError):
    """The PROGRESS_STORE URL names no store this skill knows."""


def open_store(url: str) -> ProgressStore:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        from skill.progress.sqlite_store import SqliteStore

        # sqlite:///relative and sqlite:////absolute, as SQLAlchemy spells them.
        return SqliteStore(url[len("sqlite:///") :] or ":memory:")
    if parsed.scheme == "dynamodb" and parsed.netloc:
        # Imported here so a SQLite deployment never loads the DynamoDB module.
        from skill.progress.dynamodb_store import DynamoDbStore

        return DynamoDbStore(parsed.netloc)
    raise StoreUrlError(
        f"unsupported progress store {url!r}: use sqlite:///PATH or dynamodb://TABLE"
    )


def init_store(url: str) -> None:
    """Create the store's tables; the skill itself never does this at run time."""
    store = open_store(url)
    init = getattr(store, "init", None)
    if init is None:
        raise StoreUrlError(f"{url!r} cannot be initialised from here")
    init()
