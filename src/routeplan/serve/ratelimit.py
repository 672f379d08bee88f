"""A sliding-window rate limit of sign-in attempts per client address (in memory)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """Allow at most ``attempts`` calls per key within ``window_s`` seconds.

    One limiter belongs to one app (no module state); it is thread-safe.
    """

    def __init__(
        self, attempts: int, window_s: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.attempts = attempts
        self.window_s = window_s
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count an attempt of ``key``; False when it is over the limit."""
        now = self._clock()
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and seen[0] <= now - self.window_s:
                seen.popleft()
            if len(seen) >= self.attempts:
                return False
            seen.append(now)
            return True
