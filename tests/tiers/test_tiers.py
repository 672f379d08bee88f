"""Unit tests of client tiering (routeplan.tiers.rules) and its summary (tiers.summary)."""

from __future__ import annotations

import tomllib

import numpy as np
import pandas as pd
import pytest

from routeplan.config import Settings, TiersConfig, settings_from_dict
from routeplan.errors import ConfigError, DataWarning, InputError
from routeplan.i18n import use_language
from routeplan.model.reasons import reason_text
from routeplan.tiers.rules import (
    TIER_COLUMNS,
    assign_tiers,
    fill_service_minutes,
    tier_clients,
    tier_diff,
)
from routeplan.tiers.summary import (
    SUMMARY_COLUMNS,
    summary_markdown,
    tier_summary,
    visit_capacity_check,
)

NO_POTENTIAL = {"potential": {"enabled": False}}


def rules(**overrides: object) -> TiersConfig:
    data: dict[str, object] = dict(NO_POTENTIAL)
    data.update(overrides)
    return TiersConfig.model_validate(data)


def clients(revenue: list[float] | np.ndarray, **columns: object) -> pd.DataFrame:
    n = len(revenue)
    frame = pd.DataFrame({"client_id": [f"C{i:04d}" for i in range(n)], "revenue": revenue})
    for name, values in columns.items():
        frame[name] = values
    return frame


def heavy_tailed(n: int, seed: int = 7, zones: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    revenue = np.round(rng.pareto(1.2, n) * 20_000 + 1_000)
    frame = clients(
        revenue,
        margin=rng.uniform(0.05, 0.6, n).round(3),
        potential=np.round(revenue * rng.lognormal(0.3, 0.6, n)),
    )
    if zones:
        frame["zone"] = [f"Z{i % zones + 1}" for i in rng.permutation(n)]
    return frame


# --- share rule ----------------------------------------------------------------------------


def test_default_shares_cut_ranked_accounts() -> None:
    frame = clients(list(range(100, 0, -1)))  # C0000 has the highest revenue
    out = assign_tiers(frame, rules())
    assert out["tier"].value_counts().to_dict() == {"AAA": 1, "AA": 3, "A": 15, "B": 81}
    assert out["tier"].iloc[:4].tolist() == ["AAA", "AA", "AA", "AA"]
    assert (out["tier"].iloc[4:19] == "A").all()
    assert (out["tier_source"] == "rule").all()
    assert set(TIER_COLUMNS) <= set(out.columns)


def test_reasons_quote_revenue_and_threshold() -> None:
    frame = clients([412_000, 350_000] + [1_000] * 98)
    out = assign_tiers(frame, rules())
    assert out["tier_reason"].iloc[0] == "top 1% by revenue company-wide: 412,000 ≥ 412,000"
    assert out["tier_reason"].iloc[1] == "top 4% by revenue company-wide: 350,000 ≥ 1,000"
    last = out[out["tier"] == "B"]["tier_reason"].iloc[0]
    assert last == "top 19% by revenue company-wide ends at 1,000: tie broken by client_id"


def test_reasons_in_spanish_and_portuguese() -> None:
    frame = clients([412_000, 350_000] + [1_000] * 98)
    with use_language("es"):
        out = assign_tiers(frame, rules())
    assert (
        out["tier_reason"].iloc[0]
        == "1% superior por facturación en toda la empresa: 412.000 ≥ 412.000"
    )
    last = out[out["tier"] == "B"]["tier_reason"].iloc[0]
    assert last == (
        "el 19% superior por facturación en toda la empresa termina en 1.000: "
        "empate resuelto por client_id"
    )
    with use_language("pt-BR"):
        gap = assign_tiers(clients(list(range(100, 0, -1))), rules())["tier_reason"].iloc[-1]
    assert gap == "fora dos 19% superiores por faturamento em toda a empresa: 1 < 82"


def test_last_tier_reason_states_the_gap() -> None:
    out = assign_tiers(clients(list(range(100, 0, -1))), rules())
    assert out["tier_reason"].iloc[-1] == "below the top 19% by revenue company-wide: 1 < 82"


def test_ties_are_broken_by_client_id_not_row_order() -> None:
    frame = clients([5.0] * 100)
    shuffled = frame.sample(frac=1.0, random_state=3)
    out = assign_tiers(shuffled, rules()).set_index("client_id")
    assert out.loc["C0000", "tier"] == "AAA"
    assert out.loc[["C0001", "C0002", "C0003"], "tier"].eq("AA").all()


def test_input_is_not_modified_and_index_kept() -> None:
    frame = clients([3.0, 2.0, 1.0], tier=["", "AAA", None])
    frame.index = [10, 20, 30]
    before = frame.copy()
    out = assign_tiers(frame, rules())
    pd.testing.assert_frame_equal(frame, before)
    assert list(out.index) == [10, 20, 30]


def test_zone_scope_cuts_every_zone_separately() -> None:
    frame = heavy_tailed(1_000, zones=4)
    out = assign_tiers(frame, rules(scope="zone"))
    for zone, members in out.groupby("zone"):
        n = len(members)
        counts = members["tier"].value_counts()
        for tier, share in {"AAA": 0.01, "AA": 0.03, "A": 0.15}.items():
            assert abs(counts.get(tier, 0) - share * n) <= 1, (zone, tier)
    top = out[out["tier"] == "AAA"]["tier_reason"].iloc[0]
    assert top.startswith("top 1% by revenue in zone Z")


def test_revenue_basis_cuts_cumulative_revenue() -> None:
    frame = clients([50.0, 20.0, 10.0, 10.0, 5.0, 5.0])
    cfg = rules(shares={"basis": "revenue", "shares": {"AAA": 0.5, "AA": 0.2, "A": 0.2}})
    out = assign_tiers(frame, cfg)
    # revenue share of the accounts above: 0 → AAA; 50% → AA; 70%, 80% → A; 90%, 95% → B
    assert out["tier"].tolist() == ["AAA", "AA", "A", "A", "B", "B"]
    assert (
        out["tier_reason"].iloc[0] == "in the first 50% of revenue company-wide by revenue: 50 ≥ 50"
    )


def test_weighted_score_uses_percentile_ranks() -> None:
    frame = clients([100.0, 90.0, 10.0, 1.0], potential=[0.0, 10.0, 1_000.0, 5.0])
    cfg = rules(
        score={"revenue": 1.0, "potential": 1.0},
        shares={"shares": {"AAA": 0.25, "AA": 0.25, "A": 0.25}},
    )
    out = assign_tiers(frame, cfg)
    # ranks: revenue 1, .75, .5, .25; potential .25, .75, 1, .5
    np.testing.assert_allclose(out["score"], [0.625, 0.75, 0.75, 0.375])
    assert out["tier"].tolist() == ["A", "AAA", "AA", "B"]
    assert out["tier_reason"].iloc[1] == "top 25% by score company-wide: 0.75 ≥ 0.75"


def test_weighted_score_minmax_and_margin_value() -> None:
    frame = clients([100.0, 50.0, 0.0], margin=[0.1, 0.5, 0.2])
    cfg = rules(
        score={"revenue": 3.0, "margin_value": 1.0},
        normalise="minmax",
        order=["A", "B"],
        shares={"shares": {"A": 0.34}},
    )
    out = assign_tiers(frame, cfg)
    # margin_value 10, 25, 0 → 0.4, 1, 0
    np.testing.assert_allclose(out["score"], [0.75 + 0.1, 0.375 + 0.25, 0.0])
    assert out["tier"].tolist() == ["A", "B", "B"]


# --- matrix rule ---------------------------------------------------------------------------


def test_matrix_absolute_thresholds() -> None:
    frame = clients([500.0, 500.0, 50.0, 50.0], margin=[0.4, 0.1, 0.4, 0.1])
    cfg = rules(
        rule="matrix",
        matrix={"thresholds": "absolute", "volume_threshold": 100, "margin_threshold": 0.3},
    )
    out = assign_tiers(frame, cfg)
    assert out["tier"].tolist() == ["top", "operational", "growth", "low"]
    assert (
        out["tier_reason"].iloc[1] == "high volume: revenue 500 ≥ 100; low margin: margin 0.1 < 0.3"
    )


def test_matrix_quantile_thresholds_per_zone() -> None:
    frame = clients(
        [10.0, 20.0, 30.0, 40.0, 1.0, 2.0, 3.0, 4.0],
        margin=[0.5, 0.4, 0.3, 0.2] * 2,
        zone=["N"] * 4 + ["S"] * 4,
    )
    cfg = rules(
        rule="matrix", scope="zone", matrix={"volume_threshold": 0.75, "margin_threshold": 0.5}
    )
    out = assign_tiers(frame, cfg)
    # per zone: volume ≥ q75 only the largest; margin ≥ median for the first two
    assert out["tier"].tolist() == ["growth", "growth", "low", "operational"] * 2
    assert "(percentile 75 in zone S)" in out["tier_reason"].iloc[7]


def test_matrix_reasons_are_codes_worded_in_spanish_and_portuguese() -> None:
    frame = clients([500.0, 50.0], margin=[0.1, 0.4], zone=["N", "N"])
    cfg = rules(
        rule="matrix", scope="zone", matrix={"volume_threshold": 0.5, "margin_threshold": 0.5}
    )
    with use_language("es"):
        spanish = assign_tiers(frame, cfg)
    assert spanish["tier_reason_code"].iloc[0] == (
        "matrix axis=volume level=high column=revenue value=500 threshold=275 quantile=0.5 "
        "zone=N; matrix axis=margin level=low column=margin value=0.1 threshold=0.25 "
        "quantile=0.5 zone=N"
    )
    assert spanish["tier_reason"].iloc[0] == (
        "volumen alto: facturación 500 ≥ 275 (percentil 50 en la zona N); "
        "margen bajo: margen 0,1 < 0,25 (percentil 50 en la zona N)"
    )
    with use_language("pt-BR"):  # the same codes, worded when shown
        portuguese = reason_text(spanish["tier_reason_code"].iloc[1])
    assert portuguese == (
        "volume baixo: faturamento 50 < 275 (percentil 50 na zona N); "
        "margem alta: margem 0,4 ≥ 0,25 (percentil 50 na zona N)"
    )


# --- potential -----------------------------------------------------------------------------


def test_potential_flags_and_promotes_one_tier() -> None:
    revenue = list(range(100, 0, -1))
    potential = [r * 1.5 for r in revenue]
    potential[50] = 500.0  # revenue 50: 10× and well above the median potential
    potential[99] = 1_000.0  # revenue 1: 1000×
    cfg = TiersConfig()
    out = assign_tiers(clients(revenue, potential=potential), cfg)
    assert out["development"].tolist() == [i in (50, 99) for i in range(100)]
    assert out.loc[50, "tier"] == "A"
    assert out.loc[50, "rule_tier"] == "B"
    assert out.loc[50, "tier_source"] == "promoted"
    assert out.loc[50, "tier_reason"] == "promoted B→A: potential 10× current purchase (500 vs 50)"


def test_potential_respects_ceiling_and_zero_steps() -> None:
    frame = clients([100.0, 90.0, 1.0, 0.0], potential=[100.0, 90.0, 500.0, 400.0])
    cfg = TiersConfig.model_validate(
        {"order": ["A", "B", "C"], "shares": {"shares": {"A": 0.25, "B": 0.25}},
         "potential": {"highest": "B", "promote_steps": 2, "min_potential_quantile": 0.0}}
    )  # fmt: skip
    out = assign_tiers(frame, cfg)
    assert out["tier"].tolist() == ["A", "B", "B", "B"]
    assert out.loc[3, "tier_reason"].startswith("promoted C→B: potential 400 with no current")
    flag_only = cfg.model_copy(
        update={"potential": cfg.potential.model_copy(update={"promote_steps": 0})}
    )
    out = assign_tiers(frame, flag_only)
    assert out["tier"].tolist() == ["A", "B", "C", "C"]
    assert out.loc[2, "tier_reason"].endswith(
        "; development: potential 5e+02× current purchase (500 vs 1)"
    )


def test_empty_potential_is_not_assessed_and_missing_column_warns() -> None:
    frame = clients([10.0, 1.0], potential=[np.nan, np.nan])
    out = assign_tiers(frame, TiersConfig())
    assert not out["development"].any()
    tiering = tier_clients(clients([10.0, 1.0]), TiersConfig())
    assert all(isinstance(w, DataWarning) for w in tiering.warnings)
    assert "clients.csv has no 'potential' column: no account is flagged for development" in [
        str(w) for w in tiering.warnings
    ]
    assert not tiering.clients.attrs


# --- overrides -----------------------------------------------------------------------------


def test_override_wins_and_is_reported() -> None:
    frame = clients([100.0, 1.0, 1.0], tier=[None, " aaa ", ""])
    out = assign_tiers(frame, rules(shares={"shares": {"AAA": 0.34, "AA": 0.01, "A": 0.01}}))
    assert out["tier"].tolist() == ["AAA", "AAA", "B"]
    assert out["tier_source"].tolist() == ["rule", "override", "rule"]
    assert out.loc[1, "tier_reason"] == "override: tier column in clients.csv (rules give B)"


def test_override_naming_unknown_tier_is_an_input_error() -> None:
    frame = clients([1.0, 2.0, 3.0], tier=["AA", "Gold", "Z"])
    with pytest.raises(InputError, match=r"row 3, column 'tier': tier 'Gold' is not one of") as err:
        assign_tiers(frame, rules(), source="shops.csv")
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "tier"), (4, "tier")]
    assert err.value.file == "shops.csv"


# --- bad input -----------------------------------------------------------------------------


def test_missing_sales_column_is_named() -> None:
    frame = pd.DataFrame({"client_id": ["a", "b"], "margin": [0.1, 0.2]})
    with pytest.raises(InputError, match="column 'revenue' is missing") as err:
        assign_tiers(frame, rules())
    assert err.value.row is None
    assert err.value.column == "revenue"


def test_matrix_needs_margin_column() -> None:
    with pytest.raises(InputError, match="column 'margin' is missing"):
        assign_tiers(clients([1.0, 2.0]), rules(rule="matrix"))


def test_bad_values_name_every_row() -> None:
    frame = clients(["10", "", "abc", "-5", "inf"], margin=[0.1, 0.2, 42, 0.3, 0.4])
    with pytest.raises(InputError) as err:
        assign_tiers(frame, rules(score={"revenue": 1.0, "margin": 1.0}))
    found = [(p.row, p.column, p.message) for p in err.value.problems]
    assert found == [
        (3, "revenue", "revenue is empty; give a number (0 if none)"),
        (4, "revenue", "revenue 'abc' is not a number"),
        (5, "revenue", "revenue -5 is negative"),
        (6, "revenue", "revenue inf is not finite"),
        (4, "margin", "margin 42 is above 1; give margins as fractions (0.42)"),
    ]


def test_nan_rows_use_the_index_as_spreadsheet_row() -> None:
    frame = clients([1.0, np.nan, 3.0])
    frame.index = [5, 6, 7]  # rows filtered by a loader keep their file position
    with pytest.raises(InputError, match=r"clients.csv, row 8, column 'revenue': revenue is empty"):
        assign_tiers(frame, rules())


def test_all_zero_revenue_is_an_error() -> None:
    with pytest.raises(InputError, match="every client has revenue 0"):
        assign_tiers(clients([0.0, 0.0, 0.0]), rules())


def test_unknown_column_in_rule_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"'tiers.score' names column 'revenu'"):
        assign_tiers(clients([1.0]), rules(score={"revenu": 1.0}))
    with pytest.raises(ConfigError, match=r"'tiers.matrix.volume_column' names column 'sales'"):
        assign_tiers(
            clients([1.0], margin=[0.1]), rules(rule="matrix", matrix={"volume_column": "sales"})
        )


def test_other_numeric_columns_of_the_file_may_be_named() -> None:
    frame = clients([1.0, 2.0], visits_last_year=[9.0, 3.0])
    cfg = rules(score={"visits_last_year": 1.0}, order=["A", "B"], shares={"shares": {"A": 0.5}})
    out = assign_tiers(frame, cfg)
    assert out["tier"].tolist() == ["A", "B"]
    assert out.loc[0, "tier_reason"] == "top 50% by visits_last_year company-wide: 9 ≥ 9"


def test_zone_scope_needs_zones() -> None:
    with pytest.raises(InputError, match=r"column 'zone' is missing; tiers\.scope = 'zone'"):
        assign_tiers(clients([1.0, 2.0]), rules(scope="zone"))
    with pytest.raises(InputError, match=r"row 3, column 'zone': zone is empty"):
        assign_tiers(clients([1.0, 2.0], zone=["N", None]), rules(scope="zone"))


def test_ids_must_be_unique_and_present() -> None:
    frame = clients([1.0, 2.0, 3.0])
    frame["client_id"] = ["a", "b", "a"]
    with pytest.raises(InputError, match=r"row 4, column 'client_id': client_id 'a' also on row 2"):
        assign_tiers(frame, rules())
    with pytest.raises(InputError, match="no clients to tier"):
        assign_tiers(clients([]), rules())


def test_small_zone_without_top_tier_warns() -> None:
    frame = clients([5.0, 4.0, 3.0, 2.0], zone=["N", "N", "S", "S"])
    tiering = tier_clients(frame, rules(scope="zone"))
    assert (tiering.clients["tier"] == "B").all()
    assert str(tiering.warnings[0]) == "in zone N (2 accounts) no account is in tier(s) AAA, AA, A"
    assert (
        tiering.clients.loc[0, "tier_reason"]
        == "revenue 5; too few accounts in zone N for higher tiers"
    )


# --- config --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ({"shares": {"shares": {"AAA": 0.01}}}, "a share for every tier but the last"),
        ({"shares": {"shares": {"AAA": 0.5, "AA": 0.4, "A": 0.2}}}, "add up to 1.1"),
        ({"shares": {"shares": {"AAA": 0.0, "AA": 0.4, "A": 0.2}}}, "between 0 and 1"),
        ({"matrix": {"labels": {"high_volume_high_margin": "top"}}}, "exactly the cells"),
        ({"rule": "matrix", "matrix": {"volume_threshold": 80}}, "between 0 and 1"),
        ({"potential": {"highest": "Gold"}}, "potential.highest 'Gold'"),
        ({"score": {}}, "at least one column"),
        ({"score": {"revenue": -1}}, "weights must be positive"),
        ({"order": ["A", "A"]}, "two different tiers"),
    ],
)
def test_bad_tier_settings_are_config_errors(tiers: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings_from_dict({"tiers": tiers})


# --- hysteresis ----------------------------------------------------------------------------


def test_hysteresis_keeps_a_client_within_the_band() -> None:
    cfg = rules(hysteresis=0.1, order=["A", "B"], shares={"shares": {"A": 0.5}})
    first = assign_tiers(clients([100.0, 90.0, 80.0, 10.0]), cfg)
    assert first["tier"].tolist() == ["A", "A", "B", "B"]
    # C0001 drops to 85: 85 ≥ 0.9 × 88 (last in); C0002 rises to 88: 88 < 1.1 × 85 (first out)
    second = assign_tiers(clients([100.0, 85.0, 88.0, 10.0]), cfg, previous=first)
    assert second["rule_tier"].tolist() == ["A", "A", "B", "B"]
    assert second["tier_source"].tolist() == ["rule", "hysteresis", "hysteresis", "rule"]
    assert (
        second.loc[1, "tier_reason"]
        == "kept A (hysteresis 10%): revenue 85 within 10% of 88 (rule: B)"
    )
    assert (
        second.loc[2, "tier_reason"]
        == "kept B (hysteresis 10%): revenue 88 within 10% of 85 (rule: A)"
    )
    # out of the band: C0001 falls to 70 → demoted, C0002 promoted
    third = assign_tiers(clients([100.0, 70.0, 88.0, 10.0]), cfg, previous=first)
    assert third["tier"].tolist() == ["A", "B", "A", "B"]  # 70 < 79.2 and 88 ≥ 77
    assert (third["tier_source"] == "rule").all()


def test_hysteresis_zero_or_no_previous_changes_nothing() -> None:
    frame = heavy_tailed(300)
    base = assign_tiers(frame, TiersConfig())
    moved = frame.assign(revenue=frame["revenue"] * np.linspace(0.8, 1.2, len(frame)))
    plain = assign_tiers(moved, TiersConfig())
    pd.testing.assert_frame_equal(assign_tiers(moved, TiersConfig(), previous=base), plain)


def test_hysteresis_ignores_previous_overrides() -> None:
    cfg = rules(hysteresis=0.5, order=["A", "B"], shares={"shares": {"A": 0.5}})
    first = assign_tiers(clients([1.0, 2.0], tier=["A", None]), cfg)
    assert first.loc[0, "rule_tier"] == "B"
    previous = first.drop(columns="rule_tier")
    second = assign_tiers(clients([2.0, 1.0]), cfg, previous=previous)
    assert second["tier_source"].tolist() == ["rule", "hysteresis"]  # only C0001 was a rule tier


def test_hysteresis_on_matrix_axes() -> None:
    cfg = rules(
        rule="matrix",
        hysteresis=0.2,
        matrix={"thresholds": "absolute", "volume_threshold": 100, "margin_threshold": 0.3},
    )
    first = assign_tiers(clients([120.0, 90.0], margin=[0.4, 0.4]), cfg)
    assert first["tier"].tolist() == ["top", "growth"]
    second = assign_tiers(clients([85.0, 115.0], margin=[0.4, 0.4]), cfg, previous=first)
    assert second["tier"].tolist() == ["top", "growth"]
    assert second.loc[0, "tier_reason"].startswith("kept high volume (hysteresis 20%): revenue 85")


# --- diff ----------------------------------------------------------------------------------


def test_tier_diff_reports_promoted_demoted_new_gone() -> None:
    before = pd.DataFrame({"client_id": ["a", "b", "c", "d"], "tier": ["A", "AA", "B", "B"]})
    after = pd.DataFrame(
        {
            "client_id": ["a", "b", "c", "e"],
            "tier": ["AA", "A", "B", "AAA"],
            "tier_reason": ["r1", "r2", "r3", "r4"],
        }
    )
    diff = tier_diff(before, after)
    assert diff["client_id"].tolist() == ["a", "b", "e", "d"]
    assert diff["change"].tolist() == ["promoted", "demoted", "new", "gone"]
    assert diff["before"].fillna("-").tolist() == ["A", "AA", "-", "B"]
    assert diff["after"].fillna("-").tolist() == ["AA", "A", "AAA", "-"]
    assert diff["tier_reason"].tolist() == ["r1", "r2", "r4", ""]


def test_tier_diff_between_rules_says_changed() -> None:
    before = pd.DataFrame({"client_id": ["a"], "tier": ["A"]})
    after = pd.DataFrame({"client_id": ["a"], "tier": ["growth"]})
    assert tier_diff(before, after)["change"].tolist() == ["changed"]
    assert tier_diff(before, before).empty


# --- summary -------------------------------------------------------------------------------


def test_summary_counts_shares_and_visits() -> None:
    tiered = pd.DataFrame(
        {
            "tier": ["AAA", "AA", "B", "B"],
            "revenue": [600.0, 200.0, 100.0, 100.0],
            "margin": [0.5, 0.5, 0.0, 1.0],
            "service_min": [np.nan, 90, np.nan, 10],
        }
    )
    summary = tier_summary(tiered, Settings())
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    assert summary["tier"].tolist() == ["AAA", "AA", "A", "B"]
    assert summary["accounts"].tolist() == [1, 1, 0, 2]
    np.testing.assert_allclose(summary["share_accounts"], [0.25, 0.25, 0, 0.5])
    np.testing.assert_allclose(summary["share_revenue"], [0.6, 0.2, 0, 0.2])
    np.testing.assert_allclose(summary["share_margin"], [0.6, 0.2, 0, 0.2])
    # AAA 2/week, AA 1/week, B every 12 weeks; 12-week cycle
    np.testing.assert_allclose(summary["visits_per_week"], [2, 1, 0, 2 / 12])
    np.testing.assert_allclose(summary["visits_per_cycle"], [24, 12, 0, 2])
    np.testing.assert_allclose(summary["service_min_per_week"], [120, 90, 0, (20 + 10) / 12])
    np.testing.assert_allclose(summary["target_share"], [0.01, 0.03, 0.15, 0.81])
    table = summary_markdown(summary)
    assert "| AAA | 1 | 25.0% | 1.0% | 0 | 0 | 60.0% | 60.0% | 2.0 | 24 |" in table
    assert table.endswith("| total | 4 | 100% | 100% | 0 | 0 | 100% | 100% | 3.2 | 38 |")


def test_summary_of_matrix_has_no_targets() -> None:
    settings = settings_from_dict(
        {
            "tiers": {"rule": "matrix"},
            "cadence": {
                name: {"every_weeks": 4} for name in ("top", "growth", "operational", "low")
            },
        }
    )
    tiered = pd.DataFrame({"tier": ["top", "low", "low"], "revenue": [5.0, 3.0, 2.0]})
    summary = tier_summary(tiered, settings)
    assert summary["tier"].tolist() == ["top", "growth", "operational", "low"]
    assert summary["target_share"].isna().all()
    assert summary["share_margin"].isna().all()  # no margin column
    table = summary_markdown(summary)
    assert "target" not in table
    assert "| low | 2 | 66.7% | 0 | 0 | 50.0% | – | 0.5 | 6 |" in table


def test_capacity_check_warns_only_when_over() -> None:
    settings = settings_from_dict({"workday": {"max_visits_per_day": 10}})
    tiered = pd.DataFrame({"tier": ["AAA"] * 30, "revenue": [1.0] * 30})
    summary = tier_summary(tiered, settings)  # 60 visits a week, 3,600 service minutes
    assert visit_capacity_check(summary, 2, settings) is None
    warning = visit_capacity_check(summary, 1, settings)
    assert warning is not None
    assert warning.startswith("tiers need 60 visits per week but 1 rep(s) can make at most 50")
    assert "lower the cadence of tier AAA" in warning


# --- scale ---------------------------------------------------------------------------------


def test_heavy_tailed_1500_shares_within_one_account() -> None:
    frame = heavy_tailed(1_500)
    out = assign_tiers(frame, rules())
    counts = out["tier"].value_counts()
    targets = {"AAA": 0.01, "AA": 0.03, "A": 0.15, "B": 0.81}
    for tier, share in targets.items():
        assert abs(counts[tier] - share * 1_500) <= 1, tier
    summary = tier_summary(out, Settings())
    assert summary["share_revenue"].iloc[0] > 0.1  # the heavy tail: 1% of accounts


def test_service_minutes_come_from_the_client_or_its_tier() -> None:
    tiered = pd.DataFrame({"tier": ["AAA", "B", "B"], "service_min": [None, "15", ""]})
    out = fill_service_minutes(tiered, Settings().cadence)
    assert out["service_min"].tolist() == [60, 15, 20]
    assert str(out["service_min"].dtype) == "int64"
    out = fill_service_minutes(tiered[["tier"]], Settings().cadence)
    assert out["service_min"].tolist() == [60, 20, 20]


def test_bad_service_minutes_and_unknown_tiers_are_named() -> None:
    tiered = pd.DataFrame({"tier": ["AAA", "Gold", "B"], "service_min": [None, None, "-5"]})
    with pytest.raises(InputError) as err:
        fill_service_minutes(tiered, Settings().cadence)
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "tier"), (4, "service_min")]
    assert "tier 'Gold' has no [cadence.Gold] section" in str(err.value)


def test_tiers_section_from_toml() -> None:
    text = """
[tiers]
rule = "shares"
scope = "zone"
score = { revenue = 0.6, margin_value = 0.2, potential = 0.2 }
normalise = "rank"
hysteresis = 0.1

[tiers.shares]
basis = "accounts"
shares = { AAA = 0.01, AA = 0.03, A = 0.15 }

[tiers.potential]
min_ratio = 4.0
min_potential_quantile = 0.75
highest = "AA"
"""
    tiers = settings_from_dict(tomllib.loads(text)).tiers
    assert tiers.score == {"revenue": 0.6, "margin_value": 0.2, "potential": 0.2}
    assert tiers.potential.highest == "AA"
    frame = heavy_tailed(400, zones=2)
    out = assign_tiers(frame, tiers)
    assert out.loc[out["tier_source"] == "promoted", "tier"].isin(["AA", "A"]).all()
    assert (
        out.loc[out["tier_source"] == "rule", "tier_reason"].str.contains("by score in zone").all()
    )


def test_previous_tiering_needs_ids_and_tiers() -> None:
    previous = pd.DataFrame({"client_id": ["C0000"]})
    with pytest.raises(
        InputError, match=r"tiers-2026\.csv, column 'tier': column 'tier' is missing"
    ):
        assign_tiers(
            clients([1.0, 2.0]),
            rules(hysteresis=0.1),
            previous=previous,
            previous_source="tiers-2026.csv",
        )


def test_potential_column_unknown_is_a_config_error() -> None:
    cfg = TiersConfig.model_validate({"potential": {"column": "upside"}})
    with pytest.raises(ConfigError, match=r"'tiers\.potential\.column' names column 'upside'"):
        assign_tiers(clients([1.0, 2.0]), cfg)
