"""What counts as a movement snack: one sitting of movement, however many sets it holds.

Frequency, not intensity: the daily goal counts sittings, not sets. Sets heard
within :data:`SNACK_GAP_MINUTES` of the set before them belong to the same snack;
a longer pause starts a new one. The minutes are local minutes of one day (the
user's time zone), so a snack never spans midnight: a sitting from 23:55 to 00:05
is one snack on each of the two days, as each day's goal counts its own.
"""

from __future__ import annotations

from collections.abc import Iterable

# The longest pause, in minutes, between two sets of one snack: a routine's sets
# follow each other within a minute or two, and a snack an hour later is another.
SNACK_GAP_MINUTES = 20
MINUTES_PER_DAY = 24 * 60


def snacks_of(minutes: Iterable[int]) -> int:
    """How many snacks sets heard at these local minutes of one day make."""
    snacks = 0
    previous: int | None = None
    for minute in sorted(set(minutes)):
        if previous is None or minute - previous > SNACK_GAP_MINUTES:
            snacks += 1
        previous = minute
    return snacks
