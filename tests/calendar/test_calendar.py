"""The cycle calendar: cadence, spacing, balance, geography, locks, changes over time."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
from helpers.calendar_world import synthetic_world
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from routeplan.calendar.construction import (
    CALENDAR_COLUMNS,
    build_calendar,
    day_patterns,
    due_in_week,
    naive_calendar,
)
from routeplan.calendar.phases import balanced_bisection, sweep_sectors
from routeplan.calendar.report import cadence_report, client_view, weekly_workload, workload_spread
from routeplan.calendar.updates import (
    add_clients,
    catch_up_outlook,
    replan_from,
    sync_calendar,
    visits_for_week,
)
from routeplan.config import WEEKDAYS, CadenceConfig, CycleConfig, Settings
from routeplan.errors import InputError


@pytest.fixture(scope="module")
def demo_prepared():
    from helpers.world import DEMO

    from routeplan.planning.prepare import prepare

    return prepare(DEMO)


@pytest.fixture(scope="module")
def world() -> tuple[pd.DataFrame, pd.DataFrame]:
    return synthetic_world(600, 3, seed=3)


@pytest.fixture(scope="module")
def calendar(world: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    clients, reps = world
    return build_calendar(clients, Settings(), reps=reps)


def _weekday(name: str) -> int:
    return WEEKDAYS.index(name)


def test_columns_and_every_client_gets_its_cadence(world, calendar) -> None:
    clients, _ = world
    settings = Settings()
    assert list(calendar.columns) == list(CALENDAR_COLUMNS)
    counts = calendar.groupby("client_id").size()
    for cid, tier in zip(clients["client_id"], clients["tier"], strict=True):
        cad = settings.cadence[tier]
        expected = (
            cad.visits_per_week * settings.cycle.weeks
            if cad.visits_per_week
            else settings.cycle.weeks // cad.every_weeks
        )
        assert counts[cid] == expected, (cid, tier)
    assert cadence_report(calendar, clients, settings).empty


def test_spacing_rules_hold(calendar) -> None:
    settings = Settings()
    aaa = calendar[calendar["tier"] == "AAA"]
    for (_, _), grp in aaa.groupby(["client_id", "week"]):
        days = sorted(_weekday(d) for d in grp["days"])
        assert len(days) == 2
        assert days[1] - days[0] >= settings.cadence["AAA"].min_gap_days
    # the same weekday pattern every week
    patterns = aaa.groupby("client_id")["days"].agg(lambda d: tuple(d))
    for cid, days in patterns.items():
        first = days[:2]
        assert all(days[i : i + 2] == first for i in range(0, len(days), 2)), cid
    for tier in ("A", "B"):
        n = settings.cadence[tier].every_weeks
        for _, weeks in calendar[calendar["tier"] == tier].groupby("client_id")["week"]:
            w = sorted(weeks)
            assert 1 <= w[0] <= n
            assert all(b - a == n for a, b in itertools.pairwise(w))


def test_weekly_workload_within_band_on_synthetic(world, calendar) -> None:
    _, reps = world
    spread = workload_spread(calendar, Settings(), reps=reps)
    assert (spread["max_dev_pct"] <= 10.0).all(), spread


def test_weekly_workload_within_band_on_demo_data(demo_prepared) -> None:
    prepared = demo_prepared
    cal = build_calendar(prepared.clients, prepared.settings, reps=prepared.reps)
    spread = workload_spread(cal, prepared.settings, reps=prepared.reps)
    assert len(spread) == prepared.reps["rep_id"].nunique()
    assert (spread["max_dev_pct"] <= 10.0).all(), spread
    assert cadence_report(cal, prepared.clients, prepared.settings).empty
    holidays = set(prepared.settings.cycle.holidays)
    for row in cal[cal["week"].isin([1, 12])].itertuples(index=False):
        monday = prepared.settings.cycle.week_start(row.week)
        for name in row.days.split():
            assert monday + dt.timedelta(days=_weekday(name)) not in holidays


def test_deterministic(world) -> None:
    clients, reps = world
    a = build_calendar(clients, Settings(), reps=reps)
    b = build_calendar(clients.copy(), Settings(), reps=reps.copy())
    pd.testing.assert_frame_equal(a, b)


def _week_spread_km(cal: pd.DataFrame) -> float:
    """Mean distance of every-N clients to the centroid of their rep-week, km."""
    sparse = cal[cal["phase"] > 0]
    x = sparse["lon"] * 111.32 * np.cos(np.deg2rad(60.17))
    y = sparse["lat"] * 111.32
    frame = sparse.assign(x=x, y=y)
    cx = frame.groupby(["rep_id", "week"])[["x", "y"]].transform("mean")
    return float(np.hypot(frame["x"] - cx["x"], frame["y"] - cx["y"]).mean())


def test_weeks_are_geographically_compact_compared_to_naive(world, calendar) -> None:
    clients, reps = world
    naive = naive_calendar(clients, Settings(), reps=reps)
    assert _week_spread_km(calendar) < 0.6 * _week_spread_km(naive)
    pd.testing.assert_series_equal(
        calendar.groupby("client_id").size(), naive.groupby("client_id").size()
    )


def test_naive_is_round_robin_in_input_order(world) -> None:
    clients, reps = world
    naive = naive_calendar(clients, Settings(), reps=reps)
    b = clients[(clients["tier"] == "B") & (clients["rep_id"] == "R0")]["client_id"].tolist()
    phases = naive.drop_duplicates("client_id").set_index("client_id").loc[b, "phase"]
    assert phases.tolist() == [i % 12 + 1 for i in range(len(b))]


def test_holiday_moves_aaa_days_and_keeps_the_gap() -> None:
    clients = pd.DataFrame(
        {
            "client_id": ["X1", "X2", "X3"],
            "rep_id": ["R"] * 3,
            "tier": ["AAA", "AAA", "A"],
            "lat": [60.1, 60.11, 60.12],
            "lon": [24.9, 24.91, 24.92],
        }
    )
    # week 1 starts Mon 2027-01-04: Wed 6 and Fri 8 are holidays
    settings = Settings(
        cycle=CycleConfig(weeks=4, holidays=[dt.date(2027, 1, 6), dt.date(2027, 1, 8)])
    )
    cal = build_calendar(clients, settings)
    week1 = cal[cal["week"] == 1]
    assert not week1["days"].str.contains("Wed|Fri").any()
    for _, grp in week1[week1["tier"] == "AAA"].groupby("client_id"):
        days = sorted(_weekday(d) for d in grp["days"])
        assert len(days) == 2 and days[1] - days[0] >= 2
    assert cadence_report(cal, clients, settings).empty


def test_whole_holiday_week_is_reported_not_silently_lost() -> None:
    clients = pd.DataFrame(
        {"client_id": ["X1"], "rep_id": ["R"], "tier": ["AA"], "lat": [60.1], "lon": [24.9]}
    )
    settings = Settings(
        cycle=CycleConfig(
            weeks=2, holidays=[dt.date(2027, 1, 4) + dt.timedelta(d) for d in range(5)]
        )
    )
    cal = build_calendar(clients, settings)
    assert cal["week"].tolist() == [2]
    report = cadence_report(cal, clients, settings)
    assert report[["client_id", "expected", "planned"]].values.tolist() == [["X1", 2, 1]]


def test_open_days_and_rep_workdays_are_honoured(world) -> None:
    clients, reps = world
    clients = clients.assign(open_days="")
    clients.loc[clients.index[:50], "open_days"] = "Tue Thu"
    reps = reps.assign(workdays=["Mon Tue Wed Thu", "Mon Tue Wed Thu Fri", "Tue Wed Thu Fri"])
    cal = build_calendar(clients, Settings(), reps=reps)
    limited = cal[cal["client_id"].isin(clients["client_id"][:50])]
    assert set(" ".join(limited["days"]).split()) <= {"Tue", "Thu"}
    r0 = cal[cal["rep_id"] == "R0"]
    assert "Fri" not in " ".join(r0["days"])
    assert "Mon" not in " ".join(cal[cal["rep_id"] == "R2"]["days"])
    assert cadence_report(cal, clients, Settings()).empty


def test_locks_pin_week_and_day(world) -> None:
    clients, reps = world
    b_client = clients[clients["tier"] == "B"]["client_id"].iloc[0]
    a_client = clients[clients["tier"] == "A"]["client_id"].iloc[0]
    aaa_client = clients[clients["tier"] == "AAA"]["client_id"].iloc[0]
    locks = pd.DataFrame(
        {
            "client_id": [b_client, a_client, aaa_client],
            "week": [7, 3, None],
            "day": [None, "Tue", "Fri"],
        }
    )
    cal = build_calendar(clients, Settings(), reps=reps, locks=locks)
    b_rows = cal[cal["client_id"] == b_client]
    assert b_rows["week"].tolist() == [7]
    a_rows = cal[cal["client_id"] == a_client]
    assert a_rows["week"].tolist() == [3, 7, 11]
    assert set(a_rows["days"]) == {"Tue"}
    aaa_days = cal[cal["client_id"] == aaa_client]["days"]
    assert (aaa_days == "Fri").sum() == 12


def test_unknown_tier_and_missing_columns_are_input_errors(world) -> None:
    clients, _ = world
    bad = clients.copy()
    bad.loc[bad.index[4], "tier"] = "ZZ"
    with pytest.raises(InputError, match=r"row 6, column 'tier'.*ZZ"):
        build_calendar(bad, Settings())
    with pytest.raises(InputError, match="missing column 'rep_id'"):
        build_calendar(clients.drop(columns=["rep_id"]), Settings())


def test_add_clients_moves_nobody_else(world, calendar) -> None:
    clients, reps = world
    rng = np.random.default_rng(9)
    new = pd.DataFrame(
        {
            "client_id": [f"N{i}" for i in range(8)],
            "rep_id": ["R0", "R1", "R2", "R0", "R1", "R2", "R0", "R1"],
            "tier": ["B", "B", "A", "A", "AA", "AAA", "B", "B"],
            "lat": 60.17 + rng.normal(0, 0.05, 8),
            "lon": 24.94 + rng.normal(0, 0.1, 8),
        }
    )
    out = add_clients(calendar, new, Settings(), reps=reps)
    old = out[~out["client_id"].isin(new["client_id"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(old, calendar.reset_index(drop=True), check_like=True)
    all_clients = pd.concat([clients, new], ignore_index=True)
    assert cadence_report(out, all_clients, Settings()).empty
    assert (workload_spread(out, Settings(), reps=reps)["max_dev_pct"] <= 10.0).all()


def test_sync_calendar_handles_new_removed_and_retiered_clients(world, calendar) -> None:
    clients, reps = world
    same, changes = sync_calendar(calendar, clients, Settings(), reps=reps)
    pd.testing.assert_frame_equal(same, calendar)
    assert not any(changes.values())
    b_ids = clients[clients["tier"] == "B"]["client_id"]
    gone, retiered = b_ids.iloc[0], b_ids.iloc[1]
    now = clients[clients["client_id"] != gone].copy()
    now.loc[now["client_id"] == retiered, "tier"] = "A"
    out, changes = sync_calendar(calendar, now, Settings(), reps=reps)
    assert changes["removed"] == [gone] and changes["changed"] == [retiered]
    assert gone not in set(out["client_id"])
    assert len(out[out["client_id"] == retiered]) == 3
    untouched = ~calendar["client_id"].isin([gone, retiered])
    kept = out[~out["client_id"].isin([gone, retiered])].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, calendar[untouched].reset_index(drop=True))


def test_replan_from_keeps_past_weeks_and_cadence_across_the_seam(world, calendar) -> None:
    clients, reps = world
    settings = Settings()
    moved = clients.copy()
    moved.loc[moved.index[:40], "rep_id"] = "R1"  # a territory change from week 6 on
    out = replan_from(calendar, moved, settings, 6, reps=reps)
    pd.testing.assert_frame_equal(
        out[out["week"] < 6].reset_index(drop=True),
        calendar[calendar["week"] < 6].reset_index(drop=True),
    )
    assert set(out.loc[out["week"] >= 6 & out["client_id"].isin(moved["client_id"][:40]), "rep_id"])
    for tier in ("A", "B"):
        cad = settings.cadence[tier]
        for _, weeks in out[out["tier"] == tier].groupby("client_id")["week"]:
            w = sorted(weeks)
            for a, b in itertools.pairwise(w):
                assert (
                    cad.every_weeks - cad.slack_weeks <= b - a <= cad.every_weeks + cad.slack_weeks
                )
    counts = out[out["tier"] == "A"].groupby("client_id").size()
    assert counts.between(2, 4).all()


def test_missed_visit_reappears_as_catch_up(world, calendar) -> None:
    b_rows = calendar[(calendar["tier"] == "B") & (calendar["week"] == 3)]
    cid = b_rows["client_id"].iloc[0]
    backlog = pd.DataFrame(
        {"client_id": [cid], "week_due": [3], "weeks_overdue": [1], "source": ["missed"]}
    )
    week4 = visits_for_week(calendar, 4, Settings(), backlog=backlog)
    row = week4[week4["client_id"] == cid]
    assert len(row) == 1 and bool(row["catch_up"].iloc[0]) and row["priority"].iloc[0] == 1
    assert row["reason_code"].iloc[0] == "catch_up_missed week=3"
    assert len(week4) == len(due_in_week(calendar, 4)) + 1
    # an every-N client regularly due that week is not doubled: that visit makes up for it
    a_due = calendar[(calendar["tier"] == "A") & (calendar["week"] == 4)]["client_id"].iloc[0]
    assert len(
        visits_for_week(calendar, 4, Settings(), backlog=backlog.assign(client_id=a_due))
    ) == len(due_in_week(calendar, 4))


def test_missed_weekly_visit_comes_back_as_an_extra_visit(calendar) -> None:
    aa = calendar[(calendar["tier"] == "AA") & (calendar["week"] == 4)]["client_id"].iloc[0]
    backlog = pd.DataFrame(
        {"client_id": [aa], "week_due": [2], "weeks_overdue": [2], "source": ["missed"]}
    )
    week4 = visits_for_week(calendar, 4, Settings(), backlog=backlog)
    rows = week4[week4["client_id"] == aa].sort_values("visit_no")
    assert rows["catch_up"].tolist() == [False, True]
    assert rows["visit_no"].tolist() == [1, 2] and rows["priority"].tolist() == [0, 2]
    assert (rows["days"] == rows["allowed_days"]).all()  # routing spaces both visits
    # the old rule (the regular visit makes up for it) stays reachable
    old = Settings(calendar={"make_up_weekly": False})
    assert len(visits_for_week(calendar, 4, old, backlog=backlog)) == len(due_in_week(calendar, 4))


def test_weekly_make_up_waits_when_spacing_leaves_no_room(calendar) -> None:
    aaa = calendar[(calendar["tier"] == "AAA") & (calendar["week"] == 4)]["client_id"].iloc[0]
    backlog = pd.DataFrame(
        {"client_id": [aaa], "week_due": [3], "weeks_overdue": [1], "source": ["missed"]}
    )
    # three AAA visits two days apart need Mon, Wed and Fri: not with Wed off
    settings = Settings(workday={"workdays": ["Mon", "Tue", "Thu", "Fri"]})
    cal = calendar.assign(allowed_days="Mon Tue Thu Fri")
    outlook = catch_up_outlook(cal, 4, settings, backlog=backlog)
    assert outlook["why"].tolist() == ["no_room"]
    assert catch_up_outlook(calendar, 4, Settings(), backlog=backlog)["why"].tolist() == [
        "catch_up"
    ]


def test_reports(calendar) -> None:
    table = weekly_workload(calendar, weeks=12)
    assert len(table) == 3 * 12
    assert np.isclose(
        table["load_min"].sum(), (calendar["service_min"] + calendar["travel_min"]).sum()
    )
    view = client_view(calendar, weeks=12)
    aaa = calendar[calendar["tier"] == "AAA"]["client_id"].iloc[0]
    assert "+" in view.loc[aaa, 1]
    b = calendar[calendar["tier"] == "B"].iloc[0]
    assert (view.loc[b["client_id"], list(range(1, 13))] != "").sum() == 1


def test_balanced_bisection_is_compact_and_even() -> None:
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 10, size=(400, 2))
    labels = balanced_bisection(xy, np.ones(400), 12)
    sizes = np.bincount(labels, minlength=12)
    assert sizes.min() >= 30 and sizes.max() <= 37
    within = np.mean(
        [
            np.linalg.norm(xy[labels == g] - xy[labels == g].mean(0), axis=1).mean()
            for g in range(12)
        ]
    )
    overall = np.linalg.norm(xy - xy.mean(0), axis=1).mean()
    assert within < 0.45 * overall


def test_day_patterns_respect_gap() -> None:
    assert day_patterns(0b11111, 2, 2) == ((0, 2), (0, 3), (0, 4), (1, 3), (1, 4), (2, 4))
    assert day_patterns(0b11111, 3, 2) == ((0, 2, 4),)
    assert day_patterns(0b00101, 2, 3) == ()


@st.composite
def small_world(draw):
    n = draw(st.integers(1, 40))
    n_reps = draw(st.integers(1, 3))
    weeks = draw(st.sampled_from([4, 6, 8, 12]))
    every = draw(st.sampled_from([2, 3, 4, 6]))
    per_week = draw(st.integers(2, 3))
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    clients = pd.DataFrame(
        {
            "client_id": [f"C{i}" for i in range(n)],
            "rep_id": [f"R{i % n_reps}" for i in range(n)],
            "tier": rng.choice(["P", "Q", "S"], n),
            "lat": 60 + rng.uniform(0, 0.2, n),
            "lon": 24 + rng.uniform(0, 0.4, n),
            "open_days": rng.choice(["", "Mon Wed Fri", "Tue Thu", "Mon Tue Wed Thu Fri"], n),
        }
    )
    cadence = {
        "P": CadenceConfig(visits_per_week=per_week, min_gap_days=2 if per_week == 2 else 1),
        "Q": CadenceConfig(visits_per_week=1),
        "S": CadenceConfig(every_weeks=every, slack_weeks=1),
    }
    n_hol = draw(st.integers(0, 3))
    holidays = [
        dt.date(2027, 1, 4) + dt.timedelta(days=int(d)) for d in rng.integers(0, weeks * 7, n_hol)
    ]
    settings = Settings(
        cycle=CycleConfig(weeks=weeks, holidays=holidays),
        cadence=cadence,
        tiers={"order": ["P", "Q", "S"], "shares": {"shares": {"P": 0.1, "Q": 0.2}}},
    )
    return clients, settings


@hyp_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_world())
def test_property_cadence_met_or_reported_and_days_valid(world_and_settings) -> None:
    clients, settings = world_and_settings
    cal = build_calendar(clients, settings)
    report = cadence_report(cal, clients, settings)
    counts = cal.groupby("client_id").size()
    for cid, tier in zip(clients["client_id"], clients["tier"], strict=True):
        cad = settings.cadence[tier]
        planned = int(counts.get(cid, 0))
        if cad.visits_per_week:
            ok = planned == cad.visits_per_week * settings.cycle.weeks
        else:
            ok = (
                settings.cycle.weeks // cad.every_weeks
                <= planned
                <= -(-settings.cycle.weeks // cad.every_weeks)
            )
        assert ok or cid in set(report["client_id"]), (cid, tier, planned)
    holidays = set(settings.cycle.holidays)
    opens = dict(zip(clients["client_id"], clients["open_days"], strict=True))
    for row in cal.itertuples(index=False):
        assert row.days, row
        monday = settings.cycle.week_start(row.week)
        for name in row.days.split():
            assert monday + dt.timedelta(days=_weekday(name)) not in holidays
            assert not opens[row.client_id] or name in opens[row.client_id]
    # two visits of a client in one week are on different days
    multi = cal[cal["visit_no"] > 0].groupby(["client_id", "week"])["days"]
    assert (multi.nunique() == multi.size()).all()


def test_sweep_sectors_are_even_angular_slices() -> None:
    rng = np.random.default_rng(1)
    angle = rng.uniform(-np.pi, np.pi, 100)
    xy = np.column_stack([np.cos(angle), np.sin(angle)]) * rng.uniform(1, 5, (100, 1))
    labels = sweep_sectors(xy, np.ones(100), np.zeros(2), 5)
    assert np.bincount(labels).tolist() == [20] * 5
    # each sector is one contiguous arc: sorted by angle, labels change at most 5 times
    order = np.argsort(angle)
    changes = np.count_nonzero(np.diff(labels[order])) + (labels[order][0] != labels[order][-1])
    assert changes <= 5


def test_workday_sectors_option_keeps_cadence_and_band(world) -> None:
    clients, reps = world
    settings = Settings(calendar={"sectors": 0})
    cal = build_calendar(clients, settings, reps=reps)
    assert cadence_report(cal, clients, settings).empty
    assert (workload_spread(cal, settings, reps=reps)["max_dev_pct"] <= 10.0).all()
    # each rep-week now holds clients from several sectors, i.e. it is spread wider
    one_area = build_calendar(clients, Settings(), reps=reps)
    assert _week_spread_km(cal) > _week_spread_km(one_area)
