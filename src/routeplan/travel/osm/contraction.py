"""Shrink a road graph before Dijkstra: contract chains of pass-through nodes.

OSM ways are split at every vertex, so most graph nodes are bends of a street with exactly one
way in and one way out (or two, on a two-way street). A shortest path that enters such a chain
has to follow it to its end, so each chain can be replaced by one edge between its end nodes
with the summed weight. Shortest-path weights between kept nodes are unchanged, and Dijkstra
runs on a graph several times smaller.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix


def pass_through_nodes(graph: csr_matrix) -> np.ndarray:
    """Nodes a path can only cross straight through.

    A node passes through when it has one in-neighbour and a different out-neighbour (a
    one-way street), or exactly two neighbours, each linked both ways (a two-way street).

    Parameters
    ----------
    graph
        Square sparse adjacency matrix (no self-loops, at most one edge per ordered pair).

    Returns
    -------
    numpy.ndarray
        Boolean mask over the nodes.

    """
    out_g, in_g = graph.tocsr(), graph.tocsc()
    out_deg, in_deg = np.diff(out_g.indptr), np.diff(in_g.indptr)
    n = graph.shape[0]

    def neighbours(indptr: np.ndarray, indices: np.ndarray, deg: np.ndarray) -> np.ndarray:
        pair = np.full((n, 2), -1, dtype=np.int64)
        has = deg >= 1
        pair[has, 0] = indices[indptr[:-1][has]]
        two = deg == 2
        pair[two, 1] = indices[indptr[:-1][two] + 1]
        return np.sort(pair, axis=1)

    out_nb = neighbours(out_g.indptr, out_g.indices, out_deg)
    in_nb = neighbours(in_g.indptr, in_g.indices, in_deg)
    one_way = (out_deg == 1) & (in_deg == 1) & (out_nb[:, 1] != in_nb[:, 1])
    two_way = (out_deg == 2) & (in_deg == 2) & (out_nb == in_nb).all(axis=1)
    return one_way | two_way


def contract_chains(graph: csr_matrix, keep: np.ndarray) -> tuple[csr_matrix, np.ndarray]:
    """Replace chains of pass-through nodes by single edges, keeping the given nodes.

    Parameters
    ----------
    graph
        Square sparse matrix of edge weights (positive; no self-loops, one edge per ordered
        pair). Weights are summed along chains, so integer-valued floats stay exact.
    keep
        Indices of nodes that must stay (e.g. the sources and targets of a query).

    Returns
    -------
    tuple
        The contracted matrix over the kept nodes (fastest edge per pair), and the original
        index of each of its nodes.

    """
    graph = graph.tocsr()
    n = graph.shape[0]
    passing = pass_through_nodes(graph)
    passing[np.asarray(keep, dtype=np.int64)] = False
    tail = np.repeat(np.arange(n), np.diff(graph.indptr))
    head = graph.indices.astype(np.int64)
    weight = graph.data.astype(float)
    # Successor of edge u → v when v passes through: v's out-edge that does not return to u.
    first = graph.indptr[head]
    second = np.minimum(first + 1, len(head) - 1)
    successor = np.where(head[first] != tail, first, second)
    successor = np.where(passing[head], successor, -1)
    # Pointer jumping: every edge learns the sum of its chain and the chain's last node.
    total, end, nxt = weight.copy(), head.copy(), successor
    active = ~passing[tail]  # chains starting at a kept node are the ones needed
    while (active & (nxt >= 0)).any():
        jump = nxt >= 0  # all edges jump together, so each round halves every chain
        target = nxt[jump]
        total[jump] = total[jump] + total[target]
        end[jump] = end[target]
        nxt = nxt.copy()
        nxt[jump] = nxt[target]
    kept = np.flatnonzero(~passing)
    index = np.full(n, -1, dtype=np.int64)
    index[kept] = np.arange(len(kept))
    use = active & (end != tail)
    src, dst, w = index[tail[use]], index[end[use]], total[use]
    order = np.lexsort((w, dst, src))
    src, dst, w = src[order], dst[order], w[order]
    first_of_pair = np.ones(len(src), dtype=bool)
    first_of_pair[1:] = (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])
    m = len(kept)
    contracted = csr_matrix(
        (w[first_of_pair], (src[first_of_pair], dst[first_of_pair])), shape=(m, m)
    )
    return contracted, kept
