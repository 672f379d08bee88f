"""Fixtures of the field-app tests: a built tiny world, its people, the app and clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers.field import TODAY, add_people, build_world, copy_world

from routeplan.planning.prepare import prepare
from routeplan.serve import ServeOptions, create_app


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny world with week 1 built and its people added (shared, never written)."""
    data = build_world(tmp_path_factory.mktemp("field"))
    add_people(data)
    return data


@pytest.fixture
def data(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built world for one test."""
    return copy_world(built, tmp_path / "data")


@pytest.fixture
def make_client(data: Path) -> Iterator[Callable[..., TestClient]]:
    """``make_client(**options)``: a TestClient over the real app (HTTPS, so cookies are kept)."""
    clients: list[TestClient] = []

    def _make(**options: object) -> TestClient:
        opts = ServeOptions(today=TODAY, **options)  # type: ignore[arg-type]
        app = create_app(prepare(data), data / "plan.sqlite", options=opts)
        client = TestClient(app, base_url="https://testserver")
        client.__enter__()
        clients.append(client)
        return client

    yield _make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()
