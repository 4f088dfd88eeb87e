"""The user's own calendar: days and streaks follow their Alexa time zone, not UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The longest IANA name is about 30 characters; a longer one is not a zone, and is never
# handed to the file system that ZoneInfo reads names from.
MAX_ZONE_NAME = 64


def zone(name: str | None) -> tzinfo:
    """The named IANA zone; UTC when the name is missing or unknown (never an error)."""
    if not name or not isinstance(name, str) or len(name) > MAX_ZONE_NAME:
        return UTC
    try:
        return ZoneInfo(name)
    # A session's zone may be forged: a folder ("Europe") or a bad path is an OSError.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def local_day(at: datetime, zone_name: str | None) -> date:
    """The user's calendar day at the instant ``at`` (an aware datetime)."""
    return at.astimezone(zone(zone_name)).date()


def local_day_and_minute(at: datetime, zone_name: str | None) -> tuple[date, int]:
    """The user's calendar day at ``at`` and the minute of it (0-1439), from one
    conversion: a set's day and minute must come from the same zone."""
    local = at.astimezone(zone(zone_name))
    return local.date(), local.hour * 60 + local.minute
