"""Open a ProgressStore from its URL (``sqlite:///PATH`` or ``dynamodb://TABLE``).

:func:`store_from_settings` is how every entry point builds the store: with the
deployment's URL and its pain-rating policy (STORE_PAIN_RATINGS), so a rating is
never written where the deployment has not opted in, whichever path it came by.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from skill.progress.store import ProgressStore, StoreError

if TYPE_CHECKING:
    from skill.settings import Settings


class StoreUrlError(StoreError, ValueError):
    """The PROGRESS_STORE URL names no store this skill knows."""


def store_from_settings(settings: Settings) -> ProgressStore:
    """The deployment's store: ``settings.progress_store`` under its pain-rating policy."""
    return open_store(settings.progress_store, store_pain_ratings=settings.store_pain_ratings)


def open_store(url: str, *, store_pain_ratings: bool = False) -> ProgressStore:
    """The store ``url`` names; it writes pain ratings only with ``store_pain_ratings``."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        from skill.progress.sqlite_store import SqliteStore

        # sqlite:///relative and sqlite:////absolute, as SQLAlchemy spells them.
        path = url[len("sqlite:///") :] or ":memory:"
        return SqliteStore(path, store_pain_ratings=store_pain_ratings)
    if parsed.scheme == "dynamodb" and parsed.netloc:
        # Imported here so a SQLite deployment never loads the DynamoDB module.
        from skill.progress.dynamodb_store import DynamoDbStore

        return DynamoDbStore(parsed.netloc, store_pain_ratings=store_pain_ratings)
    raise StoreUrlError(
        f"unsupported progress store {url!r}: use sqlite:///PATH or dynamodb://TABLE"
    )


def init_store(url: str) -> None:
    """Create the store's tables (`movement-snacks store init`); the skill never creates
    DynamoDB tables at run time, while an SQLite file is also created on first use."""
    store = open_store(url)
    init = getattr(store, "init", None)
    if init is None:
        raise StoreUrlError(f"{url!r} cannot be initialised from here")
    init()
