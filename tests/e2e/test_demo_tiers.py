"""The demo's tiering matches the configured shares (the table in the README)."""

from __future__ import annotations

import pytest
from helpers.world import DEMO

from routeplan.planning.prepare import prepare
from routeplan.tiers.summary import tier_summary

pytestmark = pytest.mark.slow  # end to end on the demo data


def test_demo_rule_tiers_match_the_configured_shares() -> None:
    prepared = prepare(DEMO)
    clients = prepared.clients
    n = len(clients)
    by_rule = clients["rule_tier"].value_counts()
    targets = prepared.settings.tiers.shares.shares
    for tier, share in targets.items():
        assert abs(by_rule[tier] - share * n) <= 1, (tier, by_rule[tier], share * n)
    summary = tier_summary(clients, prepared.settings).set_index("tier")
    # promotions by potential come on top of the rule and are counted, not hidden
    assert (summary["accounts"] - summary["promoted"]).loc["A"] == by_rule["A"] - (
        (clients["rule_tier"] == "A") & (clients["tier"] != "A")
    ).sum()
    assert summary["accounts"].sum() == n
