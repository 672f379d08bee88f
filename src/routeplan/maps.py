"""Stand-in maps (replaced by the maps branch)."""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from routeplan.plan import WeekPlan

ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"


def rep_week_map(
    plan: WeekPlan,
    rep_id: str,
    *,
    reps: pd.DataFrame,
    zones: gpd.GeoDataFrame,
    legs: dict | None = None,
    offline_assets: Path | None = None,
) -> folium.Map:
    """A rep's week."""
    stops = plan.routes[plan.routes["rep_id"] == rep_id]
    m = folium.Map(
        location=[stops["lat"].mean(), stops["lon"].mean()], zoom_start=12, attr=ATTRIBUTION
    )
    for s in stops.itertuples():
        folium.Marker([s.lat, s.lon], popup=f"{s.name} {s.day} {s.arrive}").add_to(m)
    return m


def managers_map(
    plan: WeekPlan,
    *,
    clients: pd.DataFrame,
    reps: pd.DataFrame,
    zones: gpd.GeoDataFrame,
    settings: object,
    offline_assets: Path | None = None,
) -> folium.Map:
    """Managers' map."""
    m = folium.Map(
        location=[clients["lat"].mean(), clients["lon"].mean()], zoom_start=11, attr=ATTRIBUTION
    )
    folium.GeoJson(zones.to_json()).add_to(m)
    return m


def save_map(m: folium.Map, path: Path, *, offline: bool = False) -> Path:
    """Save."""
    m.save(str(path))
    return path
