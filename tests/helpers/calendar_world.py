"""Seeded synthetic worlds for calendar and store tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

TIER_SHARES = (("AAA", 0.01), ("AA", 0.03), ("A", 0.15))


def tier_by_rank(revenue: np.ndarray) -> np.ndarray:
    """Top 1% AAA, next 3% AA, next 15% A, rest B (by revenue rank)."""
    order = np.argsort(-np.asarray(revenue), kind="stable")
    tiers = np.full(len(order), "B", dtype=object)
    start = 0
    for tier, share in TIER_SHARES:
        count = max(1, round(share * len(order)))
        tiers[order[start : start + count]] = tier
        start += count
    return tiers


def synthetic_world(
    n_clients: int = 600, n_reps: int = 3, *, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clients around a city centre (clustered), split into rep sectors; reps at home."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 0.08, size=(12, 2))
    which = rng.integers(0, len(centres), n_clients)
    pts = centres[which] + rng.normal(0, 0.025, size=(n_clients, 2))
    lat = 60.17 + pts[:, 0]
    lon = 24.94 + pts[:, 1] * 2
    angle = np.arctan2(pts[:, 0], pts[:, 1])
    rep_idx = np.floor((angle + np.pi) / (2 * np.pi) * n_reps).astype(int) % n_reps
    revenue = rng.lognormal(10, 1, n_clients)
    clients = pd.DataFrame(
        {
            "client_id": [f"C{i:05d}" for i in range(n_clients)],
            "rep_id": [f"R{r}" for r in rep_idx],
            "tier": tier_by_rank(revenue),
            "lat": lat,
            "lon": lon,
            "revenue": revenue,
        }
    )
    reps = pd.DataFrame(
        {
            "rep_id": [f"R{r}" for r in range(n_reps)],
            "home_lat": [lat[rep_idx == r].mean() for r in range(n_reps)],
            "home_lon": [lon[rep_idx == r].mean() for r in range(n_reps)],
            "workdays": ["Mon Tue Wed Thu Fri"] * n_reps,
        }
    )
    return clients, reps
