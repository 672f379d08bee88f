"""Lifecycle columns in tiering: named in the reason, weighable in the score."""

from __future__ import annotations

import pandas as pd

from routeplan.config import TiersConfig
from routeplan.tiers.rules import tier_clients


def _clients() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_id": [f"C{i}" for i in range(10)],
            "revenue": [1000.0 * (10 - i) for i in range(10)],
            "margin": 0.3,
            "growth_potential": [0.0] * 9 + [1.0],
            "stage": ["regular"] * 8 + ["occasional", "prospect"],
            "share_of_wallet": [1.0] * 8 + [0.3, float("nan")],
            "buys_from_competitors": [None] * 10,
        }
    )


def test_reasons_name_the_lifecycle_facts() -> None:
    rules = TiersConfig(potential={"enabled": False})
    tiered = tier_clients(_clients(), rules).clients
    expected = "stage occasional, share of wallet 30%, also buys from competitors"
    assert tiered["tier_reason"].iloc[8].endswith(f"; {expected}, growth potential 0%")
    assert "stage prospect" in tiered["tier_reason"].iloc[9]
    assert "competitors" not in tiered["tier_reason"].iloc[0]


def test_without_lifecycle_columns_reasons_are_unchanged() -> None:
    rules = TiersConfig(potential={"enabled": False})
    plain = _clients().drop(columns=["growth_potential", "stage", "share_of_wallet"])
    reasons = tier_clients(plain.drop(columns=["buys_from_competitors"]), rules).clients
    assert not reasons["tier_reason"].str.contains(";").any()


def test_growth_potential_can_weigh_in_the_score() -> None:
    by_revenue = TiersConfig(potential={"enabled": False})
    weighed = TiersConfig(
        score={"revenue": 1.0, "growth_potential": 3.0}, potential={"enabled": False}
    )
    last = _clients()["client_id"].iloc[-1]
    before = tier_clients(_clients(), by_revenue).clients.set_index("client_id")["tier"]
    after = tier_clients(_clients(), weighed).clients.set_index("client_id")["tier"]
    order = by_revenue.order
    assert order.index(after[last]) < order.index(before[last])
