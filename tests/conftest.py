"""Shared fixtures (the worlds themselves live in the helpers package)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.world import write_world


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """A valid tiny data folder: 40 clients, 2 reps, 2 zones, a 4-week cycle."""
    return write_world(tmp_path / "data")
