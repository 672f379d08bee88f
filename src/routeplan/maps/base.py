"""Building blocks shared by the map modules: base map, HTML escaping, legends, lines."""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from routeplan.config import WEEKDAYS
from routeplan.i18n import _, current_language, format_day, format_number, weekday_name
from routeplan.maps.assets import LEAFLET_CSS, LEAFLET_JS
from routeplan.maps.controls import FitView, HtmlControl, LeafletTexts, MapCss
from routeplan.maps.style import (
    OSM_ATTRIBUTION,
    OSM_TILES,
    TIER_STYLES,
    marker_html,
    tier_label,
)
from routeplan.timefmt import local_time


def duration_text(minutes: float) -> str:
    """Format minutes as ``"1 h 35 min"`` (``"35 min"`` under an hour) in the active language."""
    total = round(float(minutes))
    hours, rest = divmod(total, 60)
    if hours:
        return _("{hours} h {minutes} min", hours=hours, minutes=f"{rest:02d}")
    return _("{minutes} min", minutes=rest)


def km_text(km: float) -> str:
    """A distance in km with one decimal in the active locale, without the unit."""
    return format_number(float(km), 1)


def page_language() -> str:
    """The active language as an HTML ``lang`` attribute (``es-CO``, ``pt-BR``)."""
    return current_language().replace("_", "-")


def day_heading(date: object, day: object) -> str:
    """A day as people read it: ``"lunes 22 de marzo"``; the plan's text if not an ISO date."""
    try:
        return format_day(dt.date.fromisoformat(str(date)))
    except ValueError:
        return f"{day} {date}"


def day_name(day: object) -> str:
    """A ``Mon``..``Sun`` code as the locale's abbreviated weekday (other text unchanged)."""
    return weekday_name(WEEKDAYS.index(str(day)), "abbreviated") if day in WEEKDAYS else str(day)


def clock(value: object) -> str:
    """An ``HH:MM`` time of the plan in the active locale (other text as is), not escaped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        return local_time(str(value))
    except ValueError:
        return str(value)


def clock_text(value: object) -> str:
    """:func:`clock`, escaped for HTML."""
    return esc(clock(value))


def esc(value: object) -> str:
    """Escape a value for HTML; None and NaN become empty text.

    Backticks and dollar signs become entities too: folium puts tooltip HTML into JavaScript
    template literals, where they would end the string or start an interpolation.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value)).replace("`", "&#96;").replace("$", "&#36;")


def base_map(
    points: Iterable[tuple[float, float]],
    *,
    offline_assets: Path | None = None,
    fit: bool = True,
) -> folium.Map:
    """Make an OSM map loading only Leaflet, with the shared CSS, fitted to ``points``.

    With ``fit=False`` the caller fits later with :func:`fit_view` (e.g. beside its panel).
    """
    pts = [(float(a), float(b)) for a, b in points if not (math.isnan(a) or math.isnan(b))]
    if not pts:
        pts = [(60.17, 24.94)]
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    center = ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)
    m = folium.Map(location=center, zoom_start=12, tiles=None, control_scale=True)
    # Only Leaflet: the maps use no Bootstrap, jQuery, Font Awesome or awesome-markers, which
    # folium loads by default; fewer requests on a phone and fewer assets to inline offline.
    m.default_js = [LEAFLET_JS]
    m.default_css = [LEAFLET_CSS]
    folium.TileLayer(
        OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19, control=False
    ).add_to(m)
    MapCss().add_to(m)
    LeafletTexts(
        {
            "zoom_in": _("Zoom in"),
            "zoom_out": _("Zoom out"),
            "layers": _("Layers"),
            "close": _("Close popup"),
        }
    ).add_to(m)
    if fit:
        fit_view(m, pts)
    m.routeplan_node_modules = offline_assets  # type: ignore[attr-defined]
    return m


def polygon_points(geoms: gpd.GeoSeries) -> list[tuple[float, float]]:
    """Return the south-west and north-east corners ``(lat, lon)`` of the geometries."""
    if geoms.empty:
        return []
    minx, miny, maxx, maxy = geoms.total_bounds
    return [(miny, minx), (maxy, maxx)]


def in_wgs84(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 unless already there (no CRS is taken as WGS84)."""
    if zones.crs is not None and zones.crs.to_epsg() != 4326:
        return zones.to_crs(4326)
    return zones


def legend_control(rows: list[str], *, title: str | None = None) -> HtmlControl:
    """Build a foldable legend (bottom right) from HTML rows; title "Legend" translated."""
    body = "".join(f'<div class="rp-legend-row">{row}</div>' for row in rows)
    heading = esc(_("Legend") if title is None else title)
    return HtmlControl(
        f"<details><summary>{heading}</summary>{body}</details>",
        position="bottomright",
        css_class="rp-legend",
    )


def tier_legend_rows(tiers: Iterable[str], order: Sequence[str] = ()) -> list[str]:
    """Legend rows with the marker of each tier and its label (configured tiers by rank)."""
    rows = []
    for tier in tiers:
        marker = marker_html(tier, text="", ring="#fff", order=order)
        rows.append(f"{marker}<span>{esc(tier_label(tier))}</span>")
    return rows


def ordered_tiers(present: Iterable[str], order: Sequence[str] = ()) -> list[str]:
    """Sort tier names: configured order, then known tiers, then the rest alphabetically."""
    present_set = {str(t) for t in present}
    known = [t for t in (*order, *TIER_STYLES) if t in present_set]
    seen: list[str] = []
    for tier in [*known, *sorted(present_set)]:
        if tier not in seen:
            seen.append(tier)
    return seen


def rep_row(reps: pd.DataFrame, rep_id: str) -> pd.Series | None:
    """Return the rep's row of the reps table, or None."""
    match = reps.loc[reps["rep_id"].astype(str) == str(rep_id)]
    return None if match.empty else match.iloc[0]


def day_lines(
    day_stops: pd.DataFrame, home: tuple[float, float], legs: dict | None, key: tuple[str, str]
) -> list[list[tuple[float, float]]]:
    """Lines of a day's route: road ``legs[key]`` if given, else home → stops → home."""
    if legs is not None and legs.get(key):
        return [[(float(a), float(b)) for a, b in line] for line in legs[key]]
    if day_stops.empty:
        return []
    path = [home, *zip(day_stops["lat"], day_stops["lon"], strict=True), home]
    return [[(float(a), float(b)) for a, b in path]]


def one_or_many(lines: list[list[tuple[float, float]]]) -> list:
    """Return one line as is, several as a multi-polyline (one Leaflet layer either way)."""
    return lines[0] if len(lines) == 1 else lines


def truthy(value: object) -> bool:
    """Read a flag that may come as bool, number or text (``"true"``, ``"1"``, ``"yes"``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "y", "t"}
    return bool(value)


def fit_view(
    m: folium.Map, points: Iterable[tuple[float, float]], *, beside_panel: bool = False
) -> None:
    """Open the map on ``points`` (add after the side panel when ``beside_panel``)."""
    pts = [(float(a), float(b)) for a, b in points if not (math.isnan(a) or math.isnan(b))]
    if len(pts) < 2:
        return
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]
    FitView([[min(lats), min(lons)], [max(lats), max(lons)]], beside_panel=beside_panel).add_to(m)
