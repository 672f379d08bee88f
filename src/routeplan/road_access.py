"""How a point snapped onto a road segment enters and leaves the graph.

Costs are packed: time in tenths of a second above bit 28 of a float64 and length in decimetres
below, both whole numbers, so sums are exact and the minimum is the fastest path, ties broken
by the shorter one. Exact while a path takes under 2**25 tenths of a second (38 days) and is
under 2**28 dm (26,800 km).

A point at fraction ``f`` of segment ``a–b`` leaves towards ``b`` for ``(1 - f)`` of the
``a → b`` edge when that edge exists, towards ``a`` for ``f`` of the ``b → a`` edge when that
one exists (one-way streets allow only one), and arrives the same way round. A point at an end
of its segment (``f`` of 0 or 1) is at that node.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from routeplan.roads import RoadGraph, Snapped

LENGTH_BITS = 2.0**28


def pack(seconds: np.ndarray, metres: np.ndarray) -> np.ndarray:
    """Pack seconds and metres into one exact, lexicographically ordered float64."""
    return np.rint(np.asarray(seconds) * 10.0) * LENGTH_BITS + np.rint(np.asarray(metres) * 10.0)


def unpack(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seconds and metres of packed costs."""
    time_ds = np.floor(packed / LENGTH_BITS)
    return time_ds / 10.0, (packed - time_ds * LENGTH_BITS) / 10.0


def packed_weights(graph: RoadGraph) -> csr_matrix:
    """Edge weights of the graph, packed (every edge at least 0.1 m, so never zero)."""
    travel, length = graph.travel_s.tocsr(), graph.length_m.tocsr()
    if not (
        np.array_equal(travel.indptr, length.indptr)
        and np.array_equal(travel.indices, length.indices)
    ):
        msg = "travel_s and length_m must share one sparsity structure."
        raise ValueError(msg)
    data = pack(travel.data, np.maximum(length.data, 0.1))
    return csr_matrix((data, travel.indices, travel.indptr), shape=travel.shape)


@dataclass(frozen=True)
class Access:
    """Up to two ways out of and into the graph per point (unused slots cost ``inf``).

    ``leave_node[i, k]`` is reached from point ``i`` at packed cost ``leave_cost[i, k]``;
    point ``i`` is reached from ``enter_node[i, k]`` at ``enter_cost[i, k]``.
    """

    leave_node: np.ndarray
    leave_cost: np.ndarray
    enter_node: np.ndarray
    enter_cost: np.ndarray
    segment: np.ndarray
    fraction: np.ndarray
    forward: np.ndarray  # packed cost of the whole a → b edge, inf if none
    backward: np.ndarray  # packed cost of the whole b → a edge, inf if none


def _edge_values(matrix: csr_matrix, tail: np.ndarray, head: np.ndarray) -> np.ndarray:
    values = np.asarray(matrix[tail, head]).ravel().astype(float)
    return np.where(values > 0, values, np.nan)


def access(graph: RoadGraph, snapped: Snapped) -> Access:
    """Ways each snapped point leaves and enters the graph, with their packed costs.

    Parameters
    ----------
    graph
        The road graph.
    snapped
        Result of :meth:`RoadGraph.snap`.

    Returns
    -------
    Access
        Nodes and packed costs, two slots per point.

    """
    a, b = graph.segments[snapped.segment, 0], graph.segments[snapped.segment, 1]
    f = snapped.fraction
    fwd_s, fwd_m = _edge_values(graph.travel_s, a, b), _edge_values(graph.length_m, a, b)
    bwd_s, bwd_m = _edge_values(graph.travel_s, b, a), _edge_values(graph.length_m, b, a)
    has_fwd, has_bwd = ~np.isnan(fwd_s), ~np.isnan(bwd_s)
    inf = np.inf
    leave_cost = np.column_stack(
        [
            np.where(
                has_fwd, pack(np.nan_to_num((1 - f) * fwd_s), np.nan_to_num((1 - f) * fwd_m)), inf
            ),
            np.where(has_bwd, pack(np.nan_to_num(f * bwd_s), np.nan_to_num(f * bwd_m)), inf),
        ]
    )
    enter_cost = np.column_stack(
        [
            np.where(has_fwd, pack(np.nan_to_num(f * fwd_s), np.nan_to_num(f * fwd_m)), inf),
            np.where(
                has_bwd, pack(np.nan_to_num((1 - f) * bwd_s), np.nan_to_num((1 - f) * bwd_m)), inf
            ),
        ]
    )
    leave_node = np.column_stack([b, a])
    enter_node = np.column_stack([a, b])
    # At an end of the segment the point is at that node, whatever the direction.
    for at_end, node in ((f <= 0.0, a), (f >= 1.0, b)):
        leave_node[at_end] = node[at_end, None]
        enter_node[at_end] = node[at_end, None]
        leave_cost[at_end] = [0.0, inf]
        enter_cost[at_end] = [0.0, inf]
    whole_fwd = np.where(has_fwd, pack(np.nan_to_num(fwd_s), np.nan_to_num(fwd_m)), inf)
    whole_bwd = np.where(has_bwd, pack(np.nan_to_num(bwd_s), np.nan_to_num(bwd_m)), inf)
    return Access(
        leave_node=leave_node,
        leave_cost=leave_cost,
        enter_node=enter_node,
        enter_cost=enter_cost,
        segment=snapped.segment,
        fraction=f,
        forward=whole_fwd,
        backward=whole_bwd,
    )


def along_segment(acc: Access, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Packed cost of driving from point ``i`` to point ``j`` along their shared segment.

    Parameters
    ----------
    acc
        Access of all points.
    i, j
        Point index pairs.

    Returns
    -------
    numpy.ndarray
        Packed cost per pair; ``inf`` where the points lie on different segments or the
        direction from ``i`` to ``j`` is not allowed.

    """
    same = acc.segment[i] == acc.segment[j]
    step = acc.fraction[j] - acc.fraction[i]
    fwd_s, fwd_m = unpack(np.nan_to_num(acc.forward[i], posinf=0.0))
    bwd_s, bwd_m = unpack(np.nan_to_num(acc.backward[i], posinf=0.0))
    ahead = np.where(
        np.isfinite(acc.forward[i]) & (step >= 0), pack(step * fwd_s, step * fwd_m), np.inf
    )
    behind = np.where(
        np.isfinite(acc.backward[i]) & (step <= 0), pack(-step * bwd_s, -step * bwd_m), np.inf
    )
    return np.where(same, np.minimum(ahead, behind), np.inf)
