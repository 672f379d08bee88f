"""Client tiering: Pareto/ABC shares or a volume × margin matrix, with reasons.

Pure: a clients DataFrame and a :class:`~routeplan.config.TiersConfig` in, a tiered copy out.
The stages, in order of precedence (a later stage wins):

1. **Rule** (``tiers.rule``) gives every client a tier:

   - ``shares``: rank by score (highest first, ties by ``client_id``) within the scope (whole
     company or each zone), cut the ranking by cumulative share of accounts (tier ``t`` ends
     at account ``round(cumulative share × n)``) or of revenue (an account is in the first
     tier whose cumulative share exceeds the revenue share of the accounts ranked above it).
   - ``matrix``: volume high if ``volume >= threshold``, margin high if ``margin >=
     threshold``; thresholds are quantiles within the scope or absolute values.

2. **Hysteresis** (``tiers.hysteresis = h``, only with a ``previous`` tiering): a client whose
   rule tier differs from its previous rule tier (``rule_tier``; previous overrides are
   ignored) moves only as far as the band forces it. Demotion: it keeps tier ``t`` (trying
   its previous tier first, then downwards) if its score is at least ``(1 - h) × in_t``, the
   last score the rule admits to ``t``. Promotion: it stays in tier ``t`` (previous tier
   first, then upwards) while its score is below ``(1 + h) × out_(t-1)``, the first score the
   rule leaves out of tier ``t - 1``. The matrix tests each axis the same way against its
   threshold. Hence a client whose score moved by less than the band keeps its tier when
   the others' scores did not move, and everyone keeps their tier when every score moved by
   a factor within ``[1 - d, 1 + d]`` with ``(1 + d) / (1 - d) < 1 + h`` (accounts basis or
   matrix; both are property-tested).
3. **Potential** (``tiers.potential``): a client is flagged ``development`` (the "A3" case)
   when its potential is at least ``min_ratio`` times its current purchase and at or above
   the company-wide ``min_potential_quantile`` of potential; flagged clients are promoted
   ``promote_steps`` tiers, never above ``highest``. An empty potential is "not assessed".
4. **Override**: a non-empty ``tier`` column in the clients file always wins.

Score: the one column named in ``tiers.score`` as is (so reasons quote revenue), or the
weighted mean of the columns' company-wide percentile ranks (``normalise = "rank"``) or
min-max scaled values (``"minmax"``). ``margin_value`` (revenue × margin) may be named too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routeplan.config import MATRIX_CELLS, CadenceConfig, TiersConfig
from routeplan.errors import DataWarning, InputError, Problem
from routeplan.i18n import _
from routeplan.model.reasons import Reason, encode, join, reason_texts
from routeplan.tiers.inputs import (
    TierData,
    is_empty,
    previous_positions,
    spreadsheet_rows,
    validated_inputs,
)
from routeplan.tiers.lifecycle import with_lifecycle

TIER_COLUMNS: tuple[str, ...] = (
    "tier",
    "tier_reason_code",
    "tier_reason",
    "tier_source",
    "rule_tier",
    "score",
    "development",
)
"""Columns :func:`assign_tiers` adds (``tier`` replaces the override column)."""

TIER_SOURCES: tuple[str, ...] = ("rule", "hysteresis", "promoted", "override")
"""Values of ``tier_source``, lowest precedence first."""

DIFF_COLUMNS: tuple[str, ...] = ("client_id", "before", "after", "change", "tier_reason")
"""Columns of :func:`tier_diff`."""

CHANGES: tuple[str, ...] = ("promoted", "demoted", "changed", "new", "gone")
"""Values of ``change`` in :func:`tier_diff`; ``changed`` is between tiers of different rules."""


@dataclass(frozen=True)
class Tiering:
    """Tiered clients and the warnings the tiering raised (returned, never hidden)."""

    clients: pd.DataFrame
    warnings: list[DataWarning]


@dataclass
class _Stage:
    """Tier positions (0 = highest) and one ``reason_code`` per client."""

    tier: np.ndarray
    reason: list[str]
    kept: np.ndarray


def assign_tiers(
    clients: pd.DataFrame,
    rules: TiersConfig,
    *,
    previous: pd.DataFrame | None = None,
    source: str = "clients.csv",
    previous_source: str = "previous tiering",
) -> pd.DataFrame:
    """Tier every client and say why: the clients of :func:`tier_clients`, warnings aside."""
    return tier_clients(
        clients, rules, previous=previous, source=source, previous_source=previous_source
    ).clients


def tier_clients(
    clients: pd.DataFrame,
    rules: TiersConfig,
    *,
    previous: pd.DataFrame | None = None,
    source: str = "clients.csv",
    previous_source: str = "previous tiering",
) -> Tiering:
    """Tier every client and say why.

    Parameters
    ----------
    clients
        One row per client: ``client_id`` and the columns the rules name (``revenue`` by
        default; ``zone`` when ``scope = "zone"``); an optional ``tier`` column overrides.
    rules
        The ``[tiers]`` settings.
    previous
        An earlier result of this function (``client_id``, ``tier``, optionally ``rule_tier``
        and ``tier_source``) for hysteresis; ignored when ``rules.hysteresis`` is 0.
    source
        File name of ``clients`` used in error messages.
    previous_source
        File name of ``previous`` used in error messages.

    Returns
    -------
    Tiering
        ``clients``: a copy of the input with :data:`TIER_COLUMNS`: ``tier``,
        ``tier_reason``, ``tier_source`` (one of :data:`TIER_SOURCES`), ``rule_tier`` (rule
        and hysteresis, before promotion and override: what the next run's hysteresis
        compares with), ``score`` and ``development``; ``warnings``: e.g. a zone where a
        tier is empty.

    Raises
    ------
    InputError
        Missing columns, empty/non-numeric/negative/infinite values, a column that is zero
        for every client, duplicate ids, or an override naming an unknown tier; every problem
        names file, row (as a spreadsheet shows it) and column.
    ConfigError
        A rule names a column that is neither a known sales column nor in the file.

    """
    data = validated_inputs(clients, rules, source)
    prev = previous_positions(previous, data, rules, previous_source)
    if rules.rule == "shares":
        stage = _share_rule(data, rules, prev)
    else:
        stage = _matrix_rule(data, rules, prev)
    rule_tier = stage.tier.copy()
    source_col = np.where(stage.kept, "hysteresis", "rule").astype(object)
    development = _development(data, rules)
    tier, reason = _promote(data, rules, stage, development, source_col)
    _override(clients, data, tier, reason, source_col, source)

    names = np.array(data.names, dtype=object)
    out = clients.copy()
    out["tier"] = pd.Series(names[tier], index=clients.index, dtype="str")
    codes = with_lifecycle(pd.Series(reason, index=clients.index, dtype="str"), clients)
    out["tier_reason_code"] = codes
    out["tier_reason"] = pd.Series(reason_texts(codes), index=clients.index, dtype="str")
    out["tier_source"] = pd.Series(source_col, index=clients.index, dtype="str")
    out["rule_tier"] = pd.Series(names[rule_tier], index=clients.index, dtype="str")
    out["score"] = pd.Series(data.score, index=clients.index, dtype="float64")
    out["development"] = pd.Series(development, index=clients.index, dtype="bool")
    return Tiering(out, [DataWarning(w) for w in data.warnings])


def tier_diff(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    *,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Clients whose tier changed between two tierings.

    Parameters
    ----------
    previous, current
        Tierings with ``client_id`` and ``tier`` (``current`` may have ``tier_reason``).
    order
        Tier names, highest first; default the default ``[tiers] order``.

    Returns
    -------
    pandas.DataFrame
        :data:`DIFF_COLUMNS`, one row per client whose tier changed: ``change`` is
        ``promoted``/``demoted`` (higher/lower tier), ``changed`` (a tier outside ``order``),
        ``new`` (only in ``current``) or ``gone`` (only in ``previous``); sorted by change
        (in :data:`CHANGES` order) then ``client_id``. Unchanged clients are left out.

    """
    rank = {name: i for i, name in enumerate(order or TiersConfig().order)}
    before = _tier_by_id(previous)
    after = _tier_by_id(current)
    reasons: dict[str, str] = {}
    if "tier_reason" in current.columns:
        reasons = dict(
            zip(current["client_id"].astype(str), current["tier_reason"].astype(str), strict=True)
        )
    rows = []
    for client_id in sorted(set(before) | set(after)):
        b, a = before.get(client_id), after.get(client_id)
        if b == a:
            continue
        if b is None:
            change = "new"
        elif a is None:
            change = "gone"
        elif b in rank and a in rank:
            change = "promoted" if rank[a] < rank[b] else "demoted"
        else:
            change = "changed"
        rows.append((client_id, b, a, change, reasons.get(client_id, "")))
    diff = pd.DataFrame(rows, columns=list(DIFF_COLUMNS))
    diff["change_order"] = diff["change"].map({c: i for i, c in enumerate(CHANGES)})
    diff = diff.sort_values(["change_order", "client_id"], kind="stable")
    return diff.drop(columns="change_order").reset_index(drop=True)


def fill_service_minutes(
    tiered: pd.DataFrame,
    cadence: Mapping[str, CadenceConfig],
    *,
    source: str = "clients.csv",
) -> pd.DataFrame:
    """Give every client its service minutes: its own ``service_min`` or its tier's.

    Parameters
    ----------
    tiered
        Clients with ``tier`` (from :func:`assign_tiers`) and optionally ``service_min``.
    cadence
        ``[cadence.<tier>]`` settings (``Settings.cadence``).
    source
        File name used in error messages.

    Returns
    -------
    pandas.DataFrame
        A copy with an integer ``service_min`` column, no empty cells.

    Raises
    ------
    InputError
        A ``service_min`` that is not a positive number, or a tier without a cadence.

    """
    rows = spreadsheet_rows(tiered.index)
    raw = tiered["service_min"] if "service_min" in tiered.columns else None
    own = (
        pd.to_numeric(raw, errors="coerce").astype("float64").to_numpy()
        if raw is not None
        else np.full(len(tiered), np.nan)
    )
    problems = []
    minutes = []
    for i, tier in enumerate(tiered["tier"].astype(str)):
        if raw is not None and not is_empty(raw.iloc[i]) and str(raw.iloc[i]).strip():
            if not (math.isfinite(own[i]) and own[i] > 0):
                message = f"service_min '{raw.iloc[i]}' is not a positive number of minutes"
                problems.append(Problem(source, message, int(rows[i]), "service_min"))
                continue
            minutes.append(round(own[i]))
        elif tier in cadence:
            minutes.append(cadence[tier].service_min)
        else:
            message = f"tier '{tier}' has no [cadence.{tier}] section"
            problems.append(Problem(source, message, int(rows[i]), "tier"))
    if problems:
        raise InputError(problems, hint="leave service_min empty to use the tier's minutes")
    out = tiered.copy()
    out["service_min"] = pd.Series(minutes, index=tiered.index, dtype="int64")
    return out


def _tier_by_id(frame: pd.DataFrame) -> dict[str, str]:
    return {
        str(client_id): str(tier)
        for client_id, tier in zip(frame["client_id"], frame["tier"], strict=True)
        if not is_empty(tier)
    }


# --- share rule ----------------------------------------------------------------------------


def _share_rule(data: TierData, rules: TiersConfig, prev: np.ndarray | None) -> _Stage:
    n, n_tiers = len(data.ids), len(data.names)
    cum = np.cumsum(list(rules.shares.shares.values()))
    cum = np.round(cum, 12)
    tier = np.empty(n, dtype=np.int64)
    theta = np.empty((n, n_tiers - 1))  # last score in, per cut
    theta_out = np.empty((n, n_tiers - 1))  # first score out, per cut
    for group in sorted(set(data.groups)):
        idx = np.flatnonzero(data.groups == group)
        score = data.score[idx]
        order = np.lexsort((data.id_rank[idx], -score))
        if rules.shares.basis == "accounts":
            cuts = np.floor(np.round(cum * len(idx), 9) + 0.5).astype(np.int64)
            ranked = np.searchsorted(cuts, np.arange(len(idx)), side="right")
        else:
            revenue = data.values["revenue"][idx][order]
            total = revenue.sum()
            before = (np.cumsum(revenue) - revenue) / total if total > 0 else revenue * 0 + 1
            before = np.round(before, 12)
            ranked = np.searchsorted(cum, before, side="right")
            cuts = np.cumsum(np.bincount(ranked, minlength=n_tiers))[:-1]
        sorted_score = score[order]
        tier[idx[order]] = ranked
        theta[idx] = [sorted_score[k - 1] if k > 0 else np.inf for k in cuts]
        theta_out[idx] = [sorted_score[k] if k < len(idx) else -np.inf for k in cuts]
        empty = [data.names[t] for t in range(n_tiers) if not np.any(ranked == t)]
        if empty and len(idx) < n:
            data.warnings.append(
                _(
                    "{scope} ({accounts} accounts) no account is in tier(s) {tiers}",
                    scope=data.scope_phrase[group],
                    accounts=len(idx),
                    tiers=", ".join(empty),
                )
            )
        elif empty:
            data.warnings.append(_("no account is in tier(s) {tiers}", tiers=", ".join(empty)))
    kept = np.zeros(n, dtype=bool)
    rule_tier = tier.copy()
    if prev is not None:
        tier, kept = _hysteresis(tier, data.score, theta, theta_out, prev, rules.hysteresis)
    reasons = []
    for i in range(n):
        if kept[i]:
            reasons.append(_kept_reason(i, data, rules, tier, rule_tier, theta, theta_out))
        else:
            reasons.append(_share_reason(i, data, rules, tier, theta, cum))
    return _Stage(tier, reasons, kept)


def _hysteresis(
    tier: np.ndarray,
    score: np.ndarray,
    theta_in: np.ndarray,
    theta_out: np.ndarray,
    prev: np.ndarray,
    band: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Move a client from its previous tier only as far as the band forces it.

    Demotion out of tier ``k`` is held while the score is at least ``(1 - band)`` times the
    last score the rule lets into ``k``; promotion into tier ``k - 1`` is held while the score
    is below ``(1 + band)`` times the first score the rule leaves out of ``k - 1``.
    """
    final = tier.copy()
    for i in np.flatnonzero((prev >= 0) & (prev != tier)):
        p, t, s = int(prev[i]), int(tier[i]), score[i]
        if p < t:
            final[i] = next((k for k in range(p, t) if s >= (1 - band) * theta_in[i, k]), t)
        else:
            final[i] = next((k for k in range(p, t, -1) if s < (1 + band) * theta_out[i, k - 1]), t)
    return final, final != tier


def _zone(data: TierData, rules: TiersConfig, i: int) -> dict[str, object]:
    """The ``zone`` argument of a reason under ``scope = "zone"`` (none company-wide)."""
    return {"zone": str(data.groups[i])} if rules.scope == "zone" else {}


def _kept_reason(
    i: int,
    data: TierData,
    rules: TiersConfig,
    tier: np.ndarray,
    rule_tier: np.ndarray,
    theta_in: np.ndarray,
    theta_out: np.ndarray,
) -> str:
    t, r = int(tier[i]), int(rule_tier[i])
    bound = theta_in[i, t] if t < r else theta_out[i, t - 1]
    args = {
        "tier": data.names[t],
        "band": rules.hysteresis,
        "score": data.score_label,
        "value": _raw(data.score[i]),
        "bound": _raw(bound),
        "rule": data.names[r],
    }
    return encode([Reason("tier_kept", args)])


def _share_reason(
    i: int,
    data: TierData,
    rules: TiersConfig,
    tier: np.ndarray,
    theta: np.ndarray,
    cum: np.ndarray,
) -> str:
    t = int(tier[i])
    args: dict[str, object] = {"score": data.score_label, "value": _raw(data.score[i])}
    args |= _zone(data, rules, i)
    by_accounts = rules.shares.basis == "accounts"
    if t < len(cum):
        args |= {"share": _raw(cum[t]), "threshold": _raw(theta[i, t])}
        return encode([Reason("share_top" if by_accounts else "share_revenue_first", args)])
    above = [k for k in range(len(cum)) if np.isfinite(theta[i, k])]
    if not above:
        return encode([Reason("share_too_few", args)])
    k = above[-1]
    args |= {"share": _raw(cum[k]), "threshold": _raw(theta[i, k])}
    if data.score[i] == theta[i, k]:
        return encode([Reason("share_tie_top" if by_accounts else "share_tie_revenue", args)])
    return encode([Reason("share_below_top" if by_accounts else "share_below_revenue", args)])


# --- matrix rule ---------------------------------------------------------------------------


def _matrix_rule(data: TierData, rules: TiersConfig, prev: np.ndarray | None) -> _Stage:
    cfg = rules.matrix
    cells = list(cfg.labels)
    prev_cell = None if prev is None else [cells[p] if p >= 0 else "" for p in prev]
    axes = [
        _matrix_axis(data, rules, "volume", cfg.volume_column, cfg.volume_threshold, prev_cell),
        _matrix_axis(data, rules, "margin", cfg.margin_column, cfg.margin_threshold, prev_cell),
    ]
    volume, margin = axes
    position = {cell: i for i, cell in enumerate(cells)}
    tier = np.array(
        [position[_cell(v, m)] for v, m in zip(volume.high, margin.high, strict=True)],
        dtype=np.int64,
    )
    reasons = [
        encode(axis.reason(i, _zone(data, rules, i), rules.hysteresis) for axis in axes)
        for i in range(len(tier))
    ]
    return _Stage(tier, reasons, volume.kept | margin.kept)


@dataclass
class _Axis:
    """One axis of the matrix: values, threshold, high/low and whether hysteresis held it."""

    name: str
    column: str
    x: np.ndarray
    theta: np.ndarray
    high: np.ndarray
    kept: np.ndarray
    quantile: float | None

    def reason(self, i: int, zone: dict[str, object], band: float) -> Reason:
        """Why client ``i`` is on its side of this axis (``zone``: its scope's argument)."""
        args: dict[str, object] = {
            "axis": self.name,
            "level": "high" if self.high[i] else "low",
            "column": self.column,
            "value": _raw(self.x[i]),
            "threshold": _raw(self.theta[i]),
        }
        if self.kept[i]:
            return Reason("matrix_kept", args | {"band": band})
        if self.quantile is not None:
            args |= {"quantile": self.quantile, **zone}
        return Reason("matrix", args)


def _matrix_axis(
    data: TierData,
    rules: TiersConfig,
    name: str,
    column: str,
    threshold: float,
    prev_cell: list[str] | None,
) -> _Axis:
    """High where the value reaches the threshold (quantile per scope or absolute).

    With a previous tiering, a client keeps its previous side while its value is within the
    band: at least ``(1 - band) × θ`` to stay high, below ``(1 + band) × θ`` to stay low.
    """
    x = data.values[column]
    quantile = threshold if rules.matrix.thresholds == "quantile" else None
    theta = np.full(len(x), threshold, dtype=float)
    if quantile is not None:
        for group in sorted(set(data.groups)):
            idx = np.flatnonzero(data.groups == group)
            theta[idx] = np.quantile(x[idx], quantile)
    high = x >= theta
    kept = np.zeros(len(x), dtype=bool)
    if prev_cell is not None:
        has = np.array([bool(c) for c in prev_cell])
        prev_high = np.array(
            [
                c.startswith("high") if name == "volume" else c.endswith("high_margin")
                for c in prev_cell
            ]
        )
        band = rules.hysteresis
        stay_high = prev_high & ~high & (x >= (1 - band) * theta)
        stay_low = ~prev_high & high & (x < (1 + band) * theta)
        kept = has & (stay_high | stay_low)
        high = np.where(kept, prev_high, high)
    return _Axis(name, column, x, theta, high, kept, quantile)


def _cell(high_volume: bool, high_margin: bool) -> str:
    cell = f"{'high' if high_volume else 'low'}_volume_{'high' if high_margin else 'low'}_margin"
    assert cell in MATRIX_CELLS
    return cell


# --- potential and overrides ---------------------------------------------------------------


def _development(data: TierData, rules: TiersConfig) -> np.ndarray:
    pot = rules.potential
    n = len(data.ids)
    if not pot.enabled or pot.column not in data.values:
        return np.zeros(n, dtype=bool)
    potential, current = data.values[pot.column], data.values[pot.current_column]
    assessed = np.isfinite(potential)
    if not assessed.any():
        return np.zeros(n, dtype=bool)
    floor = np.quantile(potential[assessed], pot.min_potential_quantile)
    with np.errstate(invalid="ignore"):
        return (
            assessed
            & (potential > 0)
            & (potential >= floor)
            & (potential >= pot.min_ratio * current)
        )


def _promote(
    data: TierData,
    rules: TiersConfig,
    stage: _Stage,
    development: np.ndarray,
    source_col: np.ndarray,
) -> tuple[np.ndarray, list[str]]:
    pot = rules.potential
    ceiling = data.names.index(pot.highest) if pot.highest else 0
    tier, reason = stage.tier.copy(), list(stage.reason)
    for i in np.flatnonzero(development):
        why = {
            "potential": _raw(data.values[pot.column][i]),
            "current": _raw(data.values[pot.current_column][i]),
        }
        target = max(int(tier[i]) - pot.promote_steps, ceiling)
        if target < tier[i]:
            moved = {"before": data.names[tier[i]], "after": data.names[target]}
            reason[i] = encode([Reason("promoted", moved | why)])
            tier[i] = target
            source_col[i] = "promoted"
        else:
            reason[i] = join(reason[i], encode([Reason("development", why)]))
    return tier, reason


def _override(
    clients: pd.DataFrame,
    data: TierData,
    tier: np.ndarray,
    reason: list[str],
    source_col: np.ndarray,
    source: str,
) -> None:
    if "tier" not in clients.columns:
        return
    by_name = {name.casefold(): i for i, name in enumerate(data.names)}
    rows = spreadsheet_rows(clients.index)
    problems = []
    for i, value in enumerate(clients["tier"]):
        if is_empty(value) or not str(value).strip():
            continue
        text = str(value).strip()
        position = by_name.get(text.casefold())
        if position is None:
            message = f"tier '{text}' is not one of {', '.join(data.names)}"
            problems.append(Problem(source, message, int(rows[i]), "tier"))
            continue
        reason[i] = encode([Reason("override", {"file": source, "tier": data.names[tier[i]]})])
        tier[i] = position
        source_col[i] = "override"
    if problems:
        raise InputError(problems, hint="leave the tier column empty or use a configured tier")


# --- formatting ----------------------------------------------------------------------------


def _raw(value: float) -> str:
    """A figure as a reason argument: plain, locale-free (worded in :mod:`model.tier_wording`)."""
    return f"{float(value):.12g}"
