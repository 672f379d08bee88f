"""Folium (Leaflet) maps: the rep's week, the managers' overview, zones before/after.

Every map has OpenStreetMap tiles with their attribution, loads only Leaflet (plus the
marker-cluster and locate plugins where used) and draws its markers, panels and legends with
plain HTML and CSS, so routes, markers and panels show even when the tiles cannot load.
``save_map(..., offline=True)`` inlines the JavaScript and CSS from local npm packages (see
:mod:`routeplan.maps.assets`) so the file needs no internet at all except for tiles.
"""

from __future__ import annotations

import re
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element
from folium import plugins

from routeplan.errors import RouteplanError
from routeplan.links import GOOGLE_DIRECTIONS_URL, directions_links
from routeplan.maps.assets import find_node_modules, inline_assets
from routeplan.maps.base import (
    base_map,
    day_lines,
    duration_text,
    esc,
    fit_view,
    in_wgs84,
    legend_control,
    one_or_many,
    ordered_tiers,
    polygon_points,
    rep_row,
    tier_legend_rows,
    truthy,
)
from routeplan.maps.controls import ExpandOnWideScreens, HtmlControl, HtmlPopup
from routeplan.maps.managers import CLUSTER_THRESHOLD, managers_map, zone_workload
from routeplan.maps.style import (
    HOME_ICON_HTML,
    ZONE_OUTLINE_COLOUR,
    day_colour,
    marker_html,
)
from routeplan.maps.zones import zones_compare_map
from routeplan.model.plan import WeekPlan
from routeplan.write_errors import writing

__all__ = [
    "CLUSTER_THRESHOLD",
    "GOOGLE_DIRECTIONS_URL",
    "google_maps_day_links",
    "managers_map",
    "rep_week_map",
    "save_map",
    "zone_workload",
    "zones_compare_map",
]


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
    ordered = stops.sort_values("seq") if "seq" in stops.columns else stops
    points = list(zip(ordered["lat"], ordered["lon"], strict=True))
    return directions_links(home, points, max_waypoints=max_waypoints)


# --------------------------------------------------------------------------------------------
# Rep week map


def _stop_popup(row: pd.Series) -> str:
    fields = [
        ("Client", f"{esc(row['name'])} <small>({esc(row['client_id'])})</small>"),
        ("Tier", esc(row["tier"])),
        ("Day", f"{esc(row['day'])} {esc(row['date'])}, stop {int(row['seq'])}"),
        ("Arrive", esc(row["arrive"])),
    ]
    if int(row.get("wait_min", 0) or 0) > 0:
        fields.append(("Start", f"{esc(row['start'])} (waits {int(row['wait_min'])} min)"))
    fields += [
        ("Depart", esc(row["depart"])),
        ("Service", f"{int(row['service_min'])} min"),
        ("Address", esc(row.get("address", ""))),
    ]
    rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in fields)
    reason = ""
    if truthy(row.get("catch_up", False)):
        reason = f'<p class="rp-reason">Catch-up visit: {esc(row.get("reason", ""))}</p>'
    return f'<div class="rp-popup"><b>{esc(row["name"])}</b><table>{rows}</table>{reason}</div>'


def _rep_zone(zones: gpd.GeoDataFrame, rep_id: str, rep: pd.Series | None) -> gpd.GeoDataFrame:
    if "rep_id" in zones.columns:
        own = zones.loc[zones["rep_id"].astype(str) == str(rep_id)]
        if not own.empty:
            return own
    if rep is not None and "zone" in rep.index and "zone" in zones.columns:
        return zones.loc[zones["zone"].astype(str) == str(rep["zone"])]
    return zones.iloc[0:0]


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
    rep = rep_row(reps, rep_id)
    home, rep_name = _home_and_name(plan, rep_id, rep, days, routes)
    zone = in_wgs84(_rep_zone(zones, rep_id, rep))

    # Fit the week's stops (a phone opens on them); the whole zone only when there are none.
    points = [home, *zip(routes["lat"], routes["lon"], strict=True)]
    if routes.empty:
        points += polygon_points(zone.geometry)
    m = base_map(points, offline_assets=offline_assets, fit=False)
    _zone_outline(m, zone)
    folium.Marker(
        home,
        icon=folium.DivIcon(html=HOME_ICON_HTML, icon_size=(22, 22), icon_anchor=(11, 11)),
        tooltip=esc(f"Home of {rep_name}"),
        z_index_offset=1000,
    ).add_to(m)

    panel = HtmlControl("", position="bottomleft")
    day_list = days[["date", "day"]].to_records(index=False).tolist() if not days.empty else []
    if not day_list:
        day_list = routes[["date", "day"]].drop_duplicates().to_records(index=False).tolist()
    day_sections = [
        _day_layer(
            m, panel, routes.loc[routes["date"] == date], (str(rep_id), date, day), home, legs
        )
        for date, day in day_list
    ]
    panel.html = _rep_panel_html(plan.week, rep_id, rep_name, days, routes, day_sections)
    panel.add_to(m)
    fit_view(m, points, beside_panel=True)
    _rep_legend(routes, day_list).add_to(m)
    plugins.LocateControl(
        icon="rp-locate-icon", iconLoading="rp-locate-icon", strings={"title": "Show where I am"}
    ).add_to(m)
    control = folium.LayerControl(collapsed=True)
    control.add_to(m)
    ExpandOnWideScreens(control).add_to(m)
    return m


def _home_and_name(
    plan: WeekPlan,
    rep_id: str,
    rep: pd.Series | None,
    days: pd.DataFrame,
    routes: pd.DataFrame,
) -> tuple[tuple[float, float], str]:
    """The rep's home and name: from the reps table, else the plan's days."""
    if rep is None and days.empty and routes.empty:
        raise RouteplanError(
            f"rep '{rep_id}' is neither in reps nor in the plan of week {plan.week}.",
            hint="check the rep_id against reps.csv",
        )
    if rep is not None:
        return (float(rep["home_lat"]), float(rep["home_lon"])), str(rep.get("name", rep_id))
    return (float(days.iloc[0]["home_lat"]), float(days.iloc[0]["home_lon"])), str(rep_id)


def _zone_outline(m: folium.Map, zone: gpd.GeoDataFrame) -> None:
    """Outline the rep's zone (dashed, not clickable)."""
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


def _day_layer(
    m: folium.Map,
    panel: HtmlControl,
    day_stops: pd.DataFrame,
    when: tuple[str, object, object],
    home: tuple[float, float],
    legs: dict | None,
) -> str:
    """Add a day's layer (route, numbered stops) for ``when`` = (rep id, date, day).

    Returns the day's section of the panel: the stop list and Google Maps links.
    """
    rep_id, date, day = when
    colour = day_colour(str(day))
    label = (
        f'<span class="rp-swatch" style="background:{colour}"></span>'
        f"{esc(day)} {esc(date)} · {len(day_stops)} visits"
    )
    group = folium.FeatureGroup(name=label, show=True)
    group.routeplan_day = (str(day), str(date))  # type: ignore[attr-defined]
    lines = day_lines(day_stops, home, legs, (rep_id, str(date)))
    if lines:
        folium.PolyLine(one_or_many(lines), color=colour, weight=5, opacity=0.8).add_to(group)
    items = [_stop_marker(group, panel, stop, date, colour) for _, stop in day_stops.iterrows()]
    group.add_to(m)
    links = google_maps_day_links(day_stops, home)
    link_html = "".join(
        f'<a class="rp-gmaps" href="{esc(url)}" target="_blank" rel="noopener">'
        f"Open in Google Maps{f' ({i}/{len(links)})' if len(links) > 1 else ''}</a>"
        for i, url in enumerate(links, 1)
    )
    return (
        f'<h4><span class="rp-swatch" style="background:{colour}"></span>'
        f"{esc(day)} {esc(date)}</h4><ol>{''.join(items)}</ol>{link_html}"
    )


def _stop_marker(
    group: folium.FeatureGroup, panel: HtmlControl, stop: pd.Series, date: object, colour: str
) -> str:
    """Add a numbered stop marker with its popup; return the stop's item in the panel list."""
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
        tooltip=esc(f"{seq}. {stop['name']}"),
    )
    marker.add_to(group)
    HtmlPopup(_stop_popup(stop)).add_to(marker)
    panel.add_target(key, group, marker)
    catch = " ↺" if truthy(stop.get("catch_up", False)) else ""
    return (
        f'<li><a href="#" class="rp-stop-link" data-stop="{esc(key)}">'
        f"{esc(stop['arrive'])} {esc(stop['name'])} ({esc(stop['tier'])})"
        f"{catch}</a></li>"
    )


def _rep_legend(routes: pd.DataFrame, day_list: list) -> HtmlControl:
    """Legend: the week's tiers, home and one line colour per day."""
    tiers = ordered_tiers(routes["tier"].astype(str))
    legend_rows = tier_legend_rows(tiers)
    legend_rows.append(f"{HOME_ICON_HTML}<span>home</span>")
    legend_rows += [
        f'<span class="rp-line" style="background:{day_colour(str(d))}"></span>'
        f"<span>{esc(d)}</span>"
        for _, d in day_list
    ]
    return legend_control(legend_rows)


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
            f"{esc(day['day'])}</td><td>{int(day['visits'])}</td>"
            f"<td>{duration_text(day['travel_min'])}</td><td>{float(day['km']):.1f}</td>"
            f"<td>{esc(day['end'])}</td></tr>"
        )
    if not days.empty:
        rows.append(
            f'<tr class="rp-total"><td>Week</td><td>{int(days["visits"].sum())}</td>'
            f"<td>{duration_text(days['travel_min'].sum())}</td>"
            f"<td>{float(days['km'].sum()):.1f}</td><td></td></tr>"
        )
    catch_ups = sum(truthy(v) for v in routes["catch_up"])
    note = f"<p>{catch_ups} catch-up visit(s) marked ↺.</p>" if catch_ups else ""
    return (
        f"<details><summary>Week {week} · {esc(rep_name)} ({esc(rep_id)})</summary>"
        "<table><thead><tr><th>Day</th><th>Visits</th><th>Drive</th><th>km</th><th>End</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
        f"{''.join(day_sections)}</details>"
    )


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
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
    root = m.get_root()
    page = _stable_ids(root, root.render())
    built_with = getattr(m, "routeplan_node_modules", None)
    if offline or built_with is not None:
        found = find_node_modules(node_modules or built_with)
        if found is None:
            raise RouteplanError(
                "offline maps need Leaflet's files from npm, and no node_modules was found.",
                hint="run `npm ci` in tests/browser or set ROUTEPLAN_NODE_MODULES",
            )
        page = inline_assets(page, node_modules=found)
    with writing(path):
        path.write_text(page, encoding="utf-8")
    return path


_HEX_ID = re.compile(r"[0-9a-f]{32}")


def _stable_ids(root: Element, page: str) -> str:
    """Replace folium's random element ids by counters, so the same map gives the same file."""
    known: set[str] = set()
    stack = [root]
    while stack:
        element = stack.pop()
        known.add(element._id)
        stack.extend(element._children.values())
    renamed: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if found not in known:
            return found
        return renamed.setdefault(found, f"{len(renamed) + 1:032x}")

    return _HEX_ID.sub(replace, page)
