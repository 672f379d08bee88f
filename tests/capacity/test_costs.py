"""Cost to serve on a hand-made world whose legs are known."""

from __future__ import annotations

import pandas as pd
import pytest

from routeplan.capacity.costs import cost_summary, cost_to_serve, travel_per_visit
from routeplan.capacity.travel_share import routed_travel_share, stop_travel_share
from routeplan.config import settings_from_dict

# One rep, two days: day 1 home → A (10 min) → B (4 min) → home (6 min);
# day 2 home → B (8 min) → home (8 min). km are minutes / 2.
ROUTES = pd.DataFrame(
    {
        "week": [1, 1, 1],
        "rep_id": ["R1", "R1", "R1"],
        "date": ["2027-01-04", "2027-01-04", "2027-01-05"],
        "seq": [1, 2, 1],
        "client_id": ["A", "B", "B"],
        "travel_min": [10.0, 4.0, 8.0],
        "km": [5.0, 2.0, 4.0],
    }
)
DAYS = pd.DataFrame(
    {
        "week": [1, 1],
        "rep_id": ["R1", "R1"],
        "date": ["2027-01-04", "2027-01-05"],
        "travel_min": [20.0, 16.0],
        "km": [10.0, 8.0],
    }
)


def _clients() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_id": ["A", "B", "C"],
            "lat": [60.17, 60.18, 60.19],
            "lon": [24.94, 24.95, 24.96],
            "revenue": [10_000.0, 2_000.0, 500.0],
            "margin": [0.3, 0.25, 0.2],
            "tier": ["AA", "A", "B"],
            "service_min": [45.0, 30.0, float("nan")],
            "zone": ["Z1", "Z1", "Z1"],
            "rep_id": ["R1", "R1", "R1"],
        }
    )


def test_stop_shares_add_up_to_each_days_drive() -> None:
    shares = stop_travel_share(ROUTES, DAYS)
    assert shares["travel_min"].tolist() == [12.0, 8.0, 16.0]
    assert shares["travel_min"].sum() == DAYS["travel_min"].sum()
    assert shares["km"].sum() == DAYS["km"].sum()


def test_routed_share_is_the_mean_per_visit() -> None:
    routed = routed_travel_share(ROUTES, DAYS)
    assert routed.loc["A", "routed_travel_min"] == 12.0  # 10 from home + 4 / 2
    assert routed.loc["B", "routed_travel_min"] == 12.0  # (4 / 2 + 6 home, then 8 + 8) / 2
    assert routed.loc["B", "routed_visits"] == 2


def test_cost_to_serve_from_known_legs() -> None:
    settings = settings_from_dict(
        {"costs": {"rep_hour": 60.0, "per_km": 0.5, "weeks_per_year": 40}}
    )
    clients = _clients()
    travel = travel_per_visit(clients, settings, routed_travel_share(ROUTES, DAYS))
    costs = cost_to_serve(clients, travel, settings).set_index("client_id")
    # A (AA: 1 visit a week): 40 visits × ((45 + 12) min at 1 €/min + 6 km × 0.5)
    assert costs.loc["A", "visits_per_year"] == 40
    assert costs.loc["A", "cost_to_serve"] == pytest.approx(40 * (57 + 3))
    assert costs.loc["A", "annual_margin"] == pytest.approx(3000.0)
    assert costs.loc["A", "margin_after_service"] == pytest.approx(3000.0 - 40 * 60)
    assert costs.loc["A", "serve_ratio"] == pytest.approx(40 * 60 / 3000.0)
    # B (A: every 4 weeks): 10 visits × ((30 + 12) min + 6 km × 0.5)
    assert costs.loc["B", "cost_to_serve"] == pytest.approx(10 * (42 + 3))
    assert costs.loc[["A", "B"], "travel_source"].eq("routed").all()
    # C was never routed: the estimate, scaled by routed ÷ estimated drive of A and B
    assert costs.loc["C", "travel_source"] == "estimate"
    assert travel.routed_accounts == 2
    assert travel.calibration > 0


def test_no_margin_leaves_the_ratio_empty() -> None:
    settings = settings_from_dict({})
    clients = _clients().assign(margin=[0.3, 0.0, 0.2])
    costs = cost_to_serve(clients, travel_per_visit(clients, settings), settings)
    assert costs["serve_ratio"].isna().tolist() == [False, True, False]


def test_prospects_take_their_own_cadence() -> None:
    settings = settings_from_dict(
        {"capacity": {"prospect_every_weeks": 4, "prospect_service_min": 25}}
    )
    clients = _clients().assign(tier="AAA", stage=["prospect", "regular", ""])
    costs = cost_to_serve(clients, travel_per_visit(clients, settings), settings)
    weeks = settings.costs.weeks_per_year
    assert costs["visits_per_year"].tolist() == pytest.approx([weeks / 4, 2 * weeks, 2 * weeks])
    assert costs["service_min"].iloc[0] == 25


def test_summary_totals_match_the_accounts() -> None:
    settings = settings_from_dict({})
    clients = _clients()
    costs = cost_to_serve(clients, travel_per_visit(clients, settings), settings)
    table = cost_summary(costs, "tier").set_index("tier")
    assert table.loc["total", "cost_to_serve"] == pytest.approx(costs["cost_to_serve"].sum())
    assert table.loc["total", "accounts"] == 3
