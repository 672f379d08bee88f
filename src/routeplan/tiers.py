"""Stand-in tiering (replaced by the tiers branch): Pareto shares of revenue."""

from __future__ import annotations

import numpy as np
import pandas as pd

from routeplan.config import TiersConfig


def assign_tiers(
    clients: pd.DataFrame,
    rules: TiersConfig,
    *,
    previous: pd.DataFrame | None = None,
    source: str = "clients.csv",
) -> pd.DataFrame:
    """Tier by share of accounts ranked by revenue; overrides win."""
    out = clients.copy()
    order = np.argsort(-out["revenue"].to_numpy(), kind="stable")
    rank = np.empty(len(out), dtype=int)
    rank[order] = np.arange(len(out))
    tiers = np.full(len(out), rules.order[-1], dtype=object)
    start = 0
    for tier, share in rules.shares.shares.items():
        count = int(round(share * len(out)))
        tiers[(rank >= start) & (rank < start + count)] = tier
        start += count
    out["tier"] = np.where(out["tier"].fillna("") != "", out["tier"], tiers)
    out["tier_reason"] = "rule"
    return out
