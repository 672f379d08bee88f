"""The build job: one library call from inputs to files."""

from __future__ import annotations

from pathlib import Path

import pytest

from routeplan.jobs import build as build_job
from routeplan.planning import week as planning_week
from routeplan.planning.prepare import DataSource


def test_the_calendar_is_synced_once_per_build(world: Path, tmp_path: Path, monkeypatch) -> None:
    calls = []
    real = planning_week.load_or_build_calendar

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(planning_week, "load_or_build_calendar", counted)
    outcome = build_job.run_build(
        DataSource(world), 2, out_dir=tmp_path / "out", maps_dir=tmp_path / "maps", workers=1
    )
    assert len(calls) == 1
    assert outcome.result.calendar is not None and len(outcome.kpis["compliance"])


def test_a_missing_explicit_config_is_an_error(world: Path, tmp_path: Path) -> None:
    from routeplan.errors import ConfigError

    source = DataSource(world, config_path=tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match=r"nope\.toml: settings file not found"):
        build_job.run_build(source, 2, out_dir=tmp_path / "out", maps_dir=tmp_path / "maps")
