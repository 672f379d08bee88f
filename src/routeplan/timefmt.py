"""Clock-time helpers: seconds since midnight <-> HH:MM, and HH:MM as a locale writes it."""

from __future__ import annotations

import datetime as dt

from babel import dates

from routeplan.config import minutes_of
from routeplan.i18n import _, current_locale


def hhmm(seconds: float) -> str:
    """``HH:MM`` of seconds since midnight, rounded to the minute (may pass 24:00)."""
    minutes = round(seconds / 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def seconds_of(value: str) -> int:
    """Seconds since midnight of an ``HH:MM`` string."""
    return minutes_of(value) * 60


def local_time(value: str) -> str:
    """A plan's ``HH:MM`` as the active locale writes a short time (CLDR), for people.

    Parameters
    ----------
    value
        ``"HH:MM"`` (``"H:MM"`` too).

    Returns
    -------
    str
        ``"14:05"`` in ``es`` and ``pt_BR`` (24-hour), ``"2:05 PM"`` in ``en``; each locale
        as CLDR has it (``es_CO`` and ``es_MX`` write ``"2:05 p. m."``).

    Raises
    ------
    ValueError
        When ``value`` is not a time of day (e.g. ``"24:10"``, a day that ends after midnight).

    """
    hours, sep, minutes = value.strip().partition(":")
    if not sep:
        msg = _("not an HH:MM time: {value!r}", value=value)
        raise ValueError(msg)
    time = dt.time(int(hours), int(minutes))
    return dates.format_time(time, format="short", locale=current_locale())
