"""A rep-week stopped by the safety-net clock, not its work limit, is reported by the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from routeplan.planning.prepare import prepare
from routeplan.planning.store import PlanStore
from routeplan.planning.week import build_week
from routeplan.routing import search


def _warnings(world: Path) -> list[str]:
    with PlanStore(world / "plan.sqlite") as store:
        result = build_week(prepare(world), 1, store=store, workers=1)
    return [w for w in result.warnings if "safety-net clock" in w]


def test_a_search_stopped_by_the_clock_is_named_in_the_build_warnings(
    world: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "SAFETY_FACTOR", 1e-9)  # a net far too near: it always fires
    monkeypatch.setattr(search, "SAFETY_FLOOR_S", 1e-6)
    lines = _warnings(world)
    assert sorted(line.split(",")[0] for line in lines) == ["rep R1", "rep R2"]
    assert all("may differ from run to run" in line for line in lines)


def test_a_search_ended_by_its_work_limit_is_not_reported(world: Path) -> None:
    assert _warnings(world) == []
