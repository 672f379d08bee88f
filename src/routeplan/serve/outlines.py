"""Zone outlines for the managers' map: WGS 84 GeoJSON geometry, simplified to about 10 m."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd

SIMPLIFY_DEG = 0.0001
"""Tolerance of the outline simplification, in degrees (about 10 m)."""


def zone_outlines(zones: gpd.GeoDataFrame) -> dict[str, dict[str, Any]]:
    """GeoJSON geometry of every zone, by zone id (WGS 84, simplified)."""
    shapes = zones.to_crs(4326) if zones.crs is not None else zones
    simple = shapes.geometry.simplify(SIMPLIFY_DEG, preserve_topology=True)
    geometry = json.loads(simple.to_json())["features"]
    return {
        str(zone): feature["geometry"]
        for zone, feature in zip(shapes["zone"], geometry, strict=True)
    }
