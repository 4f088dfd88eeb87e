"""What a hands-free stream's AudioPlayer token says, and how chapters are counted.

Each Play directive's token is ``<track token>@<chapter>``: the routine track it
plays, and the first chapter the stream has played through without the user
skipping ahead of it. When the track finishes, the exercises from that chapter on
count as done. Tokens come back from the device, so parsing trusts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

MARK = "@"
# A chapter number longer than this is not ours (and int() of a huge string is costly).
MAX_MARK_DIGITS = 4


@dataclass(frozen=True)
class StreamToken:
    track: str
    first_counted: int = 0

    @classmethod
    def parse(cls, raw: str | None) -> StreamToken:
        """The token a request names; a missing or malformed chapter counts from 0."""
        text = raw or ""
        track, mark, chapter = text.rpartition(MARK)
        if not mark:
            return cls(text)
        digits = chapter.isdigit() and len(chapter) <= MAX_MARK_DIGITS
        return cls(track, int(chapter) if digits else 0)

    def __str__(self) -> str:
        return f"{self.track}{MARK}{self.first_counted}"


def moved_to(first: int, index: int, current: int) -> int:
    """The first counted chapter after jumping from ``current`` to chapter ``index``.

    Skipping ahead cuts the current chapter short, so counting restarts at the
    target; going back replays chapters already counted from ``first``.
    """
    return index if index > current else min(first, index)
