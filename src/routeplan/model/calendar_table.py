"""The calendar's columns: one row per planned visit (built by :mod:`routeplan.calendar`).

Kept apart from :mod:`routeplan.calendar.construction` (scipy, the phase model) so that the
plan store, which every command and the field app open, loads without them.
"""

from __future__ import annotations

CALENDAR_COLUMNS: tuple[str, ...] = (
    "client_id",  # str
    "rep_id",  # str
    "tier",  # str
    "week",  # int, 1..W
    "visit_no",  # int, 1-based within the week
    "days",  # str, allowed weekdays "Mon Tue ..." (one day for multi-visit patterns)
    "allowed_days",  # str, the client's weekdays ignoring holidays (rep workdays ∩ open days)
    "phase",  # int, 1..N for every-N tiers, 0 for weekly tiers
    "lat",  # float
    "lon",  # float
    "service_min",  # float
    "travel_min",  # float, estimated travel per visit (for balance only)
    "reason_code",  # str, why the client is due this week (routeplan.model.reasons codes)
    "day_area",  # int, the client's day area of the cycle (1..workdays; 0 = none)
    "area_day",  # str, weekday of that area where the client is open (routing prefers it)
)

ADDED_CALENDAR_COLUMNS: dict[str, object] = {"day_area": 0, "area_day": ""}
"""Calendar columns added after the store's first schema, with their defaults (schema 6)."""
