"""Options of the field app (``routeplan serve``), passed to :func:`create_app`."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServeOptions:
    """How the field app behaves; defaults suit a server behind HTTPS.

    Parameters
    ----------
    today
        The date the pages treat as today (demos and tests); None: the clock in the cycle's
        time zone.
    secure_cookies
        Send the session cookie only over HTTPS (keep True unless trying it on a LAN).
    max_body_bytes
        Larger request bodies are refused with 413.
    signin_attempts
        Sign-in attempts allowed per client address, and per token tried, within
        ``signin_window_s``.
    signin_window_s
        The window of the sign-in rate limit, in seconds.
    session_days
        Lifetime of a browser session and of an API token from a sign-in link.
    replan_time_limit_s
        OR-Tools time limit of one re-plan of the rest of a day.
    power_safe_commits
        Flush every write to disk before acknowledging it (SQLite ``synchronous=FULL``).
        False keeps every acknowledged write through a killed or crashed server but not
        through a power cut, for many more writes per second.
    leaflet_dir
        Folder with Leaflet's ``leaflet.js`` and ``leaflet.css`` (the ``dist`` folder of the
        npm package the offline maps use), served under ``/static/leaflet``; None: the phone
        page draws its route as a sketch and the live page has no zones map.
    trusted_proxies
        Addresses of reverse proxies whose ``X-Forwarded-For`` names the client (for the
        sign-in rate limit); empty: the header is ignored and the peer address counts.

    """

    today: dt.date | None = None
    secure_cookies: bool = True
    max_body_bytes: int = 64 * 1024
    signin_attempts: int = 10
    signin_window_s: float = 300.0
    session_days: int = 14
    replan_time_limit_s: float = 2.0
    power_safe_commits: bool = True
    leaflet_dir: Path | None = None
    trusted_proxies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1024:
            msg = "max_body_bytes below 1024 leaves no room for a visit."
            raise ValueError(msg)
        if self.signin_attempts < 1 or self.signin_window_s <= 0:
            msg = "the sign-in rate limit needs at least one attempt in a positive window."
            raise ValueError(msg)
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_address(proxy)
            except ValueError:
                msg = f"trusted proxy {proxy!r} is not an IP address."
                raise ValueError(msg) from None
