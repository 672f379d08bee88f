"""Links that open a day's route in a phone's maps app (Google Maps directions URLs)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

GOOGLE_DIRECTIONS_URL = "https://www.google.com/maps/dir/?api=1"
"""Base of Google Maps directions links (opens the app on phones)."""

MAX_WAYPOINTS = 9
"""Most intermediate stops Google Maps takes in one directions URL."""


def latlon_text(lat: float, lon: float) -> str:
    """Format ``lat,lon`` with 6 decimals (about 0.1 m), as map links expect."""
    return f"{lat:.6f},{lon:.6f}"


def directions_links(
    home: tuple[float, float],
    stops: Sequence[tuple[float, float]],
    *,
    max_waypoints: int = MAX_WAYPOINTS,
) -> list[str]:
    """Google Maps directions for a day: home → stops in order → home, split when too long.

    Parameters
    ----------
    home
        ``(lat, lon)`` where the day starts and ends.
    stops
        ``(lat, lon)`` of the stops in visiting order.
    max_waypoints
        Most intermediate stops per link.

    Returns
    -------
    list of str
        One URL per part; each part starts where the previous one ended. Empty for no stops.
    """
    if max_waypoints < 1:
        msg = f"max_waypoints must be at least 1, got {max_waypoints}."
        raise ValueError(msg)
    if not stops:
        return []
    points = [home, *stops, home]
    links = []
    start = 0
    while start < len(points) - 1:
        end = min(start + max_waypoints + 1, len(points) - 1)
        via = points[start + 1 : end]
        url = (
            f"{GOOGLE_DIRECTIONS_URL}&origin={latlon_text(*points[start])}"
            f"&destination={latlon_text(*points[end])}"
        )
        if via:
            url += "&waypoints=" + quote("|".join(latlon_text(*p) for p in via), safe=",")
        links.append(url + "&travelmode=driving")
        start = end
    return links
