"""Prospects' compliance is counted apart: not in their tier's row, not in the total."""

from __future__ import annotations

import pandas as pd

from routeplan.kpis.measures import PROSPECTS, cadence_compliance


def test_prospects_have_their_own_row() -> None:
    due = pd.DataFrame(
        {
            "client_id": ["C1", "C1", "P1", "P2"],
            "week": [1, 2, 1, 1],
            "tier": ["AAA", "AAA", "AAA", "B"],
            "reason_code": [
                "per_week count=2",
                "per_week count=2",
                "prospect; every_n_weeks weeks=4 phase=1",
                "prospect; every_n_weeks weeks=4 phase=1",
            ],
        }
    )
    planned = pd.DataFrame({"client_id": ["C1", "C1", "P1"], "week": [1, 2, 1], "tier": "AAA"})
    table = cadence_compliance(due, planned, None, through_week=2, tier_order=["AAA", "B"])
    rows = table.set_index("tier")
    assert list(table["tier"]) == ["AAA", "total", PROSPECTS]
    assert rows.loc["AAA", "due"] == 2 and rows.loc["AAA", "compliance_pct"] == 100.0
    assert rows.loc["total", "due"] == 2
    assert rows.loc[PROSPECTS, "due"] == 2 and rows.loc[PROSPECTS, "compliance_pct"] == 50.0
    # without prospects nothing changes
    plain = cadence_compliance(due.iloc[:2], planned.iloc[:2], None, through_week=2)
    assert list(plain["tier"]) == ["AAA", "total"]
