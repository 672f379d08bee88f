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

from routeplan.travel.osm.graph import RoadGraph, Snapped

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
    part_forward: np.ndarray  # packed cost of the first `fraction` of edge a → b (inf: none)
    part_backward: np.ndarray  # packed cost of the last `fraction` of edge b → a (inf: none)


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
    whole_fwd, part_fwd = _directed(graph, a, b, f)
    whole_bwd, part_bwd = _directed(graph, b, a, f)
    inf = np.inf
    # Parts are rounded once and the rest is whole minus part, so a → point → b costs exactly
    # the a → b edge and a path never gains by passing through a point.
    with np.errstate(invalid="ignore"):  # inf - inf where a direction does not exist
        rest_fwd = np.where(np.isfinite(whole_fwd), whole_fwd - part_fwd, inf)
        rest_bwd = np.where(np.isfinite(whole_bwd), whole_bwd - part_bwd, inf)
    leave_cost = np.column_stack([rest_fwd, part_bwd])
    enter_cost = np.column_stack([part_fwd, rest_bwd])
    leave_node = np.column_stack([b, a])
    enter_node = np.column_stack([a, b])
    # At an end of the segment the point is at that node, whatever the direction.
    for at_end, node in ((f <= 0.0, a), (f >= 1.0, b)):
        leave_node[at_end] = node[at_end, None]
        enter_node[at_end] = node[at_end, None]
        leave_cost[at_end] = [0.0, inf]
        enter_cost[at_end] = [0.0, inf]
    return Access(
        leave_node=leave_node,
        leave_cost=leave_cost,
        enter_node=enter_node,
        enter_cost=enter_cost,
        segment=snapped.segment,
        fraction=f,
        part_forward=part_fwd,
        part_backward=part_bwd,
    )


def _directed(
    graph: RoadGraph, tail: np.ndarray, head: np.ndarray, fraction: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Packed cost of the edge tail → head and of its first ``fraction``; inf where no edge."""
    seconds = np.asarray(graph.travel_s[tail, head]).ravel().astype(float)
    metres = np.maximum(np.asarray(graph.length_m[tail, head]).ravel().astype(float), 0.1)
    exists = seconds > 0
    whole = np.where(exists, pack(seconds, metres), np.inf)
    part = np.where(exists, pack(fraction * seconds, fraction * metres), np.inf)
    return whole, part


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
    with np.errstate(invalid="ignore"):  # inf - inf where a direction does not exist
        ahead = np.where(step >= 0, acc.part_forward[j] - acc.part_forward[i], np.inf)
        behind = np.where(step <= 0, acc.part_backward[i] - acc.part_backward[j], np.inf)
    best = np.fmin(np.nan_to_num(ahead, nan=np.inf), np.nan_to_num(behind, nan=np.inf))
    return np.where(same, best, np.inf)
