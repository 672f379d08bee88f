"""Tiering inputs: the clients' sales columns checked, scored and grouped for the rules.

Every problem names the file, the row as a spreadsheet shows it and the column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from routeplan.config import TiersConfig
from routeplan.errors import ConfigError, InputError, Problem
from routeplan.i18n import _
from routeplan.model.tier_wording import figure

SALES_COLUMNS: tuple[str, ...] = ("revenue", "margin", "orders_per_year", "potential")
"""Sales columns of the clients data contract a rule may name."""

DERIVED_COLUMNS: dict[str, tuple[str, str]] = {"margin_value": ("revenue", "margin")}
"""Columns computed from two others as their product (margin money = revenue × margin)."""


@dataclass
class TierData:
    """Validated inputs shared by the tiering stages."""

    names: list[str]
    ids: np.ndarray
    id_rank: np.ndarray
    groups: np.ndarray
    scope_phrase: dict[str, str]
    values: dict[str, np.ndarray]
    score: np.ndarray
    score_label: str
    warnings: list[str] = field(default_factory=list)


def is_empty(value: object) -> bool:
    """True for None and NaN-like cells (an empty string is not empty here)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def fmt_number(value: float) -> str:
    """``412,000`` for money-like values, ``0.42`` for fractions (``412.000``, ``0,42`` in es)."""
    return figure(value)


def validated_inputs(clients: pd.DataFrame, rules: TiersConfig, source: str) -> TierData:
    """Check the columns the rules need, every value, and compute scores and scope groups.

    Raises :class:`InputError` naming file, row and column, or :class:`ConfigError` when a
    rule names a column that is neither a sales column nor in the file.
    """
    rows = spreadsheet_rows(clients.index)
    ids = _client_ids(clients, rows, source)
    needs, warnings = _needed_columns(clients, rules, source)
    problems: list[Problem] = []
    missing = [c for c in needs if c not in clients.columns]
    for column in missing:
        problems.append(
            Problem(source, f"column '{column}' is missing; the tier rules need it", None, column)
        )
    if rules.scope == "zone" and "zone" not in clients.columns:
        problems.append(
            Problem(source, "column 'zone' is missing; tiers.scope = 'zone' needs it", None, "zone")
        )
    if problems:
        raise InputError(problems, hint="add the column or change [tiers] in routeplan.toml")

    values: dict[str, np.ndarray] = {}
    for column, may_be_empty in needs.items():
        values[column] = _numbers(clients[column], column, rows, source, may_be_empty, problems)
    groups = _groups(clients, rules, rows, source, problems)
    if problems:
        raise InputError(problems, hint="fill in every sales figure as a number >= 0")
    for column in _ranking_columns(rules):
        base = DERIVED_COLUMNS.get(column, (column,))
        for part in base:
            if not np.any(values[part] != 0):
                problems.append(
                    Problem(source, f"every client has {part} 0; nothing to rank by", None, part)
                )
    if problems:
        raise InputError(problems, hint="check that the sales columns were exported")
    for column, (a, b) in DERIVED_COLUMNS.items():
        if a in values and b in values:
            values[column] = values[a] * values[b]

    score, label = _score(values, rules)
    scope_phrase = {
        g: (_("company-wide") if rules.scope == "company" else _("in zone {zone}", zone=g))
        for g in set(groups)
    }
    id_rank = np.argsort(np.argsort(ids, kind="stable"), kind="stable")
    return TierData(
        names=rules.tier_names,
        ids=ids,
        id_rank=id_rank,
        groups=groups,
        scope_phrase=scope_phrase,
        values=values,
        score=score,
        score_label=label,
        warnings=warnings,
    )


def spreadsheet_rows(index: pd.Index) -> np.ndarray:
    """Spreadsheet row numbers (index + 2 for a 0-based integer index, else 2, 3, ...)."""
    if pd.api.types.is_integer_dtype(index):
        return np.asarray(index, dtype=np.int64) + 2
    return np.arange(len(index), dtype=np.int64) + 2


def _client_ids(clients: pd.DataFrame, rows: np.ndarray, source: str) -> np.ndarray:
    if "client_id" not in clients.columns:
        raise InputError([Problem(source, "column 'client_id' is missing", None, "client_id")])
    if clients.empty:
        raise InputError([Problem(source, "no clients to tier", None, None)])
    problems = []
    ids = []
    seen: dict[str, int] = {}
    for row, value in zip(rows, clients["client_id"], strict=True):
        text = "" if is_empty(value) else str(value).strip()
        if not text:
            problems.append(Problem(source, "client_id is empty", int(row), "client_id"))
        elif text in seen:
            message = f"client_id '{text}' also on row {seen[text]}"
            problems.append(Problem(source, message, int(row), "client_id"))
        seen.setdefault(text, int(row))
        ids.append(text)
    if problems:
        raise InputError(problems, hint="give every client a unique client_id")
    return np.array(ids, dtype=str)


def _needed_columns(
    clients: pd.DataFrame, rules: TiersConfig, source: str
) -> tuple[dict[str, bool], list[str]]:
    """Columns to read, mapped to whether empty cells are allowed; plus warnings."""
    named: list[tuple[str, str]] = [(c, "tiers.score") for c in rules.score]
    if rules.rule == "shares" and rules.shares.basis == "revenue":
        named.append(("revenue", "tiers.shares.basis"))
    if rules.rule == "matrix":
        named.append((rules.matrix.volume_column, "tiers.matrix.volume_column"))
        named.append((rules.matrix.margin_column, "tiers.matrix.margin_column"))
    warnings: list[str] = []
    pot = rules.potential
    potential_used = pot.enabled
    if potential_used:
        if pot.column in clients.columns:
            named.append((pot.current_column, "tiers.potential.current_column"))
        else:
            _known_column(clients, pot.column, "tiers.potential.column", source)
            warnings.append(
                f"{source} has no '{pot.column}' column: no account is flagged for development"
            )
    needs: dict[str, bool] = {}
    for column, key in named:
        _known_column(clients, column, key, source)
        for part in DERIVED_COLUMNS.get(column, (column,)):
            needs[part] = False
    if potential_used and pot.column in clients.columns:
        needs.setdefault(pot.column, True)
    return needs, warnings


def _known_column(clients: pd.DataFrame, column: str, key: str, source: str) -> None:
    known = column in clients.columns or column in SALES_COLUMNS or column in DERIVED_COLUMNS
    if not known:
        choices = sorted(set(SALES_COLUMNS) | set(DERIVED_COLUMNS))
        raise ConfigError(
            f"routeplan.toml: key '{key}' names column '{column}', which is neither in "
            f"{source} nor a known sales column",
            hint=f"use one of {', '.join(choices)} or a numeric column of {source}",
        )


def _ranking_columns(rules: TiersConfig) -> list[str]:
    """Columns that must not be zero for every client."""
    columns = list(rules.score)
    if rules.rule == "shares" and rules.shares.basis == "revenue":
        columns.append("revenue")
    if rules.rule == "matrix":
        columns += [rules.matrix.volume_column, rules.matrix.margin_column]
    return columns


def _numbers(
    raw: pd.Series,
    column: str,
    rows: np.ndarray,
    source: str,
    may_be_empty: bool,
    problems: list[Problem],
) -> np.ndarray:
    values = pd.to_numeric(raw, errors="coerce").astype("float64").to_numpy()
    for i in np.flatnonzero(~np.isfinite(values) | (values < 0)):
        cell = raw.iloc[i]
        if is_empty(cell) or (isinstance(cell, str) and not cell.strip()):
            if may_be_empty:
                continue
            message = f"{column} is empty; give a number (0 if none)"
        elif math.isnan(values[i]):
            message = f"{column} '{cell}' is not a number"
        elif not math.isfinite(values[i]):
            message = f"{column} {cell} is not finite"
        else:
            message = f"{column} {fmt_number(values[i])} is negative"
        problems.append(Problem(source, message, int(rows[i]), column))
    if column == "margin":
        for i in np.flatnonzero(values > 1):
            message = f"margin {fmt_number(values[i])} is above 1; give margins as fractions (0.42)"
            problems.append(Problem(source, message, int(rows[i]), column))
    return values


def _groups(
    clients: pd.DataFrame,
    rules: TiersConfig,
    rows: np.ndarray,
    source: str,
    problems: list[Problem],
) -> np.ndarray:
    if rules.scope == "company":
        return np.full(len(clients), "", dtype=object)
    zones = []
    for row, value in zip(rows, clients["zone"], strict=True):
        text = "" if is_empty(value) else str(value).strip()
        if not text:
            message = "zone is empty; tiers.scope = 'zone' needs every client's zone"
            problems.append(Problem(source, message, int(row), "zone"))
        zones.append(text)
    return np.array(zones, dtype=object)


def _score(values: dict[str, np.ndarray], rules: TiersConfig) -> tuple[np.ndarray, str]:
    if len(rules.score) == 1:
        column = next(iter(rules.score))
        return values[column].astype(float), column
    total = sum(rules.score.values())
    score = np.zeros(len(next(iter(values.values()))))
    for column, weight in rules.score.items():
        x = values[column]
        if rules.normalise == "rank":
            scaled = pd.Series(x).rank(pct=True, method="average").to_numpy()
        else:
            span = x.max() - x.min()
            scaled = (x - x.min()) / span if span > 0 else np.zeros_like(x)
        score += weight / total * scaled
    return score, "score"


def previous_positions(
    previous: pd.DataFrame | None, data: TierData, rules: TiersConfig, source: str
) -> np.ndarray | None:
    """Previous rule tier position of each client (-1: none), or None without hysteresis."""
    if previous is None or rules.hysteresis == 0:
        return None
    problems = [
        Problem(source, f"column '{c}' is missing", None, c)
        for c in ("client_id", "tier")
        if c not in previous.columns
    ]
    if problems:
        raise InputError(problems, hint="pass the tiered clients of the previous run")
    column = "rule_tier" if "rule_tier" in previous.columns else "tier"
    usable = np.ones(len(previous), dtype=bool)
    if column == "tier" and "tier_source" in previous.columns:
        usable = ~previous["tier_source"].isin(["override", "promoted"]).to_numpy()
    position = {name: i for i, name in enumerate(data.names)}
    by_id = {
        str(client_id): position[str(tier)]
        for client_id, tier, ok in zip(previous["client_id"], previous[column], usable, strict=True)
        if ok and str(tier) in position
    }
    return np.array([by_id.get(str(i), -1) for i in data.ids], dtype=np.int64)
