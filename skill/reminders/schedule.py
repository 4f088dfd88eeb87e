"""The schedule a reminder request becomes, and its round trip through the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

# RRULE day codes in the week's order; "every day" is the empty tuple.
WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAYS = WEEK[:5]
WEEKENDS = WEEK[5:]


@dataclass(frozen=True, order=True)
class ClockTime:
    """A local time of day, minute precision (the Reminders API fires on minutes)."""

    hour: int
    minute: int = 0

    def __post_init__(self) -> None:
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError("not a time of day")


@dataclass(frozen=True)
class Schedule:
    """When to remind: ``times`` every day of ``days`` (all days when empty), or once
    on ``once_on``. ``every_hours`` and ``window`` only shape what is said back.

    >>> Schedule((ClockTime(15),), once_on=date(2026, 11, 25)).recurring
    False
    """

    times: tuple[ClockTime, ...]
    days: tuple[str, ...] = ()
    once_on: date | None = None
    every_hours: int | None = None
    window: tuple[ClockTime, ClockTime] | None = None

    @property
    def recurring(self) -> bool:
        return self.once_on is None

    def to_attributes(self) -> dict[str, Any]:
        return {
            "times": [[t.hour, t.minute] for t in self.times],
            "days": list(self.days),
            "once_on": self.once_on.isoformat() if self.once_on else None,
            "every_hours": self.every_hours,
            "window": [[t.hour, t.minute] for t in self.window] if self.window else None,
        }

    @classmethod
    def from_attributes(cls, raw: object) -> Schedule | None:
        """The schedule kept in the session, or None if it is missing or was tampered with."""
        if not isinstance(raw, dict):
            return None
        try:
            times = tuple(ClockTime(int(h), int(m)) for h, m in raw["times"])
            days = tuple(str(d) for d in raw.get("days") or ())
            once = raw.get("once_on")
            window = raw.get("window")
            every = raw.get("every_hours")
            schedule = cls(
                times=times,
                days=days,
                once_on=date.fromisoformat(once) if isinstance(once, str) else None,
                every_hours=int(every) if every is not None else None,
                window=(ClockTime(*window[0]), ClockTime(*window[1])) if window else None,
            )
        except (KeyError, TypeError, ValueError):
            return None
        if not times or any(d not in WEEK for d in days):
            return None
        return schedule
