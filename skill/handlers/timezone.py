"""Moved to :mod:`skill.alexa_api.settings_api`; kept only for skill/web.py's import.

The lead's merge points web.py at the new module and removes this file.
"""

from skill.alexa_api.settings_api import TimeZoneLookup, alexa_time_zone, no_lookup

__all__ = ["TimeZoneLookup", "alexa_time_zone", "no_lookup"]
