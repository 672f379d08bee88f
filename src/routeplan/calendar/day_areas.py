"""Day areas: each rep's clients cut once per cycle into one compact area per workday.

An area is a balanced cluster of the rep's clients (by weekly workload: visit time plus
estimated travel, times visits a week), found by recursive bisection and refined by a
capacitated k-means (a price per area keeps the loads within :data:`AREA_TOLERANCE` of each
other). Named neighbourhoods (the clients' ``area`` column) are kept whole where the balance
allows. Areas get weekdays in sweep order around the rep's home so that neighbouring areas
are at least two days apart: a twice-weekly key account is seen on its own area's day and on
a neighbouring area's day, the spacing between them respected.

The areas are computed with the calendar (once per cycle, stable across weeks) and stored in
it (``day_area``, ``area_day``). Pure numpy: arrays in, arrays out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from routeplan.calendar.phases import balanced_bisection

AREA_TOLERANCE = 0.15
"""Largest relative deviation of an area's weekly workload from the mean area workload."""

KMEANS_ROUNDS = 40
"""Rounds of the capacitated k-means refinement (deterministic: no random restarts)."""

PARTNER_KM_PER_MIN = 0.02
"""Choosing the second weekday of a key account: one minute of workload already on a day
weighs as much as 0.02 km more between the client and that day's area."""


@dataclass(frozen=True)
class RepAreas:
    """The day areas of one rep.

    Attributes
    ----------
    label
        (n,) area of each client, 0..k-1.
    weekday
        (k,) weekday index (0 = Monday) of each area.
    centroid
        (k, 2) planar centroid (km) of each area.

    """

    label: np.ndarray
    weekday: np.ndarray
    centroid: np.ndarray

    def day_of(self, i: int) -> int:
        """Weekday of client ``i``'s area."""
        return int(self.weekday[self.label[i]])


def _centroids(xy: np.ndarray, weight: np.ndarray, label: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((k, 2))
    for a in range(k):
        inside = label == a
        if inside.any():
            w = weight[inside] + 1e-9
            out[a] = (xy[inside] * w[:, None]).sum(axis=0) / w.sum()
        else:
            out[a] = xy.mean(axis=0)
    return out


def _imbalance(weight: np.ndarray, label: np.ndarray, k: int) -> float:
    load = np.bincount(label, weights=weight, minlength=k)
    mean = load.mean()
    return float(np.abs(load - mean).max() / mean) if mean > 0 else 0.0


def _spread(xy: np.ndarray, weight: np.ndarray, label: np.ndarray, k: int) -> float:
    centre = _centroids(xy, weight, label, k)
    return float((np.linalg.norm(xy - centre[label], axis=1) * (weight + 1e-9)).sum())


def capacitated_kmeans(
    xy: np.ndarray,
    weight: np.ndarray,
    start: np.ndarray,
    k: int,
    *,
    tolerance: float,
) -> np.ndarray | None:
    """Refine ``start`` labels into compact clusters whose loads stay within ``tolerance``.

    Each round assigns every point to the area minimising its squared distance plus the
    area's price; prices rise on overloaded areas and fall on light ones. The most compact
    labelling seen within the tolerance is kept: ``start`` when it is within and none is
    better, None when no labelling is within.
    """
    best: np.ndarray | None = start
    best_spread = _spread(xy, weight, start, k)
    if _imbalance(weight, start, k) > tolerance:
        best, best_spread = None, np.inf
    label = start.copy()
    price = np.zeros(k)
    scale = float(np.mean(np.sum((xy - xy.mean(axis=0)) ** 2, axis=1))) or 1.0
    target = weight.sum() / k
    for r in range(KMEANS_ROUNDS):
        centre = _centroids(xy, weight, label, k)
        dist = ((xy[:, None, :] - centre[None, :, :]) ** 2).sum(axis=2)
        label = np.argmin(dist + price[None, :], axis=1)
        load = np.bincount(label, weights=weight, minlength=k)
        price += scale * 0.5 / (1 + r / 4) * (load - target) / max(target, 1e-9)
        spread = _spread(xy, weight, label, k)
        if _imbalance(weight, label, k) <= tolerance and spread < best_spread:
            best, best_spread = label.copy(), spread
    return best


def keep_named_whole(
    weight: np.ndarray, label: np.ndarray, names: Sequence[str], k: int, *, tolerance: float
) -> np.ndarray:
    """Move the clients of a split neighbourhood to its main area while the balance allows.

    Parameters
    ----------
    weight
        (n,) weekly workload of each client.
    label
        (n,) area of each client.
    names
        (n,) neighbourhood of each client (empty: none).
    k
        Number of areas.
    tolerance
        Largest relative deviation of an area's load from the mean.

    Returns
    -------
    numpy.ndarray
        The new labels (``label`` is not modified).

    """
    label = label.copy()
    mean = weight.sum() / k
    load = np.bincount(label, weights=weight, minlength=k)
    named = np.asarray(names, dtype=object)
    for name in sorted({str(n) for n in named if str(n)}):
        members = np.flatnonzero(named == name)
        share = np.bincount(label[members], weights=weight[members] + 1e-9, minlength=k)
        main = int(np.argmax(share))
        for i in members[np.argsort(weight[members], kind="stable")]:
            src = int(label[i])
            if src == main:
                continue
            if load[main] + weight[i] > mean * (1 + tolerance):
                continue
            if load[src] - weight[i] < mean * (1 - tolerance):
                continue
            label[i] = main
            load[main] += weight[i]
            load[src] -= weight[i]
    return label


def alternating_days(workdays: Sequence[int]) -> list[int]:
    """Workdays in the order areas take them around home: every other day, then the rest.

    Examples
    --------
    >>> alternating_days([0, 1, 2, 3, 4])
    [0, 2, 4, 1, 3]
    """
    days = sorted(workdays)
    return days[0::2] + days[1::2]


def area_weekdays(centroid: np.ndarray, home: np.ndarray, workdays: Sequence[int]) -> np.ndarray:
    """Weekday of each area: areas in sweep order around home take :func:`alternating_days`.

    Neighbouring areas of the sweep so fall at least two weekdays apart (with five workdays),
    and the sweep starts after the widest empty angle, so the first and last areas are the
    least alike.
    """
    k = len(centroid)
    angle = np.arctan2(centroid[:, 1] - home[1], centroid[:, 0] - home[0])
    order = np.lexsort((np.arange(k), angle))
    if k > 1:
        sorted_angle = angle[order]
        gaps = np.diff(np.concatenate([sorted_angle, sorted_angle[:1] + 2 * np.pi]))
        order = np.roll(order, -(int(np.argmax(gaps)) + 1))
    days = alternating_days(workdays)
    weekday = np.empty(k, dtype=int)
    weekday[order] = days[:k]
    return weekday


def rep_areas(
    xy: np.ndarray,
    weight: np.ndarray,
    *,
    home: np.ndarray,
    workdays: Sequence[int],
    names: Sequence[str] | None = None,
    tolerance: float = AREA_TOLERANCE,
) -> RepAreas:
    """The day areas of one rep's clients (see the module docstring).

    Parameters
    ----------
    xy
        (n, 2) planar coordinates of the rep's clients, km.
    weight
        (n,) weekly workload of each client, minutes.
    home
        (2,) planar coordinates of the rep's home (NaN: the clients' centre).
    workdays
        The rep's weekdays (0 = Monday): one area per workday.
    names
        Optional neighbourhood of each client, kept whole where the balance allows.
    tolerance
        Largest relative deviation of an area's workload from the mean area workload.

    Returns
    -------
    RepAreas
        Labels, weekday and centroid of each area.

    """
    k = max(len(workdays), 1)
    n = len(xy)
    weight = np.maximum(np.asarray(weight, dtype=float), 0.0)
    if np.isnan(home).any():
        home = xy.mean(axis=0) if n else np.zeros(2)
    if n <= k:
        label = np.arange(n, dtype=int)
    else:
        start = balanced_bisection(xy, weight, k)
        found = capacitated_kmeans(xy, weight, start, k, tolerance=tolerance)
        label = start if found is None else found
        if names is not None:
            label = keep_named_whole(weight, label, names, k, tolerance=tolerance)
    centroid = _centroids(xy, weight, label, k) if n else np.zeros((k, 2))
    return RepAreas(label=label, weekday=area_weekdays(centroid, home, workdays), centroid=centroid)


def nearest_area_day(areas: RepAreas, xy: np.ndarray, mask: int) -> int:
    """The weekday within ``mask`` whose area centroid is nearest to ``xy`` (-1 if none)."""
    best, best_d = -1, np.inf
    for a, day in enumerate(areas.weekday.tolist()):
        if mask >> day & 1:
            d = float(np.linalg.norm(areas.centroid[a] - xy))
            if d < best_d or (d == best_d and day < best):
                best, best_d = day, d
    return best


def key_account_pattern(
    options: Sequence[tuple[int, ...]],
    *,
    own_day: int,
    xy: np.ndarray,
    areas: RepAreas,
    day_load: np.ndarray,
) -> tuple[int, ...]:
    """The weekday pattern of a multi-visit client: its area's day, then the nearest areas.

    Parameters
    ----------
    options
        The feasible patterns (weekday tuples at the tier's spacing).
    own_day
        Weekday of the client's own area (-1: none).
    xy
        (2,) the client's planar coordinates.
    areas
        The rep's day areas.
    day_load
        (7,) workload of key-account visits already placed on each weekday, minutes.

    Returns
    -------
    tuple of int
        A pattern holding ``own_day`` when one can, whose other days' areas are closest to
        the client (a day already loaded with key accounts counts as a little farther).

    """
    centre = {int(d): areas.centroid[a] for a, d in enumerate(areas.weekday.tolist())}

    def cost(pattern: tuple[int, ...]) -> tuple[bool, float, tuple[int, ...]]:
        far = 0.0
        for day in pattern:
            if day == own_day:
                continue
            km = float(np.linalg.norm(centre[day] - xy)) if day in centre else 1e6
            far += km + PARTNER_KM_PER_MIN * float(day_load[day])
        return own_day not in pattern, round(far, 6), pattern

    return min(options, key=cost)
