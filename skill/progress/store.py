"""The ProgressStore protocol: what a turn may read and write about one user.

A conversation turn makes at most one read (:meth:`ProgressStore.load`) and one
write (:meth:`ProgressStore.save`). Users are identified by ``user_key``, a salted
hash of the Alexa user (or voice-profile person) id: raw ids never reach a store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

DEFAULT_DAILY_GOAL = 5


class StoreError(Exception):
    """The store could not be read or written (down, throttled past retries, timed out)."""


@dataclass(frozen=True)
class Bookmark:
    """Where a paused routine stands, so "resume" continues at the same set."""

    routine_id: str | None
    exercise_ids: tuple[str, ...]
    index: int
    reps: int | None
    tempo: str


@dataclass(frozen=True)
class Completion:
    """One guided set the user completed.

    ``completion_id`` is derived from the Alexa request id, so a retried delivery
    of the same request is counted once.
    """

    completion_id: str
    exercise_id: str
    routine_id: str | None
    reps: int
    seconds: int
    local_day: date
    at: datetime


@dataclass(frozen=True)
class UserSnapshot:
    """Everything a turn needs to know about a user, read in one call."""

    disclaimer_heard: bool = False
    daily_goal: int = DEFAULT_DAILY_GOAL
    bookmark: Bookmark | None = None


class _Keep:
    """Marker: leave the stored bookmark as it is."""


KEEP = _Keep()


@dataclass(frozen=True)
class UserUpdate:
    """Everything a turn changes, written in one call."""

    completions: tuple[Completion, ...] = ()
    bookmark: Bookmark | _Keep | None = KEEP
    disclaimer_heard: bool = False
    daily_goal: int | None = None

    @property
    def is_empty(self) -> bool:
        return (
            not self.completions
            and isinstance(self.bookmark, _Keep)
            and not self.disclaimer_heard
            and self.daily_goal is None
        )


@dataclass
class PendingUpdate:
    """A mutable builder a turn fills in; frozen into a :class:`UserUpdate` at the end."""

    completions: list[Completion] = field(default_factory=list)
    bookmark: Bookmark | _Keep | None = KEEP
    disclaimer_heard: bool = False
    daily_goal: int | None = None

    def freeze(self) -> UserUpdate:
        return UserUpdate(
            tuple(self.completions), self.bookmark, self.disclaimer_heard, self.daily_goal
        )


class ProgressStore(Protocol):
    def load(self, user_key: str) -> UserSnapshot:
        """Read the user's snapshot; an unknown user gets the defaults."""
        ...

    def save(self, user_key: str, update: UserUpdate) -> None:
        """Apply ``update`` atomically; a completion already counted is ignored."""
        ...

    def delete_user(self, user_key: str) -> None:
        """Remove everything stored about the user."""
        ...
