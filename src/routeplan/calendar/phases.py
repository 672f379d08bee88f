"""Week phases of low-frequency clients: compact groups by place, then balanced workload.

A client seen every N weeks gets a *phase* p in 1..N and is due in weeks p, p+N, p+2N, ...
For one rep, the clients of each every-N tier are cut into N compact groups of equal workload
(recursive bisection along the principal axis), the groups are given phases so that each
week's groups of different tiers lie close together (Hungarian assignment on centroids), and
finally single clients are moved by at most their tier's slack to bring every week's workload
within the tolerance band of its target.

Pure numpy: arrays in, arrays out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class RepPhaseProblem:
    """The every-N clients of one rep and the fixed weekly load around them.

    Attributes
    ----------
    xy_km
        (n, 2) planar coordinates in km.
    load_min
        (n,) workload of one visit (service + estimated travel), minutes.
    every_weeks, slack_weeks
        (n,) cadence of each client.
    feasible
        (n, W) True where the client has an allowed day in that week.
    allowed
        (n, max N) True where a phase (column p-1) is allowed at all (locks, replan windows).
    fixed_load
        (W,) load of the weekly tiers in each week, minutes.
    capacity
        (W,) workdays available in each week.

    """

    xy_km: np.ndarray
    load_min: np.ndarray
    every_weeks: np.ndarray
    slack_weeks: np.ndarray
    feasible: np.ndarray
    allowed: np.ndarray
    fixed_load: np.ndarray
    capacity: np.ndarray


def visit_weeks(phase: int, every_weeks: int, weeks: int) -> list[int]:
    """Weeks (1-based) a client of ``phase`` is due in a cycle of ``weeks``.

    Parameters
    ----------
    phase
        1..every_weeks.
    every_weeks
        The cadence N.
    weeks
        Weeks in the cycle.

    Returns
    -------
    list of int
        ``phase, phase + N, ...`` up to ``weeks``.

    """
    return list(range(phase, weeks + 1, every_weeks))


def _indicator(phases: np.ndarray, every: np.ndarray, weeks: int) -> np.ndarray:
    """(n, W) 0/1 matrix of due weeks for phases ``phases`` (1-based) of cadence ``every``."""
    week = np.arange(1, weeks + 1)[None, :]
    return ((week >= phases[:, None]) & ((week - phases[:, None]) % every[:, None] == 0)).astype(
        float
    )


def balanced_bisection(xy: np.ndarray, weight: np.ndarray, parts: int) -> np.ndarray:
    """Cut points into ``parts`` compact groups of about equal total weight.

    Recursive bisection along the principal axis, cut in proportion to the number of parts on
    each side, so ``parts`` need not be a power of two.

    Parameters
    ----------
    xy
        (n, 2) planar coordinates.
    weight
        (n,) non-negative weights.
    parts
        Number of groups.

    Returns
    -------
    numpy.ndarray
        (n,) group label in 0..parts-1; groups are numbered in cut order.

    """
    labels = np.zeros(len(xy), dtype=int)
    stack: list[tuple[np.ndarray, int, int]] = [(np.arange(len(xy)), parts, 0)]
    while stack:
        idx, n_parts, first = stack.pop()
        if n_parts == 1 or len(idx) == 0:
            labels[idx] = first
            continue
        left = n_parts // 2
        pts = xy[idx] - xy[idx].mean(axis=0)
        if len(idx) > 1 and np.ptp(pts, axis=0).max() > 0:
            _, _, vt = np.linalg.svd(pts, full_matrices=False)
            axis = vt[0] if vt[0][np.argmax(np.abs(vt[0]))] > 0 else -vt[0]
        else:
            axis = np.array([1.0, 0.0])
        order = idx[np.lexsort((idx, pts @ axis))]
        cum = np.cumsum(weight[order])
        target = cum[-1] * left / n_parts if cum[-1] > 0 else 0.0
        cut = int(np.argmin(np.abs(cum - target))) + 1
        if cum[-1] <= 0:
            cut = len(order) * left // n_parts
        stack.append((order[cut:], n_parts - left, first + left))
        stack.append((order[:cut], left, first))
    return labels


def _group_phases(
    xy: np.ndarray,
    labels: np.ndarray,
    parts: int,
    week_sum: np.ndarray,
    week_count: np.ndarray,
    weeks: int,
    home: np.ndarray,
) -> np.ndarray:
    """Phase (1-based) of each group: near the week centroids already placed, else by sweep."""
    centroids = np.array(
        [xy[labels == g].mean(axis=0) if np.any(labels == g) else home for g in range(parts)]
    )
    if week_count.sum() == 0:
        angle = np.arctan2(centroids[:, 1] - home[1], centroids[:, 0] - home[0])
        order = np.lexsort((np.arange(parts), angle))
        phase_of_group = np.empty(parts, dtype=int)
        phase_of_group[order] = np.arange(1, parts + 1)
        return phase_of_group
    with np.errstate(invalid="ignore", divide="ignore"):
        week_centroid = week_sum / week_count[:, None]
    cost = np.zeros((parts, parts))
    for p in range(1, parts + 1):
        ws = [w - 1 for w in visit_weeks(p, parts, weeks) if week_count[w - 1] > 0]
        if ws:
            d = np.linalg.norm(centroids[:, None, :] - week_centroid[None, ws, :], axis=2)
            cost[:, p - 1] = d.mean(axis=1)
    rows, cols = linear_sum_assignment(cost)
    phase_of_group = np.empty(parts, dtype=int)
    phase_of_group[rows] = cols + 1
    return phase_of_group


def sweep_sectors(xy: np.ndarray, weight: np.ndarray, home: np.ndarray, parts: int) -> np.ndarray:
    """Cut points into ``parts`` angular sectors around ``home`` of about equal weight.

    The sweep starts at the widest empty angle, so no cluster is cut at the start.

    Parameters
    ----------
    xy
        (n, 2) planar coordinates.
    weight
        (n,) non-negative weights.
    home
        (2,) centre of the sweep.
    parts
        Number of sectors.

    Returns
    -------
    numpy.ndarray
        (n,) sector label in 0..parts-1, in sweep order.

    """
    n = len(xy)
    labels = np.zeros(n, dtype=int)
    if parts <= 1 or n < 2 * parts:
        return labels
    angle = np.arctan2(xy[:, 1] - home[1], xy[:, 0] - home[0])
    order = np.lexsort((np.arange(n), angle))
    sorted_angle = angle[order]
    gaps = np.diff(np.concatenate([sorted_angle, sorted_angle[:1] + 2 * np.pi]))
    order = np.roll(order, -(int(np.argmax(gaps)) + 1))
    w = np.maximum(weight[order], 0.0)
    total = w.sum()
    if total <= 0:
        w, total = np.ones(n), float(n)
    middle = np.cumsum(w) - w / 2
    labels[order] = np.minimum((middle / total * parts).astype(int), parts - 1)
    return labels


def geographic_phases(
    problem: RepPhaseProblem, *, home: np.ndarray, sector: np.ndarray | None = None
) -> np.ndarray:
    """Phases from place alone: compact equal-load groups per tier, tiers nested by week.

    Within each sector (e.g. one per workday, see :func:`sweep_sectors`) the clients of each
    every-N tier are cut into N compact groups of equal load, so every week holds one compact
    group per sector: a day's route can take its sector's weekly clients and that week's
    group together.

    Parameters
    ----------
    problem
        The rep's every-N clients.
    home
        (2,) planar coordinates of the sweep centre (the rep's home).
    sector
        (n,) sector of each client; None for one sector.

    Returns
    -------
    numpy.ndarray
        (n,) phase in 1..every_weeks of each client, within its allowed and feasible phases
        where possible.

    """
    n = len(problem.load_min)
    weeks = problem.feasible.shape[1]
    phases = np.zeros(n, dtype=int)
    pinned = problem.allowed.sum(axis=1) == 1
    phases[pinned] = np.argmax(problem.allowed[pinned], axis=1) + 1
    ok = phase_ok(problem)
    sector = np.zeros(n, dtype=int) if sector is None else sector
    for part in np.unique(sector):
        inside = sector == part
        week_sum = np.zeros((weeks, 2))
        week_count = np.zeros(weeks)
        for every in np.unique(problem.every_weeks[inside]):
            members = np.flatnonzero((problem.every_weeks == every) & ~pinned & inside)
            pinned_here = np.flatnonzero((problem.every_weeks == every) & pinned & inside)
            if len(members):
                labels = balanced_bisection(
                    problem.xy_km[members], problem.load_min[members], int(every)
                )
                group_phase = _group_phases(
                    problem.xy_km[members], labels, int(every), week_sum, week_count, weeks, home
                )
                phases[members] = group_phase[labels]
            placed = np.concatenate([members, pinned_here]).astype(int)
            for i in placed:
                phases[i] = _nearest_ok_phase(problem, ok, int(i), int(phases[i]))
            ind = _indicator(phases[placed], problem.every_weeks[placed], weeks)
            week_sum += ind.T @ problem.xy_km[placed]
            week_count += ind.sum(axis=0)
    return phases


def phase_ok(problem: RepPhaseProblem) -> np.ndarray:
    """(n, max N) True where a phase is allowed and every week it brings has an allowed day."""
    n, width = problem.allowed.shape
    weeks = problem.feasible.shape[1]
    ok = np.zeros((n, width), dtype=bool)
    for p in range(1, width + 1):
        ind = _indicator(np.full(n, p), problem.every_weeks, weeks) > 0
        feasible = ~(ind & ~problem.feasible).any(axis=1)
        ok[:, p - 1] = problem.allowed[:, p - 1] & feasible & (p <= problem.every_weeks)
    return ok


def _nearest_ok_phase(problem: RepPhaseProblem, ok: np.ndarray, i: int, phase: int) -> int:
    """``phase`` if allowed and feasible, else the closest (cyclic) phase that is."""
    if ok[i, phase - 1]:
        return phase
    every = int(problem.every_weeks[i])
    for shift in sorted(range(-every // 2, every // 2 + 1), key=lambda s: (abs(s), s)):
        p = (phase - 1 + shift) % every + 1
        if ok[i, p - 1]:
            return p
    return phase


def _candidates(
    problem: RepPhaseProblem, ok: np.ndarray, base: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """All (client, phase) pairs within slack of ``base`` (itself included), allowed, feasible.

    A client whose allowed phases are an explicit window (replan) may take any of them.
    """
    every = problem.every_weeks
    idx = np.arange(len(base))
    allowed_count = problem.allowed.sum(axis=1)
    movable = allowed_count > 1
    explicit = movable & (allowed_count < every)
    clients: list[np.ndarray] = []
    phases: list[np.ndarray] = []
    max_slack = int(problem.slack_weeks.max()) if len(base) else 0
    for shift in range(-max_slack, max_slack + 1):
        sel = movable & ~explicit & (np.abs(shift) <= problem.slack_weeks)
        p = (base[sel] - 1 + shift) % every[sel] + 1
        good = ok[idx[sel], p - 1]
        clients.append(idx[sel][good])
        phases.append(p[good])
    ex_client, ex_phase = np.nonzero(ok & explicit[:, None])
    clients.append(ex_client)
    phases.append(ex_phase + 1)
    c = np.concatenate(clients).astype(int)
    p = np.concatenate(phases).astype(int)
    key = np.unique(c * (ok.shape[1] + 1) + p)
    return key // (ok.shape[1] + 1), key % (ok.shape[1] + 1)


def weekly_targets(total_load: float, capacity: np.ndarray, *, tolerance: float) -> np.ndarray:
    """Each week's share of ``total_load``: lighter in holiday weeks, within half the band.

    A week's target follows its workdays, but never strays more than ``tolerance / 2`` from
    the cycle mean, so a holiday week is lighter yet still inside the ±tolerance band.

    Parameters
    ----------
    total_load
        The rep's workload over the cycle.
    capacity
        (W,) workdays available each week (0 = no work that week, target 0).
    tolerance
        The balance band (0.10 for ±10%).

    Returns
    -------
    numpy.ndarray
        (W,) target workload per week, summing to ``total_load``.

    """
    cap = capacity.astype(float)
    active = cap > 0
    if not active.any():
        return np.full(len(cap), total_load / max(len(cap), 1))
    ratio = np.clip(cap / cap[active].mean(), 1 - tolerance / 2, 1 + tolerance / 2)
    ratio = np.where(active, ratio, 0.0)
    return total_load * ratio / ratio.sum()


def balance_phases(
    problem: RepPhaseProblem,
    phases: np.ndarray,
    *,
    tolerance: float,
    geo_weight: float,
    max_moves: int,
    sector: np.ndarray | None = None,
) -> np.ndarray:
    """Move clients within their slack until each week is within ``tolerance`` of its target.

    Greedy: at each step take the move that most reduces the squared relative deviation of
    the weekly workloads, discounted by how far the client would be from the other clients of
    its new weeks (``geo_weight``). Stops inside the band with a small margin, when no move
    improves, or after ``max_moves``. Targets come from :func:`weekly_targets`; stopping at
    half the band around them keeps every week within the band around the cycle mean.

    Parameters
    ----------
    problem
        The rep's every-N clients and fixed weekly load.
    phases
        (n,) starting phases (e.g. from :func:`geographic_phases`).
    tolerance
        Allowed relative deviation from the weekly target (0.10 for ±10%).
    geo_weight
        Weight of the geographic term; 0 balances on workload alone.
    max_moves
        Upper bound on the number of moves.
    sector
        (n,) sector of each client: the geographic term measures the distance to the other
        clients of the same sector and week. None for one sector.

    Returns
    -------
    numpy.ndarray
        (n,) balanced phases; ``phases`` is not modified.

    """
    weeks = problem.feasible.shape[1]
    phases = phases.copy()
    if len(phases) == 0:
        return phases
    every = problem.every_weeks
    load = problem.load_min
    cand_client, cand_phase = _candidates(problem, phase_ok(problem), phases)
    if len(cand_client) == 0:
        return phases
    cands = _Moves(cand_client, cand_phase, _indicator(cand_phase, every[cand_client], weeks))
    xy = problem.xy_km
    sector = np.zeros(len(phases), dtype=int) if sector is None else sector
    geo = _Geography(
        xy=xy,
        sector=sector,
        n_sectors=int(sector.max()) + 1,
        scale=float(np.linalg.norm(xy - xy.mean(axis=0), axis=1).mean()) or 1.0,
        weight=geo_weight,
    )
    active = problem.capacity > 0
    for _ in range(max_moves):
        ind = _indicator(phases, every, weeks)
        week_load = problem.fixed_load + ind.T @ load
        target = weekly_targets(float(week_load.sum()), problem.capacity, tolerance=tolerance)
        mean_target = float(target[active].mean()) if active.any() else 1.0
        rel = np.where(active, (week_load - target) / np.where(active, target, 1.0), 0.0)
        if np.abs(rel).max() <= tolerance * 0.5:
            break
        dev = (week_load - target) / mean_target
        score = _move_scores(cands, geo, load, ind, dev, mean_target)
        best = int(np.argmin(score))
        if not np.isfinite(score[best]):
            break
        i, p = int(cands.client[best]), int(cands.phase[best])
        phases[i] = p
    return phases


@dataclass(frozen=True)
class _Moves:
    """The candidate moves: client, new phase and the new phase's week indicator."""

    client: np.ndarray
    phase: np.ndarray
    ind: np.ndarray


@dataclass(frozen=True)
class _Geography:
    """Client positions, sectors, the mean spread (km) and the weight of the geographic term."""

    xy: np.ndarray
    sector: np.ndarray
    n_sectors: int
    scale: float
    weight: float


def _sector_centroids(geo: _Geography, ind: np.ndarray) -> np.ndarray:
    """(sectors, weeks, 2) centroid of each sector's clients in each week (sector mean if none)."""
    xy, sector = geo.xy, geo.sector
    centroid = np.empty((geo.n_sectors, ind.shape[1], 2))
    for part in range(geo.n_sectors):
        inside = sector == part
        count = ind[inside].sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            c = (ind[inside].T @ xy[inside]) / count[:, None]
        fallback = xy[inside].mean(axis=0) if inside.any() else xy.mean(axis=0)
        centroid[part] = np.where(count[:, None] > 0, c, fallback)
    return centroid


def _move_scores(
    cands: _Moves,
    geo: _Geography,
    load: np.ndarray,
    ind: np.ndarray,
    dev: np.ndarray,
    mean_target: float,
) -> np.ndarray:
    """Score of every candidate move (lower is better, inf when it does not balance)."""
    centroid = _sector_centroids(geo, ind)
    cur_ind = ind[cands.client]
    delta = load[cands.client, None] * (cands.ind - cur_ind)
    new_dev = dev[None, :] + delta / mean_target
    gain = (new_dev**2).sum(axis=1) - (dev**2).sum()
    dist = np.linalg.norm(
        geo.xy[cands.client, None, :] - centroid[geo.sector[cands.client]], axis=2
    )
    dist /= geo.scale
    geo_new = (dist * cands.ind).sum(axis=1) / np.maximum(cands.ind.sum(axis=1), 1)
    geo_cur = (dist * cur_ind).sum(axis=1) / np.maximum(cur_ind.sum(axis=1), 1)
    score = gain + geo.weight * 0.002 * (geo_new - geo_cur) * (dev**2).sum() ** 0.5
    return np.where(gain < -1e-12, score, np.inf)
