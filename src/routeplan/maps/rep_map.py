"""Folium (Leaflet) maps: the rep's week, the managers' overview, zones before/after.

Every map has OpenStreetMap tiles with their attribution, loads only Leaflet (plus the
marker-cluster and locate plugins where used) and draws its markers, panels and legends with
plain HTML and CSS, so routes, markers and panels show even when the tiles cannot load.
``save_map(..., offline=True)`` inlines the JavaScript and CSS from local npm packages (see
:mod:`routeplan.maps.assets`) so the file needs no internet at all except for tiles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element
from folium import plugins

from routeplan.calendar.wording import reason_text
from routeplan.config import WEEKDAYS
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
    fit_view,
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
from routeplan.maps.controls import ExpandOnWideScreens, HtmlControl, HtmlPopup
from routeplan.maps.managers import CLUSTER_THRESHOLD, managers_map, zone_workload
from routeplan.maps.style import (
    ZONE_OUTLINE_COLOUR,
    day_colour,
    home_icon_html,
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
        (_("Client"), f"{esc(row['name'])} <small>({esc(row['client_id'])})</small>"),
        (_("Tier"), esc(row["tier"])),
        (
            _("Day"),
            esc(
                _(
                    "{day}, stop {seq}",
                    day=day_heading(row["date"], row["day"]),
                    seq=int(row["seq"]),
                )
            ),
        ),
        (_("Arrive"), clock_text(row["arrive"])),
    ]
    if int(row.get("wait_min", 0) or 0) > 0:
        start = _(
            "{time} (waits {minutes} min)",
            time=clock_text(row["start"]),
            minutes=int(row["wait_min"]),
        )
        fields.append((_("Start"), start))
    fields += [
        (_("Depart"), clock_text(row["depart"])),
        (_("Service"), esc(_("{minutes} min", minutes=int(row["service_min"])))),
        (_("Address"), esc(row.get("address", ""))),
    ]
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in fields)
    reason = ""
    if truthy(row.get("catch_up", False)):
        text = _("Catch-up visit: {reason}", reason=reason_text(row.get("reason", "")))
        reason = f'<p class="rp-reason">{esc(text)}</p>'
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
    tier_order: Sequence[str] = (),
) -> folium.Map:
    """Draw a rep's week: a toggleable layer per day, numbered stops, panel and legend.

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
    offline_assets
        ``node_modules`` directory; when given, :func:`save_map` inlines the JS/CSS from it.
    tier_order
        Configured tier names (``Settings.tier_names``): tiers unknown to the map's styles
        (``Platino``, ``Oro`` …) are drawn by their rank.

    Returns
    -------
    folium.Map
        The map; day layers are ``folium.FeatureGroup`` named after the day and its visits,
        ``"Monday 22 March · 12 visits"`` (``"lunes 22 de marzo · 12 visitas"`` in ``es``).

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
        icon=folium.DivIcon(html=home_icon_html(), icon_size=(22, 22), icon_anchor=(11, 11)),
        tooltip=esc(_("Home of {rep}", rep=rep_name)),
        z_index_offset=1000,
    ).add_to(m)

    panel = HtmlControl("", position="bottomleft")
    day_list = days[["date", "day"]].to_records(index=False).tolist() if not days.empty else []
    if not day_list:
        day_list = routes[["date", "day"]].drop_duplicates().to_records(index=False).tolist()
    day_sections = [
        _day_layer(
            m,
            panel,
            routes.loc[routes["date"] == date],
            (str(rep_id), date, day),
            (home, legs, tier_order),
        )
        for date, day in day_list
    ]
    panel.html = _rep_panel_html(plan.week, rep_id, rep_name, days, routes, day_sections)
    panel.add_to(m)
    fit_view(m, points, beside_panel=True)
    _rep_legend(routes, day_list, tier_order).add_to(m)
    plugins.LocateControl(
        icon="rp-locate-icon",
        iconLoading="rp-locate-icon",
        strings={
            "title": _("Show where I am"),
            "popup": _("You are within {{distance}} {{unit}} from this point"),
        },
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


def _day_layer(
    m: folium.Map,
    panel: HtmlControl,
    day_stops: pd.DataFrame,
    when: tuple[str, object, object],
    drawing: tuple[tuple[float, float], dict | None, Sequence[str]],
) -> str:
    """Add a day's layer (route, numbered stops) for ``when`` = (rep id, date, day).

    ``drawing`` is (home, road legs, tier order). Returns the day's section of the panel: the
    stop list and Google Maps links.
    """
    rep_id, date, day = when
    home, legs, tier_order = drawing
    colour = day_colour(str(day))
    heading = day_heading(date, day)
    visits = ngettext("{count} visit", "{count} visits", len(day_stops))
    label = (
        f'<span class="rp-swatch" style="background:{colour}"></span>'
        f"{esc(_('{day} · {visits}', day=heading, visits=visits))}"
    )
    group = folium.FeatureGroup(name=label, show=True)
    group.routeplan_day = (str(day), str(date))  # type: ignore[attr-defined]
    lines = day_lines(day_stops, home, legs, (rep_id, str(date)))
    if lines:
        folium.PolyLine(one_or_many(lines), color=colour, weight=5, opacity=0.8).add_to(group)
    items = [
        _stop_marker(group, panel, stop, (date, colour), tier_order)
        for _index, stop in day_stops.iterrows()
    ]
    group.add_to(m)
    links = google_maps_day_links(day_stops, home)
    link_html = "".join(
        f'<a class="rp-gmaps" href="{esc(url)}" target="_blank" rel="noopener">'
        f"{esc(_gmaps_label(i, len(links)))}</a>"
        for i, url in enumerate(links, 1)
    )
    return (
        f'<h4><span class="rp-swatch" style="background:{colour}"></span>'
        f"{esc(heading)}</h4><ol>{''.join(items)}</ol>{link_html}"
    )


def _gmaps_label(part: int, parts: int) -> str:
    """The text of a day's Google Maps link; numbered when the day needs several links."""
    if parts == 1:
        return _("Open in Google Maps")
    return _("Open in Google Maps ({part}/{parts})", part=part, parts=parts)


def _stop_marker(
    group: folium.FeatureGroup,
    panel: HtmlControl,
    stop: pd.Series,
    day: tuple[object, str],
    tier_order: Sequence[str],
) -> str:
    """Add a numbered stop marker with its popup; return the stop's item in the panel list.

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
        f"{clock_text(stop['arrive'])} {esc(stop['name'])} ({esc(stop['tier'])})"
        f"{catch}</a></li>"
    )


def _rep_legend(routes: pd.DataFrame, day_list: list, tier_order: Sequence[str]) -> HtmlControl:
    """Legend: the week's tiers, home and one line colour per day."""
    tiers = ordered_tiers(routes["tier"].astype(str), tier_order)
    legend_rows = tier_legend_rows(tiers, tier_order)
    legend_rows.append(f"{home_icon_html()}<span>{esc(_('home'))}</span>")
    legend_rows += [
        f'<span class="rp-line" style="background:{day_colour(str(d))}"></span>'
        f"<span>{esc(weekday_name(WEEKDAYS.index(str(d))) if d in WEEKDAYS else d)}</span>"
        for _date, d in day_list
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
    for _index, day in days.iterrows():
        colour = day_colour(str(day["day"]))
        rows.append(
            f'<tr><td><span class="rp-swatch" style="background:{colour}"></span>'
            f"{esc(day_name(day['day']))}</td><td>{int(day['visits'])}</td>"
            f"<td>{esc(duration_text(day['travel_min']))}</td><td>{km_text(day['km'])}</td>"
            f"<td>{clock_text(day['end'])}</td></tr>"
        )
    if not days.empty:
        rows.append(
            f'<tr class="rp-total"><td>{esc(_("Week"))}</td><td>{int(days["visits"].sum())}</td>'
            f"<td>{esc(duration_text(days['travel_min'].sum()))}</td>"
            f"<td>{km_text(days['km'].sum())}</td><td></td></tr>"
        )
    catch_ups = sum(truthy(v) for v in routes["catch_up"])
    marked = ngettext(
        "{count} catch-up visit marked ↺.", "{count} catch-up visits marked ↺.", catch_ups
    )
    note = f"<p>{esc(marked)}</p>" if catch_ups else ""
    headings = "".join(
        f"<th>{esc(h)}</th>" for h in (_("Day"), _("Visits"), _("Drive"), _("km"), _("Back home"))
    )
    summary = _("Week {week} · {rep} ({rep_id})", week=week, rep=rep_name, rep_id=rep_id)
    return (
        f"<details><summary>{esc(summary)}</summary>"
        f"<table><thead><tr>{headings}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
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
    page = _with_lang(_stable_ids(root, root.render()))
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
_HTML_TAG = re.compile(r"<html(?![^>]*\blang=)([^>]*)>", re.IGNORECASE)


def _with_lang(page: str) -> str:
    """Mark the page with the language its texts are in: ``<html lang="es">``."""
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
