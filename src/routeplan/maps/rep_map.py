"""Folium (Leaflet) maps: the rep's week, the managers' overview, zones before/after.

Every map has OpenStreetMap tiles with their attribution, loads only Leaflet (plus the
marker-cluster and locate plugins where used) and draws its markers, panels and legends with
plain HTML and CSS, so routes, markers and panels show even when the tiles cannot load.
``save_map(..., offline=True)`` inlines the JavaScript and CSS from local npm packages (see
:mod:`routeplan.maps.assets`) so the file needs no internet at all except for tiles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element
from folium import plugins

from routeplan.errors import RouteplanError
from routeplan.i18n import _, ngettext, weekday_name
from routeplan.links import GOOGLE_DIRECTIONS_URL, directions_links
from routeplan.maps.assets import find_node_modules, inline_assets
from routeplan.maps.base import (
    base_map,
    clock_text,
    day_heading,
    day_lines,
    day_name,
    duration_text,
    esc,
    in_wgs84,
    km_text,
    legend_control,
    one_or_many,
    ordered_tiers,
    page_language,
    polygon_points,
    rep_row,
    tier_legend_rows,
    truthy,
)
from routeplan.maps.controls import HtmlControl, HtmlPopup
from routeplan.maps.managers import CLUSTER_THRESHOLD, managers_map, zone_workload
from routeplan.maps.stops import (
    CLIENT_INFO_COLUMNS,
    day_links_html,
    day_list_html,
    next_stop_html,
    stop_card_html,
)
from routeplan.maps.streets import add_streets
from routeplan.maps.style import (
    ZONE_OUTLINE_COLOUR,
    day_colour,
    day_dash,
    home_icon_html,
    marker_html,
)
from routeplan.maps.today import DayTabs, DayView, bounds_of
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


MOBILE_WAYPOINTS = 3
"""Most intermediate stops per day link: what Google Maps on a phone honours."""


def google_maps_day_links(
    stops: pd.DataFrame, home: tuple[float, float], *, max_waypoints: int = MOBILE_WAYPOINTS
) -> list[str]:
    """Google Maps directions links for one day: home, the stops in order, home.

    Parameters
    ----------
    stops
        The day's stops with ``lat``, ``lon`` and ``seq`` (sorted by ``seq`` here).
    home
        ``(lat, lon)`` where the day starts and ends.
    max_waypoints
        Most intermediate stops per link (a URL takes 9; the phone apps honour 3).

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


def _rep_zone(zones: gpd.GeoDataFrame, rep_id: str, rep: pd.Series | None) -> gpd.GeoDataFrame:
    if "rep_id" in zones.columns:
        own = zones.loc[zones["rep_id"].astype(str) == str(rep_id)]
        if not own.empty:
            return own
    if rep is not None and "zone" in rep.index and "zone" in zones.columns:
        return zones.loc[zones["zone"].astype(str) == str(rep["zone"])]
    return zones.iloc[0:0]


def _client_info(clients: pd.DataFrame | None, client_ids: pd.Series) -> dict[str, pd.Series]:
    """Rows of the clients ``client_ids`` by id, with the optional columns the stop card shows.

    Only the rep's own clients are read: the whole table, once per rep, made the maps of
    40,000 accounts and 100 reps take minutes (see ``benchmarks/results/scale.md``).
    """
    if clients is None or clients.empty or "client_id" not in clients.columns:
        return {}
    keep = [c for c in CLIENT_INFO_COLUMNS if c in clients.columns]
    ids = clients["client_id"].astype(str)
    wanted = ids.isin(set(client_ids.astype(str)))
    table = clients.loc[wanted, ["client_id", *keep]].drop_duplicates("client_id")
    return {str(row["client_id"]): row for _, row in table.iterrows()}


def rep_week_map(
    plan: WeekPlan,
    rep_id: str,
    *,
    reps: pd.DataFrame,
    zones: gpd.GeoDataFrame,
    legs: dict | None = None,
    clients: pd.DataFrame | None = None,
    streets: list[list[tuple[float, float]]] | None = None,
    tier_order: Sequence[str] = (),
) -> folium.Map:
    """Draw a rep's week for a phone: day tabs, the next stop, numbered stops, the day's list.

    Every text is in the active language (:func:`routeplan.i18n.use_language`); the page's
    ``<html lang>`` says which when saved with :func:`save_map`.

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
    clients
        Clients table; its optional columns (:data:`~routeplan.maps.stops.CLIENT_INFO_COLUMNS`:
        phone, contact, notes, opening hours, tier reason, last visit, next due) fill the stop
        cards.
    streets
        Street lines ``[(lat, lon), ...]`` drawn as a light base layer when tiles are missing
        (see :func:`routeplan.maps.streets.add_streets`).
    tier_order
        Configured tier names (``Settings.tier_names``): tiers unknown to the map's styles
        (``Platino``, ``Oro`` …) are drawn by their rank.

    Returns
    -------
    folium.Map
        The map; one ``folium.FeatureGroup`` per day (shown by the day tabs, one at a time),
        opening on today's route when the week has today, else the first day with visits.

    """
    routes = plan.routes.loc[plan.routes["rep_id"].astype(str) == str(rep_id)]
    routes = routes.sort_values(["date", "seq"])
    days = plan.days.loc[plan.days["rep_id"].astype(str) == str(rep_id)].sort_values("date")
    rep = rep_row(reps, rep_id)
    home, rep_name = _home_and_name(plan, rep_id, rep, days, routes)
    zone = in_wgs84(_rep_zone(zones, rep_id, rep))
    points = [home, *zip(routes["lat"], routes["lon"], strict=True)]
    if routes.empty:
        points += polygon_points(zone.geometry)
    m = base_map(points, fit=False)
    if streets:
        add_streets(m, streets)
    _zone_outline(m, zone)
    folium.Marker(
        home,
        icon=folium.DivIcon(html=home_icon_html(), icon_size=(22, 22), icon_anchor=(11, 11)),
        tooltip=esc(_("Home of {rep}", rep=rep_name)),
        z_index_offset=1000,
    ).add_to(m)
    day_list = days[["date", "day"]].to_records(index=False).tolist() if not days.empty else []
    if not day_list:
        day_list = routes[["date", "day"]].drop_duplicates().to_records(index=False).tolist()
    info = _client_info(clients, routes["client_id"])
    starts = dict(zip(days["date"].astype(str), days["start"].astype(str), strict=True))
    views = [
        _day_view(
            m,
            routes.loc[routes["date"] == date],
            (str(rep_id), str(date), str(day), starts.get(str(date), "")),
            home,
            (legs, info, tier_order),
        )
        for date, day in day_list
    ]
    _add_day_tabs(m, views, (plan.week, rep_id, rep_name), points, (days, routes))
    _rep_legend(routes, day_list, tier_order).add_to(m)
    plugins.LocateControl(
        icon="rp-locate-icon",
        iconLoading="rp-locate-icon",
        strings={
            "title": _("Show where I am"),
            "popup": _("You are within {{distance}} {{unit}} from this point"),
        },
    ).add_to(m)
    return m


def _add_day_tabs(
    m: folium.Map,
    views: list[DayView],
    who: tuple[int, str, str],
    points: list[tuple[float, float]],
    tables: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    """The tabs bar (a tab per day with its visit count, then "all week") and the sheet."""
    week, rep_id, rep_name = who
    days, routes = tables
    counts = {str(d): int(n) for d, n in routes["date"].astype(str).value_counts().items()}
    tabs = []
    for view in views:
        count = counts.get(view.date, 0)
        aria = ngettext("{count} stop", "{count} stops", count)
        tabs.append(
            f'<button type="button" role="tab" class="rp-tab" data-day="{esc(view.date)}" '
            f'aria-label="{esc(view.tab)}, {esc(aria)}"><b>{esc(view.tab)}</b>'
            f'<span class="rp-count">{count}</span></button>'
        )
    tabs.append(
        f'<button type="button" role="tab" class="rp-tab rp-tab-all" data-day="all">'
        f'<b>{esc(_("All week"))}</b><span class="rp-count">{len(routes)}</span></button>'
    )
    head = _("Week {week} · {rep} ({rep_id})", week=week, rep=rep_name, rep_id=rep_id)
    sheet = (
        f'<div class="rp-sheet-head">{esc(head)}</div><div class="rp-next"></div>'
        f'<details class="rp-daybox"><summary>{esc(_("Day plan"))}</summary>'
        '<div class="rp-day"></div></details>'
    )
    DayTabs(
        views,
        all_bounds=bounds_of(points),
        tabs_html="".join(tabs),
        sheet_html=sheet,
        week_body=_rep_panel_html(week, days, routes),
        day_done=f'<p class="rp-empty">{esc(_("All visits of today are done."))}</p>',
        tabs_label=_("Days of the week"),
    ).add_to(m)


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
            _(
                "rep '{rep}' is neither in reps nor in the plan of week {week}.",
                rep=rep_id,
                week=plan.week,
            ),
            hint=_("check the rep_id against reps.csv"),
        )
    if rep is not None:
        return (float(rep["home_lat"]), float(rep["home_lon"])), str(rep.get("name", rep_id))
    return (float(days.iloc[0]["home_lat"]), float(days.iloc[0]["home_lon"])), str(rep_id)


def _zone_outline(m: folium.Map, zone: gpd.GeoDataFrame) -> None:
    """Outline the rep's zone (dashed, not clickable)."""
    for _index, zone_row in zone.iterrows():
        folium.GeoJson(
            zone_row.geometry.__geo_interface__,
            name=esc(_("Zone {zone}", zone=zone_row.get("zone", ""))),
            style_function=lambda _f: {
                "color": ZONE_OUTLINE_COLOUR,
                "weight": 2,
                "dashArray": "6 4",
                "fillOpacity": 0.03,
            },
            interactive=False,
            control=False,
        ).add_to(m)


def _day_view(
    m: folium.Map,
    day_stops: pd.DataFrame,
    when: tuple[str, str, str, str],
    home: tuple[float, float],
    extras: tuple[dict | None, dict[str, pd.Series], Sequence[str]],
) -> DayView:
    """Add a day's layer (route, numbered stops) for ``when`` = (rep id, date, day, start).

    ``extras`` is (road legs, client rows by id, tier order). Returns the day's tab: its
    layer, bounds, next-stop cards and list, headed ``"lunes 22 de marzo · 12 visitas"``.
    """
    rep_id, date, day, start = when
    legs, info, tier_order = extras
    colour = day_colour(day)
    heading = _(
        "{day} · {visits}",
        day=day_heading(date, day),
        visits=ngettext("{count} visit", "{count} visits", len(day_stops)),
    )
    group = folium.FeatureGroup(name=esc(heading), show=False, control=False)
    group.routeplan_day = (day, date)  # type: ignore[attr-defined]
    lines = day_lines(day_stops, home, legs, (rep_id, date))
    tab = weekday_name(dt.date.fromisoformat(date), "abbreviated") if date else day
    if lines:
        folium.PolyLine(
            one_or_many(lines),
            color=colour,
            weight=5,
            opacity=0.85,
            dash_array=day_dash(day),
            tooltip=esc(tab),
        ).add_to(group)
    view = DayView(date=date, tab=tab, layer=group.get_name(), bounds=[])
    for _index, stop in day_stops.iterrows():
        client = info.get(str(stop["client_id"]))
        marker = _stop_marker(group, stop, (date, colour), client, tier_order)
        view.markers.append(marker.get_name())
        view.keyed.append((f"{date}#{int(stop['seq'])}", marker.get_name()))
        view.cards.append(
            (str(stop["depart"]), next_stop_html(stop, client, label=str(int(stop["seq"]))))
        )
    group.add_to(m)
    view.bounds = bounds_of([home, *zip(day_stops["lat"], day_stops["lon"], strict=True)])
    if day_stops.empty:
        view.bounds = []
    view.body = (
        f'<h4 class="rp-day-head">{esc(heading)}</h4>'
        + day_list_html(day_stops, start, date=date)
        + day_links_html(google_maps_day_links(day_stops, home))
    )
    return view


def _stop_marker(
    group: folium.FeatureGroup,
    stop: pd.Series,
    day: tuple[str, str],
    client: pd.Series | None,
    tier_order: Sequence[str],
) -> folium.Marker:
    """Add a numbered stop marker (a 44 px tap target) with the stop's card as its popup.

    ``day`` is (date, the day's colour).
    """
    date, colour = day
    seq = int(stop["seq"])
    key = f"{date}#{seq}"
    marker = folium.Marker(
        (float(stop["lat"]), float(stop["lon"])),
        icon=folium.DivIcon(
            html=marker_html(
                str(stop["tier"]), text=str(seq), ring=colour, key=key, order=tier_order
            ),
            icon_size=(44, 44),
            icon_anchor=(22, 22),
            class_name="rp-icon rp-hit",
        ),
    )
    marker.add_to(group)
    HtmlPopup(stop_card_html(stop, client, label=str(seq)), max_width=320).add_to(marker)
    return marker


def _rep_legend(routes: pd.DataFrame, day_list: list, tier_order: Sequence[str]) -> HtmlControl:
    """Legend: the week's tiers, home and each day's line (colour and dash pattern)."""
    tiers = ordered_tiers(routes["tier"].astype(str), tier_order)
    legend_rows = tier_legend_rows(tiers, tier_order)
    legend_rows.append(f"{home_icon_html()}<span>{esc(_('home'))}</span>")
    for date, d in day_list:
        dash = day_dash(str(d))
        name = weekday_name(dt.date.fromisoformat(str(date)), "wide") if date else str(d)
        legend_rows.append(
            f'<svg class="rp-dash" width="30" height="8" aria-hidden="true"><line x1="0" y1="4" '
            f'x2="30" y2="4" stroke="{day_colour(str(d))}" stroke-width="4"'
            f"{f' stroke-dasharray={chr(34)}{dash}{chr(34)}' if dash else ''}/></svg>"
            f"<span>{esc(name)}</span>"
        )
    return legend_control(legend_rows)


def _lunch_cell(day: pd.Series) -> str:
    """The day's planned lunch (``lunch_start``–``lunch_end`` of days.csv), escaped; or empty."""
    start, end = day.get("lunch_start"), day.get("lunch_end")
    if not isinstance(start, str) or not start.strip():
        return ""
    return f"{clock_text(start)}–{clock_text(end)}"


def _rep_panel_html(week: int, days: pd.DataFrame, routes: pd.DataFrame) -> str:
    """The whole week's table (the "all week" tab): visits, drive, km, lunch and end per day."""
    rows = []
    for _index, day in days.iterrows():
        colour = day_colour(str(day["day"]))
        rows.append(
            f'<tr><td><span class="rp-swatch" style="background:{colour}"></span>'
            f"{esc(day_name(day['day']))}</td><td>{int(day['visits'])}</td>"
            f"<td>{esc(duration_text(day['travel_min']))}</td><td>{km_text(day['km'])}</td>"
            f"<td>{_lunch_cell(day)}</td><td>{clock_text(day['end'])}</td></tr>"
        )
    if not days.empty:
        rows.append(
            f'<tr class="rp-total"><td>{esc(_("Week"))}</td><td>{int(days["visits"].sum())}</td>'
            f"<td>{esc(duration_text(days['travel_min'].sum()))}</td>"
            f"<td>{km_text(days['km'].sum())}</td><td></td><td></td></tr>"
        )
    catch_ups = sum(truthy(v) for v in routes["catch_up"])
    marked = ngettext(
        "{count} catch-up visit marked ↺.", "{count} catch-up visits marked ↺.", catch_ups
    )
    note = f"<p>{esc(marked)}</p>" if catch_ups else ""
    headings = "".join(
        f"<th>{esc(h)}</th>"
        for h in (_("Day"), _("Visits"), _("Drive"), _("km"), _("Lunch break"), _("Back home"))
    )
    return f"<table><thead><tr>{headings}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"


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
    page = phone_friendly(_stable_ids(root, root.render()))
    built_with = getattr(m, "routeplan_node_modules", None)
    if offline or built_with is not None:
        page = page.replace("<head>", "<head>\n<script>window.RP_OFFLINE = true;</script>", 1)
        found = find_node_modules(node_modules or built_with)
        if found is None:
            raise RouteplanError(
                _("offline maps need Leaflet's files from npm, and no node_modules was found."),
                hint=_("run `npm ci` in tests/browser or set ROUTEPLAN_NODE_MODULES"),
            )
        page = inline_assets(page, node_modules=found)
    with writing(path):
        path.write_text(page, encoding="utf-8")
    return path


_HEX_ID = re.compile(r"[0-9a-f]{32}")
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>', re.DOTALL)
VIEWPORT_META = '<meta name="viewport" content="width=device-width, initial-scale=1" />'
"""The maps' viewport: phone width, and page zoom left to the user (no maximum scale)."""

_HTML_TAG = re.compile(r"<html(?![^>]*\blang=)([^>]*)>", re.IGNORECASE)


def phone_friendly(page: str) -> str:
    """Allow page zoom (folium forbids it) and mark the page's language: ``<html lang="es">``."""
    page = _VIEWPORT.sub(VIEWPORT_META, page, count=1)
    return _HTML_TAG.sub(lambda m: f'<html lang="{page_language()}"{m.group(1)}>', page, count=1)


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
