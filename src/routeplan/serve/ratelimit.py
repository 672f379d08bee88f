"""Sliding-window rate limits of sign-in attempts, and the client address they key on.

A sign-in attempt counts against two keys: the client's address and the token being tried
(its hash). A guesser from one address is stopped by the first; one token tried from many
addresses (a botnet, or every phone behind one carrier NAT sharing an address) by the second.
Behind a reverse proxy every request comes from the proxy's address: :func:`client_address`
takes the address from ``X-Forwarded-For`` only when the direct peer is a configured trusted
proxy, so a client cannot choose its own key by sending that header.
"""

from __future__ import annotations

import hashlib
import ipaddress
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence


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

    def _recent(self, key: str, now: float) -> deque[float]:
        seen = self._seen.setdefault(key, deque())
        while seen and seen[0] <= now - self.window_s:
            seen.popleft()
        if not seen:
            del self._seen[key]  # keys of the past do not pile up
            return deque()
        return seen

    def allow(self, key: str) -> bool:
        """Count an attempt of ``key``; False when it is over the limit."""
        return self.allow_all((key,))

    def allow_all(self, keys: Sequence[str]) -> bool:
        """Count one attempt against every key; False (nothing counted) when one is over.

        Parameters
        ----------
        keys
            The keys of one attempt, e.g. ``("addr:10.0.0.7", "token:1f2e…")``.

        Returns
        -------
        bool
            True when every key is under its limit (the attempt is then counted on each).

        """
        now = self._clock()
        with self._lock:
            recent = [self._recent(key, now) for key in keys]
            if any(len(seen) >= self.attempts for seen in recent):
                return False
            for key, seen in zip(keys, recent, strict=True):
                seen.append(now)
                self._seen[key] = seen
            return True


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: str | None, trusted: Iterable[str]) -> str:
    """The address of the client a request comes from.

    Parameters
    ----------
    peer
        The direct peer's address (``request.client.host``).
    forwarded_for
        The ``X-Forwarded-For`` header, or None.
    trusted
        Addresses of the reverse proxies whose ``X-Forwarded-For`` is believed (none: the
        header is ignored).

    Returns
    -------
    str
        The peer itself unless it is a trusted proxy; then the right-most address of
        ``X-Forwarded-For`` that is not a trusted proxy (the one the proxy saw; entries to
        its left were written by the client and are not believed).

    """
    proxies = {a for a in (_address(t) for t in trusted) if a is not None}
    direct = _address(peer or "") or (peer or "unknown")
    if direct not in proxies or not forwarded_for:
        return direct
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            return direct  # a malformed chain: key on the proxy itself
        if address not in proxies:
            return address
    return direct


def attempt_keys(address: str, token: str) -> tuple[str, ...]:
    """The rate-limit keys of one sign-in attempt: the address, and the token's hash."""
    keys = [f"addr:{address}"]
    if token:
        keys.append("token:" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:32])
    return tuple(keys)
