"""Baseline and scenarios side by side, as a table for people (labels translated)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from routeplan.capacity.evaluate import ScenarioResult
from routeplan.capacity.recommend import RECOMMENDATIONS
from routeplan.i18n import _, format_number, format_percent


def _rows(tiers: Sequence[str]) -> list[tuple[str, Callable[[ScenarioResult], str]]]:
    def hours(value: float) -> str:
        return format_number(value, 1)

    def money(value: float) -> str:
        return format_number(value, 0)

    rows: list[tuple[str, Callable[[ScenarioResult], str]]] = [
        (_("reps"), lambda r: str(r.n_reps)),
        (_("reps needed (workload method)"), lambda r: str(r.reps_needed)),
        (_("accounts in the field"), lambda r: format_number(r.field_accounts, 0)),
        (_("accounts served remotely"), lambda r: format_number(r.remote_accounts, 0)),
        (_("weekly workload per rep, mean (h)"), lambda r: hours(r.workload_mean_h)),
        (_("weekly workload per rep, max (h)"), lambda r: hours(r.workload_max_h)),
        (_("workload spread"), lambda r: format_percent(r.workload_spread, 1)),
        (_("busiest rep's utilisation"), lambda r: format_percent(r.max_utilisation)),
        (_("drive hours a week"), lambda r: hours(r.drive_h)),
        (_("coverage (due visits that fit)"), lambda r: format_percent(r.coverage, 1)),
    ]
    for tier in tiers:
        rows.append((_("expected compliance {tier}", tier=tier), _compliance(tier)))
    rows += [
        (_("cost to serve a year"), lambda r: money(r.cost_to_serve)),
        (_("margin after service a year"), lambda r: money(r.margin_after_service)),
    ]
    return rows


def _compliance(tier: str) -> Callable[[ScenarioResult], str]:
    def value(result: ScenarioResult) -> str:
        return format_percent(result.compliance.get(tier, 1.0), 1)

    return value


def comparison_table(results: Sequence[ScenarioResult], tiers: Sequence[str]) -> pd.DataFrame:
    """One row per measure, one column per scenario (baseline first), values formatted.

    Parameters
    ----------
    results
        Baseline first.
    tiers
        Tier order for the compliance rows.

    Returns
    -------
    pandas.DataFrame
        Column ``measure`` (translated label) and one column per scenario name.

    """
    table = {_("measure"): [label for label, _fn in _rows(tiers)]}
    for result in results:
        name = result.scenario.name
        while name in table:
            name += "'"
        table[name] = [fn(result) for _label, fn in _rows(tiers)]
    return pd.DataFrame(table)


def summary_for_display(summary: pd.DataFrame) -> pd.DataFrame:
    """A cost summary (:func:`~routeplan.capacity.costs.cost_summary`) for the terminal.

    Money and hours rounded, ``serve_ratio`` as a percentage, labels translated; the
    recommendation counts keep their codes.
    """
    key = summary.columns[0]
    labels = {
        "accounts": _("accounts"),
        "visits_per_year": _("visits a year"),
        "hours_per_year": _("hours a year"),
        "cost_to_serve": _("cost to serve"),
        "annual_margin": _("annual margin"),
        "margin_after_service": _("margin after service"),
        "serve_ratio": _("cost / margin"),
    }
    out = pd.DataFrame({key: summary[key].astype(str)})
    for column, label in labels.items():
        values = summary[column]
        if column == "serve_ratio":
            out[label] = [format_percent(v, 1) if pd.notna(v) else "" for v in values]
        else:
            out[label] = [format_number(float(v), 0) for v in values]
    for column in RECOMMENDATIONS:
        if column in summary:
            out[column] = summary[column].astype(int)
    return out
