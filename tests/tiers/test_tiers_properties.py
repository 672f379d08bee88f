"""Invariants of client tiering, checked on random client sets (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from routeplan.config import TiersConfig
from routeplan.tiers.rules import TIER_SOURCES, assign_tiers

SHARE_RULES = [
    TiersConfig.model_validate({"potential": {"enabled": False}}),
    TiersConfig.model_validate({"potential": {"enabled": False}, "scope": "zone"}),
    TiersConfig.model_validate(
        {
            "potential": {"enabled": False},
            "shares": {"basis": "revenue", "shares": {"AAA": 0.2, "AA": 0.3, "A": 0.3}},
        }
    ),
    TiersConfig.model_validate(
        {
            "potential": {"enabled": False},
            "scope": "zone",
            "score": {"revenue": 2.0, "margin": 1.0, "potential": 1.0},
            "order": ["A", "B", "C"],
            "shares": {"shares": {"A": 0.2, "B": 0.3}},
        }
    ),
]
ALL_RULES = [
    *SHARE_RULES,
    TiersConfig(),
    TiersConfig.model_validate({"rule": "matrix", "scope": "zone"}),
    TiersConfig.model_validate(
        {"rule": "matrix", "matrix": {"thresholds": "absolute", "volume_threshold": 5e5}}
    ),
]
ZONES = ("N", "S", "E")


@st.composite
def client_sets(draw: st.DrawFn, *, max_size: int = 60) -> pd.DataFrame:
    n = draw(st.integers(1, max_size))
    money = st.one_of(st.integers(0, 10**6), st.sampled_from([0, 1_000, 5_000]))
    revenue = draw(st.lists(money, min_size=n, max_size=n))
    if not any(revenue):
        revenue[0] = 1
    margin = draw(st.lists(st.integers(1, 100), min_size=n, max_size=n))
    potential = draw(st.lists(money, min_size=n, max_size=n))
    if not any(potential):  # a column named by a rule that is 0 everywhere is an input error
        potential[-1] = 1
    zone = draw(st.lists(st.sampled_from(ZONES), min_size=n, max_size=n))
    ids = draw(st.permutations(range(n)))
    return pd.DataFrame(
        {
            "client_id": [f"C{i:03d}" for i in ids],
            "revenue": np.array(revenue, dtype=float),
            "margin": np.array(margin, dtype=float) / 100,
            "potential": np.array(potential, dtype=float),
            "zone": zone,
        }
    )


def positions(out: pd.DataFrame, rules: TiersConfig) -> np.ndarray:
    rank = {name: i for i, name in enumerate(rules.tier_names)}
    return out["tier"].map(rank).to_numpy()


def groups(out: pd.DataFrame, rules: TiersConfig) -> list[pd.DataFrame]:
    if rules.scope == "company":
        return [out]
    return [members for _, members in out.groupby("zone")]


@settings(max_examples=40, deadline=None)
@given(clients=client_sets(), rules=st.sampled_from(ALL_RULES))
def test_tiers_are_a_partition(clients: pd.DataFrame, rules: TiersConfig) -> None:
    out = assign_tiers(clients, rules)
    assert out.index.equals(clients.index)
    assert out["tier"].isin(rules.tier_names).all()
    assert out["tier_source"].isin(TIER_SOURCES).all()
    assert (out["tier_reason"].str.len() > 0).all()
    counts = out["tier"].value_counts()
    assert sum(counts.get(name, 0) for name in rules.tier_names) == len(clients)


@settings(max_examples=40, deadline=None)
@given(clients=client_sets(), rules=st.sampled_from(SHARE_RULES[:2]))
def test_account_shares_hit_targets_within_one_account(
    clients: pd.DataFrame, rules: TiersConfig
) -> None:
    out = assign_tiers(clients, rules)
    shares = [*rules.shares.shares.values()]
    shares.append(1 - sum(shares))
    for members in groups(out, rules):
        counts = members["tier"].value_counts()
        for name, share in zip(rules.tier_names, shares, strict=True):
            assert abs(counts.get(name, 0) - share * len(members)) <= 1


@settings(max_examples=50, deadline=None)
@given(clients=client_sets(), rules=st.sampled_from(SHARE_RULES))
def test_higher_score_never_gets_a_lower_tier(clients: pd.DataFrame, rules: TiersConfig) -> None:
    out = assign_tiers(clients, rules)
    for members in groups(out, rules):
        score = members["score"].to_numpy()
        tier = positions(members, rules)
        higher = score[:, None] > score[None, :]
        assert not np.any(higher & (tier[:, None] > tier[None, :]))


@settings(max_examples=40, deadline=None)
@given(
    clients=client_sets(),
    rules=st.sampled_from(ALL_RULES),
    data=st.data(),
)
def test_overrides_always_win(
    clients: pd.DataFrame, rules: TiersConfig, data: st.DataObject
) -> None:
    names = rules.tier_names
    spelled = st.sampled_from(names).flatmap(
        lambda name: st.sampled_from([name, name.lower(), f" {name} "])
    )
    choice = st.one_of(st.none(), st.just(""), spelled)
    override = data.draw(st.lists(choice, min_size=len(clients), max_size=len(clients)))
    out = assign_tiers(clients.assign(tier=override), rules)
    for i, value in enumerate(override):
        if value and value.strip():
            assert out["tier"].iloc[i] in names
            assert out["tier"].iloc[i].casefold() == value.strip().casefold()
            assert out["tier_source"].iloc[i] == "override"
        else:
            assert out["tier_source"].iloc[i] != "override"


@settings(max_examples=50, deadline=None)
@given(clients=client_sets(), rules=st.sampled_from(ALL_RULES), seed=st.integers(0, 2**16))
def test_same_data_same_tiers_in_any_row_order(
    clients: pd.DataFrame, rules: TiersConfig, seed: int
) -> None:
    first = assign_tiers(clients, rules)
    pd.testing.assert_frame_equal(assign_tiers(clients, rules), first)
    shuffled = assign_tiers(clients.sample(frac=1.0, random_state=seed), rules)
    pd.testing.assert_frame_equal(shuffled.loc[first.index], first)


HYSTERESIS_RULES = [
    TiersConfig.model_validate({"potential": {"enabled": False}}),
    TiersConfig.model_validate({"potential": {"enabled": False}, "scope": "zone"}),
    TiersConfig.model_validate({"potential": {"enabled": False}, "rule": "matrix"}),
]


@settings(max_examples=100, deadline=None)
@given(
    clients=client_sets(),
    rules=st.sampled_from(HYSTERESIS_RULES),
    band=st.floats(0.02, 0.5),
    data=st.data(),
)
def test_hysteresis_keeps_a_client_whose_score_moved_less_than_the_band(
    clients: pd.DataFrame, rules: TiersConfig, band: float, data: st.DataObject
) -> None:
    rules = rules.model_copy(update={"hysteresis": band})
    before = assign_tiers(clients, rules)
    j = data.draw(st.integers(0, len(clients) - 1))
    factor = data.draw(
        st.floats(1 - band, 1 + band, exclude_min=True, exclude_max=True).filter(
            lambda f: (1 - band) < f < (1 + band)
        )
    )
    moved = clients.copy()
    moved.loc[moved.index[j], "revenue"] = clients["revenue"].iloc[j] * factor
    if not moved["revenue"].any():  # the one non-zero revenue moved to 0: nothing to rank
        return
    after = assign_tiers(moved, rules, previous=before)
    assert after["tier"].iloc[j] == before["tier"].iloc[j]


@settings(max_examples=60, deadline=None)
@given(
    clients=client_sets(),
    rules=st.sampled_from(HYSTERESIS_RULES),
    band=st.floats(0.02, 0.5),
    data=st.data(),
)
def test_hysteresis_keeps_everyone_when_all_scores_move_within_the_band(
    clients: pd.DataFrame, rules: TiersConfig, band: float, data: st.DataObject
) -> None:
    # every revenue × a factor in [1 - d, 1 + d] with (1 + d) / (1 - d) < 1 + band: cut scores
    # and quantiles move by the same factors, so no client leaves the band around its cut
    rules = rules.model_copy(update={"hysteresis": band})
    before = assign_tiers(clients, rules)
    d = 0.9 * band / (2 + band)
    factors = data.draw(
        st.lists(st.floats(1 - d, 1 + d), min_size=len(clients), max_size=len(clients))
    )
    moved = clients.assign(revenue=clients["revenue"] * np.array(factors))
    after = assign_tiers(moved, rules, previous=before)
    assert after["tier"].tolist() == before["tier"].tolist()
