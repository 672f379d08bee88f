"""Assign clients to zones (and so to reps) by location, with a spatial index."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd


def assign_zones(clients: pd.DataFrame, zones: gpd.GeoDataFrame) -> pd.DataFrame:
    """Give every client a zone and its rep.

    A ``zone`` override in the client file wins. Other clients take the zone whose polygon
    contains them (spatial index; on a shared border the first zone in file order). Clients in
    no zone take the nearest zone, measured in a local metric projection, and are marked.

    Parameters
    ----------
    clients
        Validated clients with ``client_id``, ``lat``, ``lon`` and an optional ``zone``.
    zones
        Zones with ``zone``, ``rep_id`` and polygons in EPSG:4326.

    Returns
    -------
    pandas.DataFrame
        A copy of ``clients`` with ``zone``, ``rep_id``, ``zone_source`` (``override``,
        ``inside`` or ``nearest``) and ``zone_distance_m`` (0 unless nearest).

    """
    out = clients.copy()
    points = gpd.GeoDataFrame(
        {"_pos": np.arange(len(out))},
        geometry=gpd.points_from_xy(out["lon"], out["lat"]),
        crs="EPSG:4326",
    )
    zone_cols = zones[["zone", "geometry"]].reset_index(drop=True)
    hits = gpd.sjoin(points, zone_cols, how="left", predicate="within")
    hits = hits.sort_values(["_pos", "index_right"]).drop_duplicates("_pos")
    inside = hits.set_index("_pos")["zone"].reindex(np.arange(len(out)))

    override = out.get("zone", pd.Series([None] * len(out), index=out.index))
    override = override.where(override.notna() & (override.astype(str) != ""), None)
    zone = np.where(override.notna(), override, inside.to_numpy())
    source = np.where(override.notna(), "override", np.where(inside.notna(), "inside", "nearest"))
    distance = np.zeros(len(out))

    outside = np.flatnonzero(pd.isna(zone))
    if len(outside):
        metric = points.estimate_utm_crs()
        near = gpd.sjoin_nearest(
            points.iloc[outside].to_crs(metric),
            zone_cols.to_crs(metric),
            how="left",
            distance_col="_dist",
        ).drop_duplicates("_pos")
        zone[outside] = near["zone"].to_numpy()
        distance[outside] = near["_dist"].to_numpy()

    out["zone"] = zone.astype(str)
    out["rep_id"] = out["zone"].map(dict(zip(zones["zone"], zones["rep_id"], strict=True)))
    out["zone_source"] = source
    out["zone_distance_m"] = np.round(distance, 1)
    return out
