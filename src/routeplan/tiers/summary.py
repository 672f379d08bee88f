"""Per-tier summary of a tiering and the visit load it puts on the reps.

Pure: a tiered clients DataFrame (from :func:`routeplan.tiers.rules.assign_tiers`) and the settings
in, a summary DataFrame or a warning string out. The CLI prints; nothing here does I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from routeplan.config import Settings
from routeplan.model.repday import rep_day
from routeplan.tiers.rules import fill_service_minutes

SUMMARY_COLUMNS: tuple[str, ...] = (
    "tier",
    "accounts",
    "share_accounts",
    "target_share",
    "promoted",
    "overrides",
    "revenue",
    "share_revenue",
    "margin_value",
    "share_margin",
    "visits_per_week",
    "visits_per_cycle",
    "service_min_per_week",
)
"""Columns of :func:`tier_summary`; shares are fractions (0–1).

``promoted`` and ``overrides`` count the accounts that are in the tier by the potential rule
or by the file's ``tier`` column rather than by the ranking rule.
``target_share`` is the configured share of the share rule (of accounts or of revenue, as
``[tiers.shares] basis`` says; the last tier takes the rest), NaN under the matrix rule.
Promotions and overrides come on top of the rule, so actual shares can exceed the targets.
"""


def tier_summary(tiered: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """One row per configured tier: accounts, shares and the visits the tier needs.

    Parameters
    ----------
    tiered
        Clients with ``tier`` and ``revenue``; ``margin`` (0–1) gives margin money
        (revenue × margin), ``service_min`` (optional, per client) overrides the tier's
        service minutes.
    settings
        Settings: tier names, ``[cadence.<tier>]`` and ``[cycle] weeks``.

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`, tiers in priority order (empty tiers included).
        ``visits_per_week`` is accounts × the cadence's average visits per week,
        ``visits_per_cycle`` that times the cycle's weeks, ``service_min_per_week`` the
        service minutes of those visits. ``share_margin`` is NaN without a ``margin`` column.

    Raises
    ------
    InputError
        A tier without a cadence or a bad ``service_min`` (see
        :func:`routeplan.tiers.rules.fill_service_minutes`).

    """
    revenue = pd.to_numeric(tiered["revenue"], errors="coerce").fillna(0.0)
    if "margin" in tiered.columns:
        margin_value = revenue * pd.to_numeric(tiered["margin"], errors="coerce").fillna(0.0)
    else:
        margin_value = pd.Series(np.nan, index=tiered.index)
    service = fill_service_minutes(tiered, settings.cadence)["service_min"]
    sources = (
        tiered["tier_source"].astype(str).to_numpy()
        if "tier_source" in tiered.columns
        else np.full(len(tiered), "rule")
    )
    rows = []
    for name in settings.tier_names:
        members = (tiered["tier"].astype(str) == name).to_numpy()
        per_week = settings.cadence[name].visits_per_cycle_week
        accounts = int(members.sum())
        rows.append(
            {
                "tier": name,
                "accounts": accounts,
                "promoted": int((members & (sources == "promoted")).sum()),
                "overrides": int((members & (sources == "override")).sum()),
                "revenue": float(revenue[members].sum()),
                "margin_value": float(margin_value[members].sum()),
                "visits_per_week": accounts * per_week,
                "visits_per_cycle": accounts * per_week * settings.cycle.weeks,
                "service_min_per_week": float(service[members].sum() * per_week),
            }
        )
    summary = pd.DataFrame(rows)
    summary["share_accounts"] = summary["accounts"] / max(len(tiered), 1)
    summary["target_share"] = summary["tier"].map(_targets(settings)).astype("float64")
    summary["share_revenue"] = _share(summary["revenue"])
    summary["share_margin"] = _share(summary["margin_value"])
    return summary[list(SUMMARY_COLUMNS)]


def _targets(settings: Settings) -> dict[str, float]:
    tiers = settings.tiers
    if tiers.rule != "shares":
        return {}
    targets = dict(tiers.shares.shares)
    targets[tiers.order[-1]] = max(0.0, 1.0 - sum(targets.values()))
    return targets


def _share(column: pd.Series) -> pd.Series:
    total = column.sum(min_count=1)
    if not np.isfinite(total) or total <= 0:
        return pd.Series(np.nan, index=column.index)
    return column / total


def visit_capacity_check(summary: pd.DataFrame, n_reps: int, settings: Settings) -> str | None:
    """Warn when the tiers need more visits or service time per week than the reps have.

    Capacity per week is ``n_reps × workdays × max_visits_per_day`` visits and ``n_reps ×
    workdays × (day_end - day_start - lunch_min)`` minutes (``[workday]`` defaults). Travel
    time is not counted, so service time alone exceeding the minutes is already infeasible.

    Parameters
    ----------
    summary
        The result of :func:`tier_summary`.
    n_reps
        Number of reps sharing the clients.
    settings
        Settings (``[workday]``).

    Returns
    -------
    str or None
        One line saying what is over capacity and by how much, or None if it fits.

    """
    day = settings.workday
    days = len(day.workdays)
    visits = float(summary["visits_per_week"].sum())
    minutes = float(summary["service_min_per_week"].sum())
    max_visits = n_reps * days * day.max_visits_per_day
    work_min = n_reps * days * rep_day(None, day).available_min
    over = []
    if visits > max_visits:
        over.append(
            f"{visits:,.0f} visits per week but {n_reps} rep(s) can make at most "
            f"{max_visits:,} ({days} days × {day.max_visits_per_day} visits)"
        )
    if minutes > work_min:
        over.append(
            f"{minutes:,.0f} service minutes per week but {n_reps} rep(s) work {work_min:,} "
            f"(travel not counted)"
        )
    if not over:
        return None
    busiest = summary.sort_values("visits_per_week", ascending=False)["tier"].iloc[0]
    return (
        f"tiers need {'; '.join(over)}: add reps, lower the cadence of tier {busiest} "
        f"or shrink the higher tiers' shares"
    )


def summary_markdown(summary: pd.DataFrame, *, basis: str = "accounts") -> str:
    """Render the summary as a Markdown table (README, reports) with a total row.

    Parameters
    ----------
    summary
        The result of :func:`tier_summary`.
    basis
        What ``target_share`` is a share of (``[tiers.shares] basis``); the target column is
        left out when every target is NaN (matrix rule).

    Returns
    -------
    str
        A GitHub-flavoured Markdown table.

    """
    targets = summary["target_share"].notna().any()
    header = ["tier", "accounts", "share of accounts"]
    header += [f"target share of {basis}"] if targets else []
    header += ["promoted", "overrides"]
    header += ["share of revenue", "share of margin", "visits per week", "visits per cycle"]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|--:" * (len(header) - 1) + "|"]
    for row in summary.itertuples(index=False):
        cells = [row.tier, f"{row.accounts:,}", _pct(row.share_accounts)]
        cells += [_pct(row.target_share)] if targets else []
        cells += [f"{row.promoted:,}", f"{row.overrides:,}"]
        cells += [
            _pct(row.share_revenue),
            _pct(row.share_margin),
            f"{row.visits_per_week:,.1f}",
            f"{row.visits_per_cycle:,.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    total = ["total", f"{summary['accounts'].sum():,}", "100%"]
    total += ["100%"] if targets else []
    total += [f"{summary['promoted'].sum():,}", f"{summary['overrides'].sum():,}"]
    total += [
        "100%",
        "100%" if summary["share_margin"].notna().any() else "–",
        f"{summary['visits_per_week'].sum():,.1f}",
        f"{summary['visits_per_cycle'].sum():,.0f}",
    ]
    lines.append("| " + " | ".join(total) + " |")
    return "\n".join(lines)


def _pct(share: float) -> str:
    return "–" if not np.isfinite(share) else f"{share * 100:.1f}%"


DISPLAY_COLUMNS: dict[str, str] = {
    "tier": "tier",
    "accounts": "accounts",
    "share_accounts": "% accounts",
    "target_share": "% target",
    "promoted": "promoted",
    "overrides": "overrides",
    "share_revenue": "% revenue",
    "share_margin": "% margin",
    "visits_per_week": "visits/week",
    "visits_per_cycle": "visits/cycle",
}
"""Columns of the printed tier table and their headings."""


def summary_for_display(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary as the CLI prints it: shares in percent, short headings."""
    shown = summary[list(DISPLAY_COLUMNS)].copy()
    for column in ("share_accounts", "target_share", "share_revenue", "share_margin"):
        shown[column] = (shown[column] * 100).round(1)
    return shown.rename(columns=DISPLAY_COLUMNS)
