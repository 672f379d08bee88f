"""Which channel each account deserves: keep visiting, visit less, serve remotely, or review.

Rules, first match wins (``limit = [costs] max_cost_share``):

1. ``stage = prospect``: ``keep`` (its own development cadence, reviewed after
   ``[capacity] prospect_review_weeks``).
2. No margin (``revenue × margin = 0``): ``review``.
3. Cost to serve ≤ limit × annual margin: ``keep``.
4. Over the limit but worth developing (``growth_potential ≥ 0.5``, flagged ``development``
   by the potential rule, or buying from competitors): ``review`` before taking it out of
   the field.
5. Over the limit, and the cadence of a lower tier brings it within the limit: ``reduce_cadence``
   (the highest such cadence).
6. Otherwise: ``remote_channel`` (phone, e-mail, web orders at ``[costs] remote_per_year``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from routeplan.capacity.costs import is_prospect
from routeplan.config import CadenceConfig, Settings
from routeplan.i18n import _, current_language, format_currency, format_percent, ngettext
from routeplan.model.lifecycle import yes_no

RECOMMENDATIONS: tuple[str, ...] = ("keep", "reduce_cadence", "remote_channel", "review")
"""Machine codes of ``recommendation`` (stable English)."""

GROWTH_THRESHOLD = 0.5
"""``growth_potential`` at or above this counts as worth developing."""


def cadence_words(cadence: CadenceConfig) -> str:
    """A cadence in words: "2 visits a week", "a visit every 12 weeks"."""
    if cadence.visits_per_week:
        return ngettext("{count} visit a week", "{count} visits a week", cadence.visits_per_week)
    return ngettext(
        "a visit every {count} week", "a visit every {count} weeks", cadence.every_weeks
    )


def _percent(fraction: float) -> str:
    """A percentage in the active language, one decimal below 10 % (cached: reasons repeat)."""
    decimals = 1 if abs(fraction) < 0.1 else 0
    return _cached_percent(current_language(), round(fraction, 2 + decimals), decimals)


@lru_cache(maxsize=8192)
def _cached_percent(language: str, fraction: float, decimals: int) -> str:
    del language  # part of the cache key: the active language formats it
    return format_percent(fraction, decimals)


def _buys_elsewhere(row: Mapping[str, Any]) -> bool:
    try:
        said = yes_no(row.get("buys_from_competitors"))
    except ValueError:
        said = None
    if said is not None:
        return said
    share = row.get("share_of_wallet")
    return share is not None and not math.isnan(float(share)) and float(share) < 1.0


def _worth_developing(row: Mapping[str, Any], money: dict[str, str]) -> str | None:
    """The reason an expensive account deserves a review, or None."""
    growth = row.get("growth_potential")
    if growth is not None and not math.isnan(float(growth)) and growth >= GROWTH_THRESHOLD:
        return _(
            "costs {share} of its margin (limit {limit}), but its growth potential is "
            "{growth}: review it before taking it out of the field",
            growth=format_percent(float(growth)),
            **money,
        )
    if bool(row.get("development", False)):
        return _(
            "costs {share} of its margin (limit {limit}), but its potential is several times "
            "its purchase: review it before taking it out of the field",
            **money,
        )
    if _buys_elsewhere(row):
        return _(
            "costs {share} of its margin (limit {limit}), but it also buys from competitors: "
            "review how to win a larger share before taking it out of the field",
            **money,
        )
    return None


def _lower_cadence(
    row: Mapping[str, Any], settings: Settings, limit: float
) -> tuple[str, CadenceConfig, float] | None:
    """The first lower tier whose cadence brings the cost within the limit."""
    order = settings.tier_names
    tier = str(row["tier"])
    if tier not in order:
        return None
    costs = settings.costs
    minutes = float(row["service_min"]) + float(row["travel_min_per_visit"])
    one_visit = minutes / 60.0 * costs.rep_hour + float(row["km_per_visit"]) * costs.per_km
    for lower in order[order.index(tier) + 1 :]:
        cadence = settings.cadence[lower]
        cost = one_visit * cadence.visits_per_cycle_week * settings.costs.weeks_per_year
        if cost <= limit * row["annual_margin"]:
            return lower, cadence, float(cost)
    return None


def recommend_one(
    row: Mapping[str, Any], settings: Settings, *, prospect: bool = False
) -> tuple[str, str]:
    """The recommendation and its reason for one account (a row of ``cost_to_serve``)."""
    costs = settings.costs
    limit = costs.max_cost_share
    currency = settings.currency
    if prospect:
        weeks = settings.capacity.prospect_every_weeks
        review = settings.capacity.prospect_review_weeks
        return "keep", _(
            "prospect: a development visit every {weeks} weeks for {review} weeks, then review",
            weeks=weeks,
            review=review,
        )
    if not row["annual_margin"] > 0:
        return "review", _(
            "no margin recorded (revenue × margin is 0): check its data or serve it remotely"
        )
    shares = {"share": _percent(float(row["serve_ratio"])), "limit": format_percent(limit)}
    if row["serve_ratio"] <= limit:
        return "keep", _("costs {share} of its margin to serve (limit {limit})", **shares)
    money = {
        "cost": format_currency(float(row["cost_to_serve"]), currency),
        "margin": format_currency(float(row["annual_margin"]), currency),
        **shares,
    }
    develop = _worth_developing(row, money)
    if develop is not None:
        return "review", develop
    lower = _lower_cadence(row, settings, limit)
    if lower is not None:
        tier, cadence, cost = lower
        return "reduce_cadence", _(
            "costs {share} of its margin (limit {limit}); at the cadence of tier {tier} "
            "({cadence}) it would cost {new_cost} a year",
            tier=tier,
            cadence=cadence_words(cadence),
            new_cost=format_currency(cost, currency),
            **money,
        )
    return "remote_channel", _(
        "costs {share} of its margin (limit {limit}) even at the lowest cadence: serve it by "
        "phone or another remote channel ({remote} a year)",
        remote=format_currency(costs.remote_per_year, currency),
        **money,
    )


def recommend(costs: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Add ``recommendation`` and ``recommendation_reason`` to every account.

    Parameters
    ----------
    costs
        From :func:`routeplan.capacity.costs.cost_to_serve`; optional lifecycle columns
        (``stage``, ``share_of_wallet``, ``buys_from_competitors``, ``growth_potential``) and
        ``development`` (from tiering).
    settings
        ``[costs]``, ``[capacity]`` and the cadences of the tiers.

    Returns
    -------
    pandas.DataFrame
        A copy with the two columns added (reasons in the active language).

    """
    out = costs.copy()
    prospect = is_prospect(out).to_numpy()
    pairs = [
        recommend_one(row, settings, prospect=bool(p))
        for row, p in zip(out.to_dict("records"), prospect, strict=True)
    ]
    out["recommendation"] = np.array([p[0] for p in pairs], dtype=object)
    out["recommendation_reason"] = np.array([p[1] for p in pairs], dtype=object)
    return out
