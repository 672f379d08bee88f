"""A cycle as a planner lives it: build, log what happened, build the next week, report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from routeplan.cli.main import main


def run(world: Path, *args: str):
    result = CliRunner().invoke(main, ["--data", str(world), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_missed_visit_comes_back_and_counts_in_compliance(world: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    maps = tmp_path / "maps"
    run(world, "build", "--week", "1", "--out", str(out), "--maps", str(maps))
    week1 = pd.read_csv(out / "week-01" / "routes.csv")
    missed = week1[week1["tier"] == "B"].iloc[0]  # every 4 weeks: not due again in week 2 or 3
    done = week1.drop(index=missed.name)
    log = pd.concat(
        [
            pd.DataFrame({"client_id": done["client_id"], "date": done["date"], "status": "done"}),
            pd.DataFrame(
                {"client_id": [missed["client_id"]], "date": [missed["date"]], "status": ["missed"]}
            ),
        ]
    )
    log.to_csv(tmp_path / "visits.csv", index=False)
    run(world, "log", "import", str(tmp_path / "visits.csv"))

    run(world, "build", "--week", "2", "--out", str(out), "--maps", str(maps))
    week2 = pd.read_csv(out / "week-02" / "routes.csv")
    back = week2[week2["client_id"] == missed["client_id"]]
    assert len(back) == 1
    assert bool(back["catch_up"].iloc[0])
    assert back["reason"].iloc[0] == "catch-up: missed in week 1"

    report = run(world, "report", "--week", "2", "--out", str(out))
    compliance = pd.read_csv(out / "week-02" / "kpi-compliance-week-02.csv")
    total = compliance[compliance["tier"] == "total"].iloc[0]
    assert total["done"] == len(done)
    assert total["missed"] == 1
    assert "Cadence compliance" in report.output
    assert (out / "week-02" / "report-week-02.html").exists()


def test_rebuilding_a_week_gives_the_same_plan(world: Path, tmp_path: Path) -> None:
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    run(world, "build", "--week", "3", "--out", str(out_a), "--maps", str(tmp_path / "m"))
    run(world, "build", "--week", "3", "--out", str(out_b), "--maps", str(tmp_path / "m"))
    first = pd.read_csv(out_a / "week-03" / "routes.csv")
    second = pd.read_csv(out_b / "week-03" / "routes.csv")
    pd.testing.assert_frame_equal(first, second)


def test_builds_keep_tiers_within_the_hysteresis_band(world: Path, tmp_path: Path) -> None:
    from helpers.world import tiny_clients, write_world

    from routeplan.planning.store import PlanStore

    config = world / "routeplan.toml"
    settings_text = config.read_text() + "\n[tiers]\nhysteresis = 0.2\n"
    config.write_text(settings_text)
    out, maps = str(tmp_path / "out"), str(tmp_path / "maps")
    run(world, "build", "--week", "1", "--out", out, "--maps", maps)
    with PlanStore(world / "plan.sqlite") as store:
        first = store.load_tiers().set_index("client_id")
    assert (first.loc["C007", "tier"], first.loc["C008", "tier"]) == ("A", "B")

    clients = tiny_clients()
    clients.loc[8, "revenue"] = 1_090_000.0  # just above C007: the rule alone would swap them
    write_world(world, clients=clients)
    config.write_text(settings_text)  # write_world rewrote it
    run(world, "build", "--week", "2", "--out", out, "--maps", maps)
    with PlanStore(world / "plan.sqlite") as store:
        second = store.load_tiers().set_index("client_id")
    assert (second.loc["C007", "tier"], second.loc["C008", "tier"]) == ("A", "B")
    assert (second.loc["C007", "rule_tier"], second.loc["C008", "rule_tier"]) == ("A", "B")
    assert "hysteresis" in set(second.loc[["C007", "C008"], "tier_source"])


def test_missed_key_account_visit_is_made_up_next_week(world: Path, tmp_path: Path) -> None:
    out, maps = tmp_path / "out", tmp_path / "maps"
    run(world, "build", "--week", "1", "--out", str(out), "--maps", str(maps))
    week1 = pd.read_csv(out / "week-01" / "routes.csv")
    key = week1[week1["tier"].isin(["AAA", "AA"])].sort_values("tier", key=lambda t: t.str.len())
    missed = key.iloc[-1]  # an AAA visit when the world has one, else AA
    log = pd.DataFrame(
        {"client_id": [missed["client_id"]], "date": [missed["date"]], "status": ["missed"]}
    )
    log.to_csv(tmp_path / "visits.csv", index=False)
    imported = run(world, "log", "import", str(tmp_path / "visits.csv"))
    assert "1 visit to catch up from week 2." in imported.output

    run(world, "build", "--week", "2", "--out", str(out), "--maps", str(maps))
    week2 = pd.read_csv(out / "week-02" / "routes.csv")
    mine = week2[week2["client_id"] == missed["client_id"]]
    regular = int((week1["client_id"] == missed["client_id"]).sum())
    assert len(mine) == regular + 1  # the regular visits and the extra one
    extra = mine[mine["catch_up"]]
    assert extra["priority"].tolist() == [1]
    assert extra["reason"].str.contains("missed in week 1").all()
    assert mine["date"].nunique() == len(mine)  # spaced on different days
