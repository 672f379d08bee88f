"""The recommendation rules, one account at a time."""

from __future__ import annotations

import pandas as pd
import pytest

from routeplan.capacity.recommend import recommend
from routeplan.config import settings_from_dict
from routeplan.i18n import use_language

SETTINGS = settings_from_dict({"costs": {"rep_hour": 60.0, "per_km": 0.0, "max_cost_share": 0.5}})


def _account(**changes: object) -> pd.DataFrame:
    """An AA account: 46 visits a year of 40 + 20 min = 46 h = 2,760 a year at 60/h."""
    row = {
        "client_id": "X",
        "tier": "AA",
        "service_min": 40.0,
        "travel_min_per_visit": 20.0,
        "km_per_visit": 0.0,
        "visits_per_year": 46.0,
        "annual_margin": 10_000.0,
        "cost_to_serve": 2760.0,
        "serve_ratio": 0.276,
        "stage": None,
        "growth_potential": float("nan"),
        "share_of_wallet": float("nan"),
        "buys_from_competitors": None,
        "development": False,
    }
    row.update(changes)
    if "annual_margin" in changes and "serve_ratio" not in changes:
        margin = float(row["annual_margin"])  # type: ignore[arg-type]
        row["serve_ratio"] = 2760.0 / margin if margin > 0 else float("nan")
    return pd.DataFrame([row])


def _one(**changes: object) -> tuple[str, str]:
    out = recommend(_account(**changes), SETTINGS).iloc[0]
    return out["recommendation"], out["recommendation_reason"]


def test_within_the_limit_is_kept() -> None:
    code, reason = _one()
    assert code == "keep"
    assert "28%" in reason


def test_expensive_account_moves_to_the_cadence_that_fits() -> None:
    # 2,760 > 0.5 × 4,000; every 4 weeks (tier A) costs 2,760 / 4 = 690 ≤ 2,000
    code, reason = _one(annual_margin=4_000.0)
    assert code == "reduce_cadence"
    assert "tier A" in reason


def test_too_expensive_even_at_the_lowest_cadence_goes_remote() -> None:
    # every 12 weeks (tier B) costs 230 > 0.5 × 300
    code, reason = _one(annual_margin=300.0)
    assert code == "remote_channel"
    assert "remote channel" in reason


@pytest.mark.parametrize(
    "changes",
    [
        {"growth_potential": 0.8},
        {"development": True},
        {"buys_from_competitors": "sí"},
        {"share_of_wallet": 0.4},
    ],
)
def test_expensive_but_worth_developing_is_reviewed(changes: dict[str, object]) -> None:
    code, _reason = _one(annual_margin=300.0, **changes)
    assert code == "review"


def test_low_growth_potential_does_not_save_it() -> None:
    code, _reason = _one(annual_margin=300.0, growth_potential=0.1, buys_from_competitors="no")
    assert code == "remote_channel"


def test_no_margin_is_reviewed() -> None:
    code, reason = _one(annual_margin=0.0)
    assert code == "review"
    assert "no margin" in reason


def test_prospect_is_kept_on_its_own_cadence() -> None:
    code, reason = _one(annual_margin=0.0, stage="prospect")
    assert code == "keep"
    assert "every 4 weeks" in reason


def test_reasons_are_translated() -> None:
    with use_language("es"):
        _code, reason = _one(annual_margin=300.0)
    assert "canal a distancia" in reason
    with use_language("pt-BR"):
        _code, reason = _one(annual_margin=4_000.0)
    assert "frequência" in reason
