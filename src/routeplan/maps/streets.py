"""A light vector base layer of streets, for maps opened without signal (or tiles).

The lines come from the OSM extract the travel model uses; :func:`add_streets` draws them on
Leaflet's canvas renderer, under everything else. Offline maps show them at once; online maps
show them only when tiles fail to load.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import numpy as np
from branca.element import MacroElement
from folium.template import Template

StreetLines = Sequence[Sequence[tuple[float, float]]]

STREET_COLOUR = "#b8b8b8"
"""Colour of the vector streets (light: routes and markers stay on top)."""


class StreetLayer(MacroElement):
    """Street lines on the canvas, shown at once (offline) or after the first tile error."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(){
            var map = {{ this._parent.get_name() }};
            var pane = map.createPane('rp-streets');
            pane.style.zIndex = 250;
            var lines = L.polyline({{ this.lines|tojson }}, {
                color: {{ this.colour|tojson }}, weight: 1.5, opacity: 0.9,
                interactive: false, pane: 'rp-streets', renderer: L.canvas({pane: 'rp-streets'})
            });
            var shown = false;
            var showStreets = function() {
                if (shown) { return; }
                shown = true;
                lines.addTo(map);
                map.getContainer().classList.add('rp-streets-on');
            };
            if (window.RP_OFFLINE || navigator.onLine === false) { showStreets(); }
            map.eachLayer(function(layer) {
                if (layer instanceof L.TileLayer) { layer.on('tileerror', showStreets); }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lines: StreetLines, *, colour: str = STREET_COLOUR) -> None:
        super().__init__()
        self._name = "StreetLayer"
        self.lines = [[[round(a, 5), round(b, 5)] for a, b in line] for line in lines]
        self.colour = colour


def add_streets(m: folium.Map, lines: StreetLines) -> StreetLayer:
    """Add the street lines to ``m`` (see :class:`StreetLayer`) and return the layer.

    Saved with ``save_map(..., offline=True)`` the page sets ``window.RP_OFFLINE`` and the
    streets show at once; otherwise they show when the browser is offline or a tile fails.
    """
    layer = StreetLayer(lines)
    layer.add_to(m)
    return layer


MAX_STREET_SEGMENTS = 20_000
"""Most street segments drawn on one map (the longest are kept): about 0.6 MB of page."""


def street_lines(
    graph: object,
    bounds: Sequence[Sequence[float]],
    *,
    pad: float = 0.1,
    limit: int = MAX_STREET_SEGMENTS,
) -> list[list[tuple[float, float]]]:
    """Street segments of a road graph inside ``bounds`` (padded by ``pad`` of its size).

    Parameters
    ----------
    graph
        A :class:`routeplan.travel.osm.graph.RoadGraph` (``lat``, ``lon``, ``segments``).
    bounds
        ``[[south, west], [north, east]]`` of what the map shows.
    pad
        Extra margin on every side, as a share of the box's height and width.
    limit
        Most segments returned; the longest are kept when there are more.

    Returns
    -------
    list of list of (lat, lon)
        Two-point lines, one per segment with an end inside the padded box.

    """
    lat = np.asarray(graph.lat)  # type: ignore[attr-defined]
    lon = np.asarray(graph.lon)  # type: ignore[attr-defined]
    segments = np.asarray(graph.segments)  # type: ignore[attr-defined]
    if len(bounds) != 2 or segments.size == 0:
        return []
    (south, west), (north, east) = bounds
    dy, dx = (north - south) * pad + 1e-3, (east - west) * pad + 1e-3
    inside = (lat >= south - dy) & (lat <= north + dy) & (lon >= west - dx) & (lon <= east + dx)
    keep = segments[inside[segments[:, 0]] | inside[segments[:, 1]]]
    if len(keep) > limit:
        a, b = keep[:, 0], keep[:, 1]
        length = np.hypot(lat[a] - lat[b], (lon[a] - lon[b]) * np.cos(np.radians(lat[a])))
        keep = keep[np.argsort(-length)[:limit]]
    return [
        [(float(lat[i]), float(lon[i])), (float(lat[j]), float(lon[j]))] for i, j in keep.tolist()
    ]
