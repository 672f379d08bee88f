"""Options of the field app (``routeplan serve``), passed to :func:`create_app`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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
        Sign-in attempts allowed per client address within ``signin_window_s``.
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

    """

    today: dt.date | None = None
    secure_cookies: bool = True
    max_body_bytes: int = 64 * 1024
    signin_attempts: int = 10
    signin_window_s: float = 300.0
    session_days: int = 14
    replan_time_limit_s: float = 2.0
    power_safe_commits: bool = True

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1024:
            msg = "max_body_bytes below 1024 leaves no room for a visit."
            raise ValueError(msg)
        if self.signin_attempts < 1 or self.signin_window_s <= 0:
            msg = "the sign-in rate limit needs at least one attempt in a positive window."
            raise ValueError(msg)
