"""The workload method, made geographic: what a rep can do in a week and what fits.

Managers' spreadsheet rule: reps needed = accounts × visits × minutes ÷ available hours. Here
the minutes are service plus each account's drive per visit (routed or estimated), available
hours come from the reps' working days, and a target utilisation (``[capacity]
target_utilisation``, 85 % by default) leaves room for what a plan cannot foresee. A rep is
also limited by ``max_visits_per_day``.

What fits in a zone: tiers are served in priority order (AAA first); each tier gets what its
visits need while the rep's minutes and visit slots last, the tier where they run out gets the
fraction that fits, lower tiers get nothing. Coverage is visits that fit ÷ visits due.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class RepCapacity:
    """What one rep can do in a week.

    Attributes
    ----------
    minutes
        Working minutes a week for driving and visits (days × (day length − lunch)).
    visits
        Visit slots a week (days × ``max_visits_per_day``).

    """

    minutes: float
    visits: float

    def __post_init__(self) -> None:
        if self.minutes < 0 or self.visits < 0:
            msg = f"capacity cannot be negative, got {self.minutes} min, {self.visits} visits."
            raise ValueError(msg)

    def times(self, reps: float) -> RepCapacity:
        """The capacity of ``reps`` such reps together."""
        return RepCapacity(self.minutes * reps, self.visits * reps)


def reps_needed(
    minutes: float, visits: float, capacity: RepCapacity, *, target: float = 0.85
) -> int:
    """Fewest reps whose working time and visit slots hold the load at ``target`` utilisation.

    Parameters
    ----------
    minutes, visits
        Weekly load: minutes (service + drive) and visits.
    capacity
        One rep's week.
    target
        Utilisation the load may reach (0-1].

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> reps_needed(6000.0, 100.0, RepCapacity(2250.0, 60.0), target=0.85)
    4

    """
    if not 0 < target <= 1:
        msg = f"target utilisation must be in (0, 1], got {target}."
        raise ValueError(msg)
    need = [1]
    if capacity.minutes > 0:
        need.append(math.ceil(minutes / (capacity.minutes * target) - 1e-9))
    if capacity.visits > 0:
        need.append(math.ceil(visits / (capacity.visits * target) - 1e-9))
    return max(need)


def fit_by_priority(
    load: pd.DataFrame, capacity: RepCapacity, order: Sequence[str]
) -> dict[str, float]:
    """Visits of each tier that fit in ``capacity``, higher tiers first.

    Parameters
    ----------
    load
        Indexed by tier: ``minutes`` and ``visits`` due a week.
    capacity
        The working minutes and visit slots available.
    order
        Tiers, highest priority first (tiers of ``load`` not in it come last).

    Returns
    -------
    dict
        Tier → visits a week that fit.

    """
    minutes_left, visits_left = capacity.minutes, capacity.visits
    fits: dict[str, float] = {}
    tiers = [t for t in order if t in load.index] + [t for t in load.index if t not in order]
    for tier in tiers:
        need_min = float(load.at[tier, "minutes"])
        need_visits = float(load.at[tier, "visits"])
        share = 1.0
        if need_min > 0:
            share = min(share, max(minutes_left, 0.0) / need_min)
        if need_visits > 0:
            share = min(share, max(visits_left, 0.0) / need_visits)
        fits[tier] = need_visits * share
        minutes_left -= need_min * share
        visits_left -= need_visits * share
    return fits


def pooled_coverage(
    load: pd.DataFrame, capacity: RepCapacity, reps: int, order: Sequence[str]
) -> float:
    """Coverage with the whole load shared perfectly among ``reps`` (the ideal balance).

    More reps never lower it and a longer day (more minutes) never lowers it: what fits only
    grows with the capacity.
    """
    due = float(load["visits"].sum())
    if due <= 0:
        return 1.0
    return sum(fit_by_priority(load, capacity.times(reps), order).values()) / due


def compliance_by_tier(due: Mapping[str, float], fits: Mapping[str, float]) -> dict[str, float]:
    """Share of each tier's due visits that fit (1.0 for a tier with nothing due)."""
    return {t: (fits.get(t, 0.0) / d if d > 0 else 1.0) for t, d in due.items()}
