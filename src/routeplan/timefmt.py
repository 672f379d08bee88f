"""Clock-time helpers: seconds since midnight <-> HH:MM."""

from __future__ import annotations

from routeplan.config import minutes_of


def hhmm(seconds: float) -> str:
    """``HH:MM`` of seconds since midnight, rounded to the minute (may pass 24:00)."""
    minutes = round(seconds / 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def seconds_of(value: str) -> int:
    """Seconds since midnight of an ``HH:MM`` string."""
    return minutes_of(value) * 60
