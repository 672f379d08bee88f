"""The sign-in rate limit: per client address and per token tried; X-Forwarded-For only
from a configured trusted proxy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers.field import TODAY, link_token

from routeplan.planning.prepare import prepare
from routeplan.serve import ServeOptions, create_app
from routeplan.serve.ratelimit import RateLimiter, attempt_keys, client_address

PROXY = "10.0.0.2"


def test_client_address_ignores_forwarded_for_unless_the_peer_is_a_trusted_proxy() -> None:
    assert client_address("203.0.113.9", "198.51.100.1", ()) == "203.0.113.9"
    assert client_address("203.0.113.9", "198.51.100.1", (PROXY,)) == "203.0.113.9"
    assert client_address(PROXY, "198.51.100.1", (PROXY,)) == "198.51.100.1"
    # entries left of the proxy's own are the client's to write: the right-most one counts
    assert client_address(PROXY, "1.1.1.1, 198.51.100.1", (PROXY,)) == "198.51.100.1"
    assert client_address(PROXY, "198.51.100.1, 10.0.0.3", (PROXY, "10.0.0.3")) == "198.51.100.1"
    assert client_address(PROXY, "not-an-address", (PROXY,)) == PROXY
    assert client_address(PROXY, None, (PROXY,)) == PROXY
    assert client_address(None, None, ()) == "unknown"


def test_an_attempt_over_one_key_counts_on_none() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 60.0, clock=lambda: now[0])
    a, b, c = attempt_keys("1.2.3.4", "tok-a"), attempt_keys("1.2.3.4", "tok-b"), ("addr:x",)
    assert limiter.allow_all(a) and limiter.allow_all(b)
    assert not limiter.allow_all(attempt_keys("1.2.3.4", "tok-c"))  # the address is over
    assert limiter.allow_all(c)
    now[0] = 61.0  # the window has passed
    assert limiter.allow_all(attempt_keys("1.2.3.4", "tok-c"))
    assert attempt_keys("1.2.3.4", "") == ("addr:1.2.3.4",)
    assert "tok-a" not in "".join(attempt_keys("1.2.3.4", "tok-a"))  # the token is hashed


@pytest.fixture
def peer_client(data: Path) -> Iterator[Callable[..., TestClient]]:
    """``peer_client(peer, **options)``: a client whose requests come from ``peer``."""
    opened: list[TestClient] = []
    apps: dict[tuple, object] = {}

    def _make(peer: str, **options: object) -> TestClient:
        key = tuple(sorted(options.items()))
        if key not in apps:  # one app (one limiter) per set of options
            opts = ServeOptions(today=TODAY, **options)  # type: ignore[arg-type]
            apps[key] = create_app(prepare(data), data / "plan.sqlite", options=opts)
        client = TestClient(apps[key], base_url="https://testserver", client=(peer, 50000))  # type: ignore[arg-type]
        client.__enter__()
        opened.append(client)
        return client

    yield _make
    for client in opened:
        client.__exit__(None, None, None)


def _try(client: TestClient, token: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/api/v1/signin", json={"token": token}, headers=headers).status_code


def test_one_token_tried_from_many_addresses_is_limited(peer_client, data: Path) -> None:
    token = "y" * 40
    codes = [_try(peer_client(f"198.51.100.{n}", signin_attempts=3), token) for n in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    fresh = peer_client("198.51.100.99", signin_attempts=3)
    assert _try(fresh, "z" * 40) == 401  # another token from a new address is not limited
    link = link_token(data, "R1")
    assert _try(fresh, link) == 200


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(peer_client, data: Path) -> None:
    spoofer = peer_client("203.0.113.7", signin_attempts=2)
    codes = [_try(spoofer, f"guess-{n:04d}-token", f"192.0.2.{n}") for n in range(3)]
    assert codes == [401, 401, 429]  # a made-up header does not buy new attempts
    proxy = peer_client(PROXY, signin_attempts=2, trusted_proxies=(PROXY,))
    first = [_try(proxy, f"first-{n:04d}-token", "192.0.2.10") for n in range(3)]
    assert first == [401, 401, 429]  # the client behind the proxy is limited by its address
    second = _try(proxy, "second-0000-token", "192.0.2.11")
    assert second == 401  # ... and another client behind the same proxy is not


def test_a_trusted_proxy_must_be_an_address() -> None:
    with pytest.raises(ValueError, match="not an IP address"):
        ServeOptions(trusted_proxies=("proxy.local",))
