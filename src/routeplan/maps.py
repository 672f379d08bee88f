"""Folium (Leaflet) maps: the rep's week, the managers' overview, zones before/after.

Every map has OpenStreetMap tiles with their attribution, loads only Leaflet (plus the
marker-cluster and locate plugins where used) and draws its markers, panels and legends with
plain HTML and CSS, so routes, markers and panels show even when the tiles cannot load.
``save_map(..., offline=True)`` inlines the JavaScript and CSS from local npm packages (see
:mod:`routeplan.map_assets`) so the file needs no internet at all except for tiles.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import quote

import folium
import geopandas as gpd
import pandas as pd
from folium import plugins

from routeplan.config import Settings, minutes_of
from routeplan.errors import RouteplanError
from routeplan.map_assets import LEAFLET_CSS, LEAFLET_JS, find_node_modules, inline_assets
from routeplan.map_controls import ExpandOnWideScreens, HtmlControl, HtmlPopup, MapCss
from routeplan.maps_style import (
    DROPPED_COLOUR,
    HOME_ICON_HTML,
    OSM_ATTRIBUTION,
    OSM_TILES,
    REP_COLOURS,
    TIER_STYLES,
    WORKLOAD_BANDS,
    ZONE_OUTLINE_COLOUR,
    day_colour,
    marker_html,
    tier_style,
    workload_colour,
)
from routeplan.plan import WeekPlan

GOOGLE_DIRECTIONS_URL = "https://www.google.com/maps/dir/?api=1"
"""Base of Google Maps directions links (opens the app on phones)."""

CLUSTER_THRESHOLD = 300
"""The managers' map clusters client markers when there are more clients than this."""

Line = Sequence[tuple[float, float]]

# --------------------------------------------------------------------------------------------
# Small helpers


def _duration(minutes: float) -> str:
    """``95`` -> ``"1 h 35 min"``."""
    total = round(float(minutes))
    hours, rest = divmod(total, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def _esc(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value))


def _latlon(lat: float, lon: float) -> str:
    return f"{lat:.6f},{lon:.6f}"


def _base_map(
    points: Iterable[tuple[float, float]], *, offline_assets: Path | None = None
) -> folium.Map:
    """Make an OSM map fitted to ``points``, loading only Leaflet, with the shared CSS."""
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
    if len(pts) > 1:
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
    m.routeplan_node_modules = offline_assets  # type: ignore[attr-defined]
    return m


def _polygon_points(geoms: gpd.GeoSeries) -> list[tuple[float, float]]:
    if geoms.empty:
        return []
    minx, miny, maxx, maxy = geoms.total_bounds
    return [(miny, minx), (maxy, maxx)]


def _in_wgs84(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if zones.crs is not None and zones.crs.to_epsg() != 4326:
        return zones.to_crs(4326)
    return zones


def _legend(rows: list[str], *, title: str = "Legend") -> HtmlControl:
    body = "".join(f'<div class="rp-legend-row">{row}</div>' for row in rows)
    return HtmlControl(
        f"<details><summary>{title}</summary>{body}</details>",
        position="bottomright",
        css_class="rp-legend",
    )


def _tier_legend_rows(tiers: Iterable[str]) -> list[str]:
    rows = []
    for tier in tiers:
        rows.append(
            f"{marker_html(tier, text='', ring='#fff')}<span>{_esc(tier_style(tier).label)}</span>"
        )
    return rows


def _ordered_tiers(present: Iterable[str], order: Sequence[str] = ()) -> list[str]:
    present_set = {str(t) for t in present}
    known = [t for t in (*order, *TIER_STYLES) if t in present_set]
    seen: list[str] = []
    for tier in [*known, *sorted(present_set)]:
        if tier not in seen:
            seen.append(tier)
    return seen


# --------------------------------------------------------------------------------------------
# Google Maps links


def google_maps_day_links(
    stops: pd.DataFrame, home: tuple[float, float], *, max_waypoints: int = 9
) -> list[str]:
    """Google Maps directions links for one day: home, the stops in order, home.

    Parameters
    ----------
    stops
        The day's stops with ``lat``, ``lon`` and ``seq`` (sorted by ``seq`` here).
    home
        ``(lat, lon)`` where the day starts and ends.
    max_waypoints
        Most intermediate stops per link (Google allows 9 in a URL; phones may show fewer).

    Returns
    -------
    list of str
        One URL per part; each part starts where the previous one ended. Empty for no stops.

    """
    if max_waypoints < 1:
        msg = f"max_waypoints must be at least 1, got {max_waypoints}."
        raise ValueError(msg)
    if stops.empty:
        return []
    ordered = stops.sort_values("seq") if "seq" in stops.columns else stops
    points = [home, *zip(ordered["lat"], ordered["lon"], strict=True), home]
    links = []
    start = 0
    while start < len(points) - 1:
        end = min(start + max_waypoints + 1, len(points) - 1)
        via = points[start + 1 : end]
        url = (
            f"{GOOGLE_DIRECTIONS_URL}&origin={_latlon(*points[start])}"
            f"&destination={_latlon(*points[end])}"
        )
        if via:
            url += "&waypoints=" + quote("|".join(_latlon(*p) for p in via), safe=",")
        links.append(url + "&travelmode=driving")
        start = end
    return links


# --------------------------------------------------------------------------------------------
# Rep week map


def _stop_popup(row: pd.Series) -> str:
    fields = [
        ("Client", f"{_esc(row['name'])} <small>({_esc(row['client_id'])})</small>"),
        ("Tier", _esc(row["tier"])),
        ("Day", f"{_esc(row['day'])} {_esc(row['date'])}, stop {int(row['seq'])}"),
        ("Arrive", _esc(row["arrive"])),
    ]
    if int(row.get("wait_min", 0) or 0) > 0:
        fields.append(("Start", f"{_esc(row['start'])} (waits {int(row['wait_min'])} min)"))
    fields += [
        ("Depart", _esc(row["depart"])),
        ("Service", f"{int(row['service_min'])} min"),
        ("Address", _esc(row.get("address", ""))),
    ]
    rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in fields)
    reason = ""
    if bool(row.get("catch_up", False)):
        reason = f'<p class="rp-reason">Catch-up visit: {_esc(row.get("reason", ""))}</p>'
    return f'<div class="rp-popup"><b>{_esc(row["name"])}</b><table>{rows}</table>{reason}</div>'


def _rep_row(reps: pd.DataFrame, rep_id: str) -> pd.Series | None:
    match = reps.loc[reps["rep_id"].astype(str) == str(rep_id)]
    return None if match.empty else match.iloc[0]


def _rep_zone(zones: gpd.GeoDataFrame, rep_id: str, rep: pd.Series | None) -> gpd.GeoDataFrame:
    if "rep_id" in zones.columns:
        own = zones.loc[zones["rep_id"].astype(str) == str(rep_id)]
        if not own.empty:
            return own
    if rep is not None and "zone" in rep.index and "zone" in zones.columns:
        return zones.loc[zones["zone"].astype(str) == str(rep["zone"])]
    return zones.iloc[0:0]


def _day_lines(
    day_stops: pd.DataFrame, home: tuple[float, float], legs: dict | None, key: tuple[str, str]
) -> list[list[tuple[float, float]]]:
    if legs is not None and legs.get(key):
        return [[(float(a), float(b)) for a, b in line] for line in legs[key]]
    if day_stops.empty:
        return []
    path = [home, *zip(day_stops["lat"], day_stops["lon"], strict=True), home]
    return [[(float(a), float(b)) for a, b in path]]


def _one_or_many(lines: list[list[tuple[float, float]]]) -> list:
    """One line as is, several as a multi-polyline (one Leaflet layer per day either way)."""
    return lines[0] if len(lines) == 1 else lines


def rep_week_map(
    plan: WeekPlan,
    rep_id: str,
    *,
    reps: pd.DataFrame,
    zones: gpd.GeoDataFrame,
    legs: dict | None = None,
    offline_assets: Path | None = None,
) -> folium.Map:
    """Draw a rep's week: a toggleable layer per day, numbered stops, panel and legend.

    Parameters
    ----------
    plan
        The week's plan (rows of other reps are ignored).
    rep_id
        Whose week to draw.
    reps
        Reps table (``rep_id``, ``name``, ``home_lat``, ``home_lon``, ``zone``).
    zones
        Zone polygons (``zone``, optional ``rep_id``); the rep's zone is outlined.
    legs
        Road geometry per ``(rep_id, date)``: a list of lines of ``(lat, lon)``. Days without
        an entry are drawn as straight lines home → stops → home.
    offline_assets
        ``node_modules`` directory; when given, :func:`save_map` inlines the JS/CSS from it.

    Returns
    -------
    folium.Map
        The map; day layers are ``folium.FeatureGroup`` named ``"<Day> <date> · <n> visits"``.

    """
    routes = plan.routes.loc[plan.routes["rep_id"].astype(str) == str(rep_id)]
    routes = routes.sort_values(["date", "seq"])
    days = plan.days.loc[plan.days["rep_id"].astype(str) == str(rep_id)].sort_values("date")
    rep = _rep_row(reps, rep_id)
    if rep is None and days.empty and routes.empty:
        raise RouteplanError(
            f"rep '{rep_id}' is neither in reps nor in the plan of week {plan.week}.",
            hint="check the rep_id against reps.csv",
        )
    if rep is not None:
        home = (float(rep["home_lat"]), float(rep["home_lon"]))
        rep_name = str(rep.get("name", rep_id))
    else:
        home = (float(days.iloc[0]["home_lat"]), float(days.iloc[0]["home_lon"]))
        rep_name = str(rep_id)
    zone = _in_wgs84(_rep_zone(zones, rep_id, rep))

    points = [home, *zip(routes["lat"], routes["lon"], strict=True)]
    points += _polygon_points(zone.geometry)
    m = _base_map(points, offline_assets=offline_assets)
    m.routeplan_kind = "rep_week"  # type: ignore[attr-defined]

    for _, zone_row in zone.iterrows():
        folium.GeoJson(
            zone_row.geometry.__geo_interface__,
            name=f"Zone {zone_row.get('zone', '')}",
            style_function=lambda _f: {
                "color": ZONE_OUTLINE_COLOUR,
                "weight": 2,
                "dashArray": "6 4",
                "fillOpacity": 0.03,
            },
            interactive=False,
            control=False,
        ).add_to(m)

    folium.Marker(
        home,
        icon=folium.DivIcon(html=HOME_ICON_HTML, icon_size=(22, 22), icon_anchor=(11, 11)),
        tooltip=f"Home of {rep_name}",
        z_index_offset=1000,
    ).add_to(m)

    panel = HtmlControl("", position="bottomleft")
    day_list = days[["date", "day"]].to_records(index=False).tolist() if not days.empty else []
    if not day_list:
        day_list = routes[["date", "day"]].drop_duplicates().to_records(index=False).tolist()
    day_sections = []
    for date, day in day_list:
        day_stops = routes.loc[routes["date"] == date]
        colour = day_colour(str(day))
        label = (
            f'<span class="rp-swatch" style="background:{colour}"></span>'
            f"{_esc(day)} {_esc(date)} · {len(day_stops)} visits"
        )
        group = folium.FeatureGroup(name=label, show=True)
        group.routeplan_day = (str(day), str(date))  # type: ignore[attr-defined]
        lines = _day_lines(day_stops, home, legs, (str(rep_id), str(date)))
        if lines:
            folium.PolyLine(_one_or_many(lines), color=colour, weight=5, opacity=0.8).add_to(group)
        items = []
        for _, stop in day_stops.iterrows():
            seq = int(stop["seq"])
            key = f"{date}#{seq}"
            marker = folium.Marker(
                (float(stop["lat"]), float(stop["lon"])),
                icon=folium.DivIcon(
                    html=marker_html(str(stop["tier"]), text=str(seq), ring=colour, key=key),
                    icon_size=(26, 26),
                    icon_anchor=(13, 13),
                    class_name="rp-icon",
                ),
                tooltip=f"{seq}. {stop['name']}",
            ).add_to(group)
            HtmlPopup(_stop_popup(stop)).add_to(marker)
            panel.add_target(key, group, marker)
            catch = " ↺" if bool(stop.get("catch_up", False)) else ""
            items.append(
                f'<li><a href="#" class="rp-stop-link" data-stop="{_esc(key)}">'
                f"{_esc(stop['arrive'])} {_esc(stop['name'])} ({_esc(stop['tier'])})"
                f"{catch}</a></li>"
            )
        group.add_to(m)
        links = google_maps_day_links(day_stops, home)
        link_html = "".join(
            f'<a class="rp-gmaps" href="{_esc(url)}" target="_blank" rel="noopener">'
            f"Open in Google Maps{f' ({i}/{len(links)})' if len(links) > 1 else ''}</a>"
            for i, url in enumerate(links, 1)
        )
        day_sections.append(
            f'<h4><span class="rp-swatch" style="background:{colour}"></span>'
            f"{_esc(day)} {_esc(date)}</h4><ol>{''.join(items)}</ol>{link_html}"
        )

    panel.html = _rep_panel_html(plan.week, rep_id, rep_name, days, routes, day_sections)
    panel.add_to(m)
    tiers = _ordered_tiers(routes["tier"].astype(str))
    legend_rows = _tier_legend_rows(tiers)
    legend_rows.append(f"{HOME_ICON_HTML}<span>home</span>")
    legend_rows += [
        f'<span class="rp-line" style="background:{day_colour(str(d))}"></span>'
        f"<span>{_esc(d)}</span>"
        for _, d in day_list
    ]
    _legend(legend_rows).add_to(m)
    plugins.LocateControl(
        icon="rp-locate-icon", iconLoading="rp-locate-icon", strings={"title": "Show where I am"}
    ).add_to(m)
    control = folium.LayerControl(collapsed=True).add_to(m)
    ExpandOnWideScreens(control).add_to(m)
    return m


def _rep_panel_html(
    week: int,
    rep_id: str,
    rep_name: str,
    days: pd.DataFrame,
    routes: pd.DataFrame,
    day_sections: list[str],
) -> str:
    rows = []
    for _, day in days.iterrows():
        colour = day_colour(str(day["day"]))
        rows.append(
            f'<tr><td><span class="rp-swatch" style="background:{colour}"></span>'
            f"{_esc(day['day'])}</td><td>{int(day['visits'])}</td>"
            f"<td>{_duration(day['travel_min'])}</td><td>{float(day['km']):.1f}</td>"
            f"<td>{_esc(day['end'])}</td></tr>"
        )
    if not days.empty:
        rows.append(
            f'<tr class="rp-total"><td>Week</td><td>{int(days["visits"].sum())}</td>'
            f"<td>{_duration(days['travel_min'].sum())}</td>"
            f"<td>{float(days['km'].sum()):.1f}</td><td></td></tr>"
        )
    catch_ups = int(routes["catch_up"].astype(bool).sum()) if not routes.empty else 0
    note = f"<p>{catch_ups} catch-up visit(s) marked ↺.</p>" if catch_ups else ""
    return (
        f"<details><summary>Week {week} · {_esc(rep_name)} ({_esc(rep_id)})</summary>"
        "<table><thead><tr><th>Day</th><th>Visits</th><th>Drive</th><th>km</th><th>End</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
        f"{''.join(day_sections)}</details>"
    )


# --------------------------------------------------------------------------------------------
# Managers' map


def _capacity_hours(rep: pd.Series | None, n_days: int, settings: Settings) -> float:
    """Working hours of a rep in the week: days × (day length − lunch)."""

    def pick(field: str, default: object) -> object:
        value = rep[field] if rep is not None and field in rep.index else None
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return default
        return value if str(value).strip() else default

    work = settings.workday
    start = minutes_of(str(pick("day_start", work.day_start)))
    end = minutes_of(str(pick("day_end", work.day_end)))
    lunch = float(pick("lunch_min", work.lunch_min))  # type: ignore[arg-type]
    return n_days * max(end - start - lunch, 0) / 60.0


def zone_workload(
    plan: WeekPlan,
    *,
    clients: pd.DataFrame,
    reps: pd.DataFrame,
    zones: gpd.GeoDataFrame,
    settings: Settings,
) -> pd.DataFrame:
    """Workload and statistics of every zone in the week (what the managers' map shows).

    Parameters
    ----------
    plan, clients, reps, zones, settings
        As for :func:`managers_map`.

    Returns
    -------
    pandas.DataFrame
        One row per zone: ``zone``, ``rep_id``, ``rep_name``, ``clients``, ``tiers`` (text such
        as ``"AAA 2 · AA 5"``), ``revenue``, ``visits``, ``dropped``, ``drive_h``, ``work_h``
        (drive + service + waiting), ``capacity_h`` and ``load`` (work_h / capacity_h).

    """
    order = settings.tier_names
    rows = []
    for _, zone in zones.iterrows():
        zone_id = str(zone["zone"])
        rep_id = (
            str(zone["rep_id"]) if "rep_id" in zones.columns and pd.notna(zone["rep_id"]) else ""
        )
        if not rep_id and "zone" in reps.columns:
            match = reps.loc[reps["zone"].astype(str) == zone_id, "rep_id"]
            rep_id = str(match.iloc[0]) if not match.empty else ""
        rep = _rep_row(reps, rep_id) if rep_id else None
        in_zone = clients.loc[clients["zone"].astype(str) == zone_id]
        counts = in_zone["tier"].astype(str).value_counts()
        tiers = " · ".join(f"{t} {counts[t]}" for t in _ordered_tiers(counts.index, order))
        rep_routes = plan.routes.loc[plan.routes["rep_id"].astype(str) == rep_id]
        rep_days = plan.days.loc[plan.days["rep_id"].astype(str) == rep_id]
        drive_min = float(rep_days["travel_min"].sum())
        work_min = drive_min + float(rep_routes["service_min"].sum())
        work_min += float(rep_routes["wait_min"].sum())
        n_days = len(rep_days) if not rep_days.empty else len(settings.workday.workdays)
        capacity = _capacity_hours(rep, n_days, settings) if rep_id else 0.0
        rows.append(
            {
                "zone": zone_id,
                "rep_id": rep_id,
                "rep_name": str(rep["name"]) if rep is not None and "name" in rep.index else rep_id,
                "clients": len(in_zone),
                "tiers": tiers,
                "revenue": float(in_zone["revenue"].sum()) if "revenue" in in_zone else 0.0,
                "visits": len(rep_routes),
                "dropped": int((plan.dropped["rep_id"].astype(str) == rep_id).sum()),
                "drive_h": drive_min / 60.0,
                "work_h": work_min / 60.0,
                "capacity_h": capacity,
                "load": work_min / 60.0 / capacity if capacity > 0 else math.nan,
            }
        )
    return pd.DataFrame(rows)


def _client_layers(
    m: folium.Map, clients: pd.DataFrame, order: Sequence[str], *, cluster: bool
) -> None:
    tiers = _ordered_tiers(clients["tier"].astype(str), order)
    for tier in tiers:
        subset = clients.loc[clients["tier"].astype(str) == tier]
        name = f"Clients {_esc(tier)} ({len(subset)})"
        icon_html = marker_html(tier, kind="client")
        if cluster:
            data = [
                [float(r.lat), float(r.lon), str(r.name), str(r.client_id)]
                for r in subset.itertuples(index=False)
            ]
            callback = (
                "function (row) {"
                "var icon = L.divIcon({className: 'rp-icon', html: " + _js_str(icon_html) + ","
                " iconSize: [12, 12], iconAnchor: [6, 6]});"
                "return L.marker(new L.LatLng(row[0], row[1]), {icon: icon})"
                ".bindTooltip(row[2] + ' (' + row[3] + ')');}"
            )
            plugins.FastMarkerCluster(data, callback=callback, name=name).add_to(m)
            continue
        group = folium.FeatureGroup(name=name, show=True)
        for r in subset.itertuples(index=False):
            folium.Marker(
                (float(r.lat), float(r.lon)),
                icon=folium.DivIcon(
                    html=icon_html, icon_size=(12, 12), icon_anchor=(6, 6), class_name="rp-icon"
                ),
                tooltip=f"{r.name} ({r.client_id}, {tier})",
            ).add_to(group)
        group.add_to(m)


def _js_str(text: str) -> str:
    import json

    return json.dumps(text)


def managers_map(
    plan: WeekPlan,
    *,
    clients: pd.DataFrame,
    reps: pd.DataFrame,
    zones: gpd.GeoDataFrame,
    settings: Settings,
    legs: dict | None = None,
    offline_assets: Path | None = None,
) -> folium.Map:
    """Draw the managers' week: zones by workload, clients by tier, routes, dropped visits.

    Parameters
    ----------
    plan
        The week's plan of every rep.
    clients
        Clients with ``client_id``, ``name``, ``lat``, ``lon``, ``tier``, ``zone``, ``rep_id``,
        ``revenue``.
    reps
        Reps table (``rep_id``, ``name``, ``home_lat``, ``home_lon``, ``zone`` and optional
        working-day columns used for the capacity).
    zones
        Zone polygons with ``zone`` (and optional ``rep_id``).
    settings
        Settings: tier order and the default working day.
    legs
        Optional road geometry per ``(rep_id, date)`` as for :func:`rep_week_map`.
    offline_assets
        ``node_modules`` directory; when given, :func:`save_map` inlines the JS/CSS from it.

    Returns
    -------
    folium.Map
        Zones coloured by hours planned / capacity (tooltips with zone statistics), one layer
        per tier of clients (clustered above :data:`CLUSTER_THRESHOLD` clients), one route
        layer per rep and a layer of dropped visits.

    """
    zones = _in_wgs84(zones)
    stats = zone_workload(plan, clients=clients, reps=reps, zones=zones, settings=settings)
    points = list(zip(clients["lat"], clients["lon"], strict=True)) + _polygon_points(
        zones.geometry
    )
    m = _base_map(points, offline_assets=offline_assets)
    m.routeplan_kind = "managers"  # type: ignore[attr-defined]

    shown = zones[["zone", "geometry"]].copy()
    shown["zone"] = shown["zone"].astype(str)
    shown = shown.merge(stats, on="zone", how="left")
    shown["fill"] = [workload_colour(x) for x in shown["load"]]
    shown["workload"] = [
        f"{w:.1f} h of {c:.1f} h ({x:.0%})" if c > 0 else "no rep / capacity"
        for w, c, x in zip(shown["work_h"], shown["capacity_h"], shown["load"], strict=True)
    ]
    shown["drive"] = [f"{h:.1f} h" for h in shown["drive_h"]]
    shown["revenue_txt"] = [f"{v:,.0f}".replace(",", " ") for v in shown["revenue"]]
    shown["rep"] = [
        f"{n} ({r})" if r else "—" for n, r in zip(shown["rep_name"], shown["rep_id"], strict=True)
    ]
    fields = ["zone", "rep", "workload", "tiers", "visits", "dropped", "drive", "revenue_txt"]
    aliases = [
        "Zone",
        "Rep",
        "Workload",
        "Clients per tier",
        "Visits this week",
        "Dropped",
        "Drive",
        "Revenue",
    ]
    gdf = gpd.GeoDataFrame(shown[[*fields, "fill", "geometry"]], geometry="geometry", crs=4326)
    folium.GeoJson(
        gdf.to_json(),
        name="Zones by workload",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#444",
            "weight": 1.5,
            "fillOpacity": 0.45,
        },
        highlight_function=lambda _f: {"weight": 4, "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
    ).add_to(m)
    labels = folium.FeatureGroup(name="Zone labels", show=True)
    for row in shown.itertuples(index=False):
        spot = row.geometry.representative_point()
        load = "" if math.isnan(row.load) else f"<br>{row.load:.0%}"
        folium.Marker(
            (spot.y, spot.x),
            icon=folium.DivIcon(
                html=f'<div class="rp-zone-label">{_esc(row.zone)}{load}</div>',
                icon_size=(64, 32),
                icon_anchor=(32, 16),
                class_name="rp-icon",
            ),
            interactive=False,
        ).add_to(labels)
    labels.add_to(m)

    order = settings.tier_names
    _client_layers(m, clients, order, cluster=len(clients) > CLUSTER_THRESHOLD)

    rep_ids = list(dict.fromkeys([*reps["rep_id"].astype(str), *plan.routes["rep_id"].astype(str)]))
    many = len(rep_ids) > 12
    rep_colour = {r: REP_COLOURS[i % len(REP_COLOURS)] for i, r in enumerate(rep_ids)}
    for rep_id in rep_ids:
        rep_routes = plan.routes.loc[plan.routes["rep_id"].astype(str) == rep_id]
        rep_days = plan.days.loc[plan.days["rep_id"].astype(str) == rep_id]
        if rep_routes.empty:
            continue
        rep = _rep_row(reps, rep_id)
        home = (
            (float(rep["home_lat"]), float(rep["home_lon"]))
            if rep is not None
            else (float(rep_days.iloc[0]["home_lat"]), float(rep_days.iloc[0]["home_lon"]))
        )
        name = str(rep["name"]) if rep is not None and "name" in rep.index else rep_id
        colour = rep_colour[rep_id]
        group = folium.FeatureGroup(
            name=f'<span class="rp-line" style="background:{colour}"></span> Routes {_esc(name)}',
            show=not many,
        )
        for (date, day), day_stops in rep_routes.sort_values(["date", "seq"]).groupby(
            ["date", "day"], sort=True
        ):
            tip = f"{name} · {day} {date} · {len(day_stops)} visits"
            lines = _day_lines(day_stops, home, legs, (rep_id, str(date)))
            if lines:
                folium.PolyLine(
                    _one_or_many(lines), color=colour, weight=3, opacity=0.75, tooltip=tip
                ).add_to(group)
        folium.Marker(
            home,
            icon=folium.DivIcon(html=HOME_ICON_HTML, icon_size=(22, 22), icon_anchor=(11, 11)),
            tooltip=f"Home of {name}",
        ).add_to(group)
        group.add_to(m)

    dropped = plan.dropped
    group = folium.FeatureGroup(name=f"Dropped visits ({len(dropped)})", show=True)
    for _, row in dropped.iterrows():
        popup = (
            f'<div class="rp-popup"><b>{_esc(row["name"])}</b> ({_esc(row["client_id"])})'
            f"<table><tr><th>Tier</th><td>{_esc(row['tier'])}</td></tr>"
            f"<tr><th>Rep</th><td>{_esc(row['rep_id'])}</td></tr></table>"
            f'<p class="rp-reason">Dropped: {_esc(row["reason"])}</p></div>'
        )
        marker = folium.Marker(
            (float(row["lat"]), float(row["lon"])),
            icon=folium.DivIcon(
                html='<div class="rp-dropped">!</div>',
                icon_size=(22, 22),
                icon_anchor=(11, 11),
                class_name="rp-icon",
            ),
            tooltip=f"Dropped: {row['name']}",
            z_index_offset=500,
        ).add_to(group)
        HtmlPopup(popup).add_to(marker)
    group.add_to(m)

    _managers_panel(plan, stats).add_to(m)
    legend_rows = _tier_legend_rows(_ordered_tiers(clients["tier"].astype(str), order))
    legend_rows += [
        f'<span class="rp-swatch" style="background:{colour}"></span><span>{label}</span>'
        for _, colour, label in WORKLOAD_BANDS
    ]
    legend_rows.append(
        f'<div class="rp-dropped" style="border-color:{DROPPED_COLOUR}">!</div>'
        "<span>dropped visit</span>"
    )
    _legend(legend_rows).add_to(m)
    control = folium.LayerControl(collapsed=True).add_to(m)
    ExpandOnWideScreens(control).add_to(m)
    return m


def _managers_panel(plan: WeekPlan, stats: pd.DataFrame) -> HtmlControl:
    rows = "".join(
        f"<tr><td>{_esc(r.zone)}</td><td>{_esc(r.rep_id)}</td><td>{int(r.visits)}</td>"
        f"<td>{r.drive_h:.1f}</td><td>{'' if math.isnan(r.load) else f'{r.load:.0%}'}</td>"
        f"<td>{int(r.dropped)}</td></tr>"
        for r in stats.itertuples(index=False)
    )
    total_drive = float(plan.days["travel_min"].sum()) / 60 if not plan.days.empty else 0.0
    return HtmlControl(
        f"<details><summary>Week {plan.week}: {len(plan.routes)} visits, "
        f"{len(plan.dropped)} dropped, {total_drive:.1f} h driving</summary>"
        "<table><thead><tr><th>Zone</th><th>Rep</th><th>Visits</th><th>Drive h</th>"
        f"<th>Load</th><th>Dropped</th></tr></thead><tbody>{rows}</tbody></table></details>",
        position="bottomleft",
    )


# --------------------------------------------------------------------------------------------
# Zones before / after


def zones_compare_map(
    before: gpd.GeoDataFrame,
    after: gpd.GeoDataFrame,
    *,
    clients: pd.DataFrame | None = None,
) -> folium.Map:
    """Zones before and after rebalancing as two toggleable layers.

    Parameters
    ----------
    before, after
        Zone polygons with a ``zone`` column.
    clients
        Optional clients (``lat``, ``lon``, ``name``, ``client_id``): counted per zone in the
        tooltips; clients whose zone changes get their own highlighted layer.

    Returns
    -------
    folium.Map
        Layers ``"Before (n zones)"``, ``"After (n zones)"`` and, with clients, ``"Clients"``
        and ``"Clients that change zone (k)"``.

    """
    before = _in_wgs84(before)
    after = _in_wgs84(after)
    m = _base_map(_polygon_points(before.geometry) + _polygon_points(after.geometry))
    m.routeplan_kind = "zones_compare"  # type: ignore[attr-defined]
    owner: dict[str, pd.Series] = {}
    if clients is not None and not clients.empty:
        points = gpd.GeoDataFrame(
            clients.reset_index(drop=True),
            geometry=gpd.points_from_xy(clients["lon"], clients["lat"]),
            crs=4326,
        )
        for label, layer in (("before", before), ("after", after)):
            joined = gpd.sjoin(points, layer[["zone", "geometry"]], how="left", predicate="within")
            joined = joined[~joined.index.duplicated(keep="first")]
            owner[label] = joined["zone_right" if "zone_right" in joined else "zone"].astype(str)

    for label, layer, style in (
        ("Before", before, {"color": "#555", "weight": 2, "dashArray": "6 4", "fillOpacity": 0.05}),
        ("After", after, {"color": "#d55e00", "weight": 3, "fillOpacity": 0.15}),
    ):
        shown = layer[["zone", "geometry"]].copy()
        shown["zone"] = shown["zone"].astype(str)
        fields, aliases = ["zone"], ["Zone"]
        key = label.lower()
        if key in owner:
            counts = owner[key].value_counts()
            shown["clients"] = [int(counts.get(z, 0)) for z in shown["zone"]]
            fields.append("clients")
            aliases.append("Clients")
        folium.GeoJson(
            shown.to_json(),
            name=f"{label} ({len(shown)} zones)",
            style_function=lambda _f, s=style: dict(s),
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
        ).add_to(m)

    if owner and clients is not None:
        group = folium.FeatureGroup(name=f"Clients ({len(clients)})", show=True)
        moved = folium.FeatureGroup(name="", show=True)
        n_moved = 0
        for i, row in enumerate(clients.itertuples(index=False)):
            was, now = owner["before"].iloc[i], owner["after"].iloc[i]
            changed = was != now
            n_moved += changed
            folium.CircleMarker(
                (float(row.lat), float(row.lon)),
                radius=6 if changed else 3,
                color=DROPPED_COLOUR if changed else "#333",
                weight=2 if changed else 1,
                fill=True,
                fill_opacity=0.8,
                tooltip=f"{row.name}: zone {was} → {now}" if changed else f"{row.name}: zone {now}",
            ).add_to(moved if changed else group)
        moved.layer_name = f"Clients that change zone ({n_moved})"
        group.add_to(m)
        moved.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


# --------------------------------------------------------------------------------------------
# Saving


def save_map(
    m: folium.Map, path: Path, *, offline: bool = False, node_modules: Path | None = None
) -> Path:
    """Write a map to an HTML file, optionally with Leaflet and plugins inlined.

    Parameters
    ----------
    m
        A map built by this module.
    path
        Output file; parent directories are created.
    offline
        Inline the JavaScript and CSS so the page works without internet (tiles excepted).
        Also done when the map was built with ``offline_assets``.
    node_modules
        Where the npm packages are; default: the map's ``offline_assets``, then
        ``$ROUTEPLAN_NODE_MODULES``, ``./node_modules``, ``./tests/browser/node_modules``.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    RouteplanError
        When offline output is asked for and the npm packages are not found.

    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page = m.get_root().render()
    built_with = getattr(m, "routeplan_node_modules", None)
    if offline or built_with is not None:
        found = find_node_modules(node_modules or built_with)
        if found is None:
            raise RouteplanError(
                "offline maps need Leaflet's files from npm, and no node_modules was found.",
                hint="run `npm ci` in tests/browser or set ROUTEPLAN_NODE_MODULES",
            )
        page = inline_assets(page, node_modules=found)
    path.write_text(page, encoding="utf-8")
    return path
