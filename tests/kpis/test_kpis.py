from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from helpers.exports_fixtures import settings_for, small_reps, small_week_plan
from hypothesis import given, settings
from hypothesis import strategies as st

from routeplan.config import Settings
from routeplan.kpis.measures import (
    TOTAL,
    backlog,
    cadence_compliance,
    drive_by_rep_day,
    last_visits,
    overdue_clients,
    utilisation,
    workload_balance,
)

START = dt.date(2027, 1, 4)  # Monday of week 1


def _rows(client_id: str, tier: str, weeks: list[int]) -> list[dict[str, object]]:
    return [{"client_id": client_id, "week": w, "tier": tier} for w in weeks]


@pytest.fixture
def compliance_case():
    """Cycle to date = weeks 1-4. Hand-computed expectations in the test below.

    C1 AAA: due twice a week (weeks 1-6 in the calendar, 8 due through week 4), planned 8;
            log: 5 done + 1 missed in weeks 1-3, one more done in week 5 (not counted).
            met = min(done 5 + open (8-5-1=2), 8) = 7
    C2 A:   due week 2; planned week 2 (logged missed) and a catch-up in week 4 (not logged).
            met = min(0 + (2-0-1=1), 1) = 1; planned_ok = min(2,1) = 1; done_ok = 0
    C3 A:   due week 3; planned week 3; done twice in week 3 (one ad hoc).
            met = min(2 + 0, 1) = 1; done_ok = 1
    C4 B:   due weeks 1 and 5; never planned, seen only in the previous cycle. met = 0 of 1
    """
    due = pd.DataFrame(
        _rows("C1", "AAA", [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6])
        + _rows("C2", "A", [2])
        + _rows("C3", "A", [3])
        + _rows("C4", "B", [1, 5])
    )
    planned = pd.DataFrame(
        _rows("C1", "AAA", [1, 1, 2, 2, 3, 3, 4, 4])
        + _rows("C2", "A", [2, 4])
        + _rows("C3", "A", [3])
    )
    log = pd.DataFrame(
        [
            ("C1", "2027-01-04", "done"),
            ("C1", "2027-01-07", "done"),
            ("C1", "2027-01-11", "done"),
            ("C1", "2027-01-14", "missed"),
            ("C1", "2027-01-18", "done"),
            ("C1", "2027-01-21", "done"),
            ("C1", "2027-02-01", "done"),  # week 5: after the cut
            ("C2", "2027-01-12", "missed"),
            ("C3", "2027-01-19", "done"),
            ("C3", "2027-01-20", "done"),
            ("C4", "2026-12-28", "done"),  # previous cycle: not counted
        ],
        columns=["client_id", "date", "status"],
    )
    return due, planned, log


def test_cadence_compliance_matches_hand_computed_case(compliance_case):
    due, planned, log = compliance_case
    table = cadence_compliance(due, planned, log, through_week=4, cycle_start=START)
    expected = pd.DataFrame(
        [
            ("AAA", 1, 8, 8, 5, 1, 100.0, 62.5, 87.5),
            ("A", 2, 2, 3, 2, 1, 100.0, 50.0, 100.0),
            ("B", 1, 1, 0, 0, 0, 0.0, 0.0, 0.0),
            # planned 10/11, done 6/11, met 9/11
            (TOTAL, 4, 11, 11, 7, 2, 90.9, 54.5, 81.8),
        ],
        columns=[
            "tier",
            "clients",
            "due",
            "planned",
            "done",
            "missed",
            "planned_pct",
            "done_pct",
            "compliance_pct",
        ],
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_cadence_compliance_reads_a_week_column_instead_of_dates(compliance_case):
    due, planned, log = compliance_case
    weeks = (pd.to_datetime(log["date"]) - pd.Timestamp(START)).dt.days // 7 + 1
    with_weeks = log.assign(week=weeks)
    by_week = cadence_compliance(due, planned, with_weeks, through_week=4)
    by_date = cadence_compliance(due, planned, log, through_week=4, cycle_start=START)
    pd.testing.assert_frame_equal(by_week, by_date)
    with pytest.raises(ValueError, match="cycle_start"):
        cadence_compliance(due, planned, log, through_week=4)


def test_cadence_compliance_without_log_counts_the_plan(compliance_case):
    due, planned, _ = compliance_case
    table = cadence_compliance(due, planned, None, through_week=4).set_index("tier")
    assert table.loc["AAA", "compliance_pct"] == 100.0
    assert table.loc["AAA", "done"] == 0
    assert table.loc[TOTAL, "compliance_pct"] == round(100 * 10 / 11, 1)


def test_unknown_log_status_is_refused(compliance_case):
    due, planned, log = compliance_case
    bad = log.assign(status=["done"] * 10 + ["cancelled"])
    with pytest.raises(ValueError, match="cancelled"):
        cadence_compliance(due, planned, bad, through_week=4, cycle_start=START)


visit_rows = st.lists(
    st.tuples(st.sampled_from(["C1", "C2", "C3", "C4"]), st.integers(1, 6)), max_size=25
)


@settings(max_examples=60, deadline=None)
@given(
    due_rows=visit_rows,
    planned_rows=visit_rows,
    log_rows=st.lists(
        st.tuples(
            st.sampled_from(["C1", "C2", "C3", "C4", "C9"]),
            st.integers(1, 6),
            st.sampled_from(["done", "missed"]),
        ),
        max_size=25,
    ),
    through=st.integers(1, 6),
)
def test_compliance_invariants(due_rows, planned_rows, log_rows, through):
    tiers = {"C1": "AAA", "C2": "A", "C3": "A", "C4": "B"}
    due = pd.DataFrame(
        [{"client_id": c, "week": w, "tier": tiers[c]} for c, w in due_rows],
        columns=["client_id", "week", "tier"],
    )
    planned = pd.DataFrame(
        [{"client_id": c, "week": w, "tier": tiers[c]} for c, w in planned_rows],
        columns=["client_id", "week", "tier"],
    )
    log = pd.DataFrame(log_rows, columns=["client_id", "week", "status"])
    table = cadence_compliance(due, planned, log, through_week=through).set_index("tier")
    total = table.loc[TOTAL]
    assert total["due"] == sum(1 for _, w in due_rows if w <= through)
    assert total["due"] == table.drop(TOTAL)["due"].sum()
    for _, row in table.iterrows():
        if row["due"] == 0:
            assert math.isnan(row["compliance_pct"])
            continue
        assert 0 <= row["done_pct"] <= row["compliance_pct"] <= 100
        assert 0 <= row["planned_pct"] <= 100


@pytest.fixture
def plan():
    return small_week_plan(2, settings_for())


def test_drive_by_rep_day(plan):
    table = drive_by_rep_day(plan).set_index(["rep_id", "day"])
    assert table.loc[("R1", "Mon"), "drive_h"] == round(85 / 60, 2)
    assert table.loc[("R1", "Mon"), "km"] == 33.7
    assert table.loc[("R2", "Tue"), "km_per_visit"] == round(29.5 / 3, 1)
    assert math.isnan(table.loc[("R1", "Wed"), "km_per_visit"])
    assert len(table) == 5


def test_utilisation_uses_rep_overrides_and_defaults(plan):
    table = utilisation(plan, small_reps(), Settings()).set_index(["rep_id", "day"])
    # R1 default day 08:00-17:00 minus 30 min lunch = 510; Mon: 125 + 85 + 10 wait = 220
    assert table.loc[("R1", "Mon"), "available_min"] == 510
    assert table.loc[("R1", "Mon"), "used_min"] == 220
    assert table.loc[("R1", "Mon"), "utilisation_pct"] == round(100 * 220 / 510, 1)
    # R2 08:00-16:00 minus 45 min lunch = 435; Mon: 105 + 70 + 20 wait = 195
    assert table.loc[("R2", "Mon"), "available_min"] == 435
    assert table.loc[("R2", "Mon"), "utilisation_pct"] == round(100 * 195 / 435, 1)
    assert table.loc[("R1", "Wed"), "utilisation_pct"] == 0.0


def test_workload_balance(plan):
    balance = workload_balance(plan)
    per_rep = balance.per_rep.set_index("rep_id")
    # R1: service 215 + travel 175 + wait 10 = 400 min; R2: 215 + 160 + 20 = 395 min
    assert per_rep.loc["R1", "hours"] == round(400 / 60, 2)
    assert per_rep.loc["R2", "hours"] == round(395 / 60, 2)
    assert per_rep.loc["R1", "visits"] == 5
    mean = (400 + 395) / 2 / 60
    assert balance.mean_h == round(mean, 2)
    assert balance.spread == round((5 / 60) / mean, 3)
    assert balance.cv == round((2.5 / 60) / mean, 3)
    assert balance.summary().loc[0, "reps"] == 2


def test_backlog_counts_caught_up_and_carried_forward(plan):
    table = backlog(plan.dropped, plan.routes[plan.routes.catch_up]).set_index("tier")
    assert table.loc["B", "caught_up"] == 1
    assert table.loc["B", "carried_forward"] == 1
    assert table.loc["B", "net_change"] == 0
    assert table.loc[TOTAL].tolist() == [1, 1, 0]


def test_overdue_clients_hand_case():
    cadence = Settings().cadence  # AAA weekly: 7 days; A every 4 + 1 slack: 35; B 12 + 2: 98
    clients = pd.DataFrame(
        [
            ("K1", "Seen a week ago", "AAA", "R1"),
            ("K2", "Seen 8 days ago", "AAA", "R1"),
            ("K3", "A seen 38 days ago", "A", "R2"),
            ("K4", "A never seen", "A", "R2"),
            ("K5", "B seen in October", "B", "R2"),
        ],
        columns=["client_id", "name", "tier", "rep_id"],
    )
    log = pd.DataFrame(
        [
            ("K1", "2027-02-01", "done"),
            ("K2", "2027-01-31", "done"),
            ("K2", "2027-02-03", "missed"),
            ("K3", "2027-01-01", "done"),
            ("K5", "2026-10-01", "done"),
        ],
        columns=["client_id", "date", "status"],
    )
    # as of Monday of week 6 = 2027-02-08
    table = overdue_clients(clients, last_visits(log), cadence, 6, cycle_start=START)
    assert table["client_id"].tolist() == ["K5", "K3", "K2"]
    assert table["overdue_days"].tolist() == [32, 3, 1]
    assert table["days_since"].tolist() == [130, 38, 8]
    assert table["last_visit"].tolist() == ["2026-10-01", "2027-01-01", "2027-01-31"]


def test_overdue_counts_never_seen_clients_from_the_cycle_start():
    clients = pd.DataFrame(
        [("K4", "A never seen", "A", "R2")], columns=["client_id", "name", "tier", "rep_id"]
    )
    empty = pd.Series(dtype=object)
    cadence = Settings().cadence
    assert overdue_clients(clients, empty, cadence, 6, cycle_start=START).empty  # 35 days
    late = overdue_clients(clients, empty, cadence, 7, cycle_start=START)
    assert late["overdue_days"].tolist() == [7]
    assert late["last_visit"].tolist() == [""]
