"""The scenario parser and how a scenario is applied."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from routeplan.capacity.scenario import (
    Scenario,
    apply_scenario,
    parse_cadence,
    parse_reps,
    scenario_from_options,
    scenario_from_toml,
)
from routeplan.config import Settings
from routeplan.errors import RouteplanError

TIERS = ["AAA", "AA", "A", "B"]
REPS = pd.DataFrame({"rep_id": ["R1", "R2"], "day_end": ["17:00", None]})


def test_reps_count_or_change() -> None:
    assert parse_reps("5") == (5, 0)
    assert parse_reps("+2") == (None, 2)
    assert parse_reps("-1") == (None, -1)


@pytest.mark.parametrize("text", ["0", "two", "2.5", ""])
def test_bad_reps(text: str) -> None:
    with pytest.raises(RouteplanError, match="--reps"):
        parse_reps(text)


def test_a_change_that_leaves_no_rep_is_an_error() -> None:
    scenario = scenario_from_options(TIERS, reps="-3")
    with pytest.raises(RouteplanError, match="leaves -1 reps"):
        scenario.rep_count(2)


def test_cadence_parsed() -> None:
    assert parse_cadence("B=every_weeks:8", TIERS) == ("B", {"every_weeks": 8})
    assert parse_cadence("AAA=visits_per_week:3,service_min:45", TIERS) == (
        "AAA",
        {"visits_per_week": 3, "service_min": 45},
    )


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("C=every_weeks:8", "unknown tier 'C'"),
        ("B=weeks:8", "unknown key 'weeks'"),
        ("B=every_weeks:eight", "needs a whole number"),
        ("B", "is not TIER=key:value"),
    ],
)
def test_bad_cadence(text: str, match: str) -> None:
    with pytest.raises(RouteplanError, match=match):
        parse_cadence(text, TIERS)


def test_bad_day_end_and_channel() -> None:
    with pytest.raises(RouteplanError, match="not a time"):
        scenario_from_options(TIERS, day_end="25:00")
    with pytest.raises(RouteplanError, match="not a channel"):
        scenario_from_options(TIERS, drop_channels=["fax"])


def test_options_combine() -> None:
    scenario = scenario_from_options(
        TIERS,
        reps="+2",
        cadence=["B=every_weeks:8", "AAA=visits_per_week:3"],
        day_end="18:00",
        drop_channels=["phone"],
    )
    assert scenario.reps_delta == 2
    assert dict(scenario.cadence) == {"B": {"every_weeks": 8}, "AAA": {"visits_per_week": 3}}
    assert scenario.drop_channels == ("remote_channel",)
    assert scenario.name == scenario.describe()
    assert not scenario.is_baseline and Scenario().is_baseline


def test_apply_changes_cadence_day_and_reps() -> None:
    scenario = scenario_from_options(TIERS, reps="+1", cadence=["B=every_weeks:8"], day_end="18:00")
    settings, reps, n = apply_scenario(Settings(), REPS, scenario)
    assert n == 3
    assert settings.cadence["B"].every_weeks == 8
    assert settings.cadence["B"].slack_weeks == 0  # frequency changed: its slack is reset
    assert settings.cadence["B"].service_min == Settings().cadence["B"].service_min
    assert settings.workday.day_end == "18:00"
    assert reps["day_end"].tolist() == ["18:00", "18:00"]


def test_apply_refuses_an_impossible_cadence() -> None:
    scenario = scenario_from_options(TIERS, cadence=["AAA=visits_per_week:9"])
    with pytest.raises(RouteplanError, match="cadence of AAA"):
        apply_scenario(Settings(), REPS, scenario)


def test_scenario_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        'name = "more reps"\nreps = "+2"\ndrop_channel = "remote"\n[cadence.B]\nevery_weeks = 8\n',
        encoding="utf-8",
    )
    scenario = scenario_from_toml(path, TIERS)
    assert (scenario.name, scenario.reps_delta) == ("more reps", 2)
    assert dict(scenario.cadence) == {"B": {"every_weeks": 8}}


def test_scenario_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[cadence.Z]\nevery_weeks = 8\n", encoding="utf-8")
    with pytest.raises(RouteplanError, match=r"s\.toml: --cadence .*unknown tier 'Z'"):
        scenario_from_toml(path, TIERS)
    path.write_text("color = 1\n", encoding="utf-8")
    with pytest.raises(RouteplanError, match="unknown key"):
        scenario_from_toml(path, TIERS)
