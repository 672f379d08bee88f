"""Street lines for the offline base layer: cut to the map's box, capped, drawn on canvas."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from helpers.map_world import build_world

from routeplan.maps.rep_map import rep_week_map, save_map
from routeplan.maps.streets import StreetLayer, street_lines


@dataclass
class FakeGraph:
    """What street_lines reads of a RoadGraph: node coordinates and undirected segments."""

    lat: np.ndarray
    lon: np.ndarray
    segments: np.ndarray


def grid(n: int = 11, south: float = 60.10, west: float = 24.70, step: float = 0.02) -> FakeGraph:
    """An n × n street grid: horizontal and vertical segments between neighbours."""
    lat, lon = np.meshgrid(south + step * np.arange(n), west + step * np.arange(n), indexing="ij")
    index = np.arange(n * n).reshape(n, n)
    pairs = [(index[i, j], index[i, j + 1]) for i in range(n) for j in range(n - 1)]
    pairs += [(index[i, j], index[i + 1, j]) for i in range(n - 1) for j in range(n)]
    return FakeGraph(lat.ravel(), lon.ravel(), np.array(pairs, dtype=np.int64))


def test_street_lines_keep_segments_touching_the_padded_box():
    graph = grid()
    box = [[60.15, 24.75], [60.20, 24.80]]
    lines = street_lines(graph, box, pad=0.0)
    assert lines
    for line in lines:
        assert len(line) == 2
        assert any(
            60.15 - 1e-3 <= lat <= 60.20 + 1e-3 and 24.75 - 1e-3 <= lon <= 24.80 + 1e-3
            for lat, lon in line
        ), line
    everything = street_lines(graph, [[60.0, 24.6], [60.4, 25.0]])
    assert len(everything) == len(graph.segments)
    assert street_lines(graph, [[61.0, 26.0], [61.1, 26.1]]) == []


def test_street_lines_keep_the_longest_when_capped():
    graph = grid()
    graph.lat[0] = 60.0  # the first node's two segments become the longest
    lines = street_lines(graph, [[59.9, 24.6], [60.4, 25.0]], limit=2)
    assert len(lines) == 2
    assert all((60.0, graph.lon[0]) in line for line in lines)


def test_rep_map_carries_the_streets_and_offline_pages_show_them_at_once(tmp_path):
    w = build_world()
    lines = street_lines(grid(), [[60.15, 24.82], [60.24, 24.95]])
    m = rep_week_map(w.plan, "R1", reps=w.reps, zones=w.zones, streets=lines)
    (layer,) = [c for c in m._children.values() if isinstance(c, StreetLayer)]
    assert len(layer.lines) == len(lines)
    online = save_map(m, tmp_path / "online.html").read_text()
    assert "window.RP_OFFLINE = true" not in online and "tileerror" in online
