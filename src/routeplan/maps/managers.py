"""The managers' week map: zones by workload, clients by tier, every route, dropped visits."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from routeplan.config import Settings
from routeplan.i18n import (
    _,
    format_number,
    format_percent,
    ngettext,
    translate,
)
from routeplan.maps.base import (
    base_map,
    day_heading,
    day_lines,
    esc,
    in_wgs84,
    legend_control,
    one_or_many,
    ordered_tiers,
    polygon_points,
    rep_row,
    tier_legend_rows,
)
from routeplan.maps.controls import ClientCluster, ExpandOnWideScreens, HtmlControl, HtmlPopup
from routeplan.maps.manager_panels import ManagerScripts, dropped_panel, summary_table_html
from routeplan.maps.streets import add_streets
from routeplan.maps.style import (
    DROPPED_COLOUR,
    REP_COLOURS,
    WORKLOAD_BANDS,
    home_icon_html,
    marker_html,
    tier_style,
    workload_colour,
)
from routeplan.model.plan import WeekPlan
from routeplan.model.reasons import reason_text
from routeplan.model.repday import rep_day
from routeplan.routing.problem import REASON_CAPACITY, REASON_LOAD, REASON_TIME

CLUSTER_THRESHOLD = 300
"""Clients are clustered on the managers' map (all tiers in one clustering, each cluster a pie
of its tiers) when there are more than this; fewer are drawn one by one, a layer per tier."""


def _capacity_hours(rep: pd.Series | None, n_days: int, settings: Settings) -> float:
    """Working hours of a rep in the week: days × (day length − lunch)."""
    return n_days * rep_day(rep, settings.workday).available_min / 60.0


CAPACITY_REASONS: tuple[str, ...] = (REASON_CAPACITY, REASON_TIME, REASON_LOAD)
"""Dropped-visit reasons that mean the rep had no time (or room) left: their work counts in
the zone's load."""


def is_capacity_reason(reason: object) -> bool:
    """Whether a dropped visit's reason is a lack of time or capacity (:data:`CAPACITY_REASONS`)."""
    text = str(reason)
    return any(text.startswith(code) for code in CAPACITY_REASONS)


def _service_of(client_id: str, tier: str, clients: pd.DataFrame, settings: Settings) -> float:
    """Service minutes of a client: its ``service_min`` cell, else its tier's default."""
    if "service_min" in clients.columns:
        match = clients.loc[clients["client_id"].astype(str) == client_id, "service_min"]
        if not match.empty and pd.notna(match.iloc[0]):
            return float(match.iloc[0])
    cadence = settings.cadence.get(tier)
    return float(cadence.service_min) if cadence is not None else 30.0


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
        as ``"AAA 2 · AA 5"``), ``revenue``, ``visits``, ``dropped``, ``dropped_capacity``
        (dropped for lack of time or capacity), ``drive_h``, ``work_h`` (drive + service +
        waiting of the planned visits), ``dropped_h`` (the capacity-dropped visits' service plus
        the rep's mean drive per visit), ``capacity_h`` and ``load`` =
        (work_h + dropped_h) / capacity_h, so a zone that ran out of time shows over 100 %.

    """
    order = settings.tier_names
    rows = []
    for _index, zone in zones.iterrows():
        zone_id = str(zone["zone"])
        rep_id = (
            str(zone["rep_id"]) if "rep_id" in zones.columns and pd.notna(zone["rep_id"]) else ""
        )
        if not rep_id and "zone" in reps.columns:
            match = reps.loc[reps["zone"].astype(str) == zone_id, "rep_id"]
            rep_id = str(match.iloc[0]) if not match.empty else ""
        rep = rep_row(reps, rep_id) if rep_id else None
        in_zone = clients.loc[clients["zone"].astype(str) == zone_id]
        counts = in_zone["tier"].astype(str).value_counts()
        tiers = " · ".join(f"{t} {counts[t]}" for t in ordered_tiers(counts.index, order))
        rep_routes = plan.routes.loc[plan.routes["rep_id"].astype(str) == rep_id]
        rep_days = plan.days.loc[plan.days["rep_id"].astype(str) == rep_id]
        drive_min = float(rep_days["travel_min"].sum())
        work_min = drive_min + float(rep_routes["service_min"].sum())
        work_min += float(rep_routes["wait_min"].sum())
        n_days = len(rep_days) if not rep_days.empty else len(settings.workday.workdays)
        capacity = _capacity_hours(rep, n_days, settings) if rep_id else 0.0
        rep_dropped = plan.dropped.loc[plan.dropped["rep_id"].astype(str) == rep_id]
        lost = rep_dropped.loc[[is_capacity_reason(r) for r in rep_dropped["reason_code"]]]
        per_visit = drive_min / len(rep_routes) if len(rep_routes) else 0.0
        dropped_min = float(
            sum(
                _service_of(c, t, clients, settings)
                for c, t in zip(
                    lost["client_id"].astype(str), lost["tier"].astype(str), strict=True
                )
            )
        ) + per_visit * len(lost)
        rows.append(
            {
                "zone": zone_id,
                "rep_id": rep_id,
                "rep_name": str(rep["name"]) if rep is not None and "name" in rep.index else rep_id,
                "clients": len(in_zone),
                "tiers": tiers,
                "revenue": float(in_zone["revenue"].sum()) if "revenue" in in_zone else 0.0,
                "visits": len(rep_routes),
                "dropped": len(rep_dropped),
                "dropped_capacity": len(lost),
                "drive_h": drive_min / 60.0,
                "work_h": work_min / 60.0,
                "dropped_h": dropped_min / 60.0,
                "capacity_h": capacity,
                "load": (work_min + dropped_min) / 60.0 / capacity if capacity > 0 else math.nan,
            }
        )
    return pd.DataFrame(rows)


def _client_layers(m: folium.Map, clients: pd.DataFrame, order: Sequence[str]) -> None:
    """Clients by tier: one layer per tier, or one cluster of all tiers when there are many."""
    tiers = ordered_tiers(clients["tier"].astype(str), order)
    if len(clients) > CLUSTER_THRESHOLD:
        index = {tier: i for i, tier in enumerate(tiers)}
        data = [
            [
                float(r.lat),
                float(r.lon),
                esc(f"{r.name} ({r.client_id}, {r.tier})"),
                index[str(r.tier)],
            ]
            for r in clients.itertuples(index=False)
        ]
        ClientCluster(
            data,
            icons=[marker_html(t, kind="client", order=order) for t in tiers],
            colours=[tier_style(t, order).colour for t in tiers],
            name=esc(_("Clients ({count})", count=len(clients))),
        ).add_to(m)
        return
    for tier in tiers:
        subset = clients.loc[clients["tier"].astype(str) == tier]
        name = esc(_("Clients {tier} ({count})", tier=tier, count=len(subset)))
        icon_html = marker_html(tier, kind="client", order=order)
        group = folium.FeatureGroup(name=name, show=True)
        for r in subset.itertuples(index=False):
            folium.Marker(
                (float(r.lat), float(r.lon)),
                icon=folium.DivIcon(
                    html=icon_html, icon_size=(12, 12), icon_anchor=(6, 6), class_name="rp-icon"
                ),
                tooltip=esc(f"{r.name} ({r.client_id}, {tier})"),
            ).add_to(group)
        group.add_to(m)


def managers_map(
    plan: WeekPlan,
    *,
    clients: pd.DataFrame,
    reps: pd.DataFrame,
    zones: gpd.GeoDataFrame,
    settings: Settings,
    legs: dict | None = None,
    offline_assets: Path | None = None,
    streets: list[list[tuple[float, float]]] | None = None,
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
    streets
        Street lines drawn as a light base layer offline or when tiles fail
        (:func:`routeplan.maps.streets.add_streets`).

    Returns
    -------
    folium.Map
        Zones coloured by hours planned / capacity (tooltips with zone statistics), one layer
        per tier of clients (clustered above :data:`CLUSTER_THRESHOLD` clients in the tier),
        one route layer per rep and a layer of dropped visits.

    """
    zones = in_wgs84(zones)
    stats = zone_workload(plan, clients=clients, reps=reps, zones=zones, settings=settings)
    points = list(zip(clients["lat"], clients["lon"], strict=True)) + polygon_points(zones.geometry)
    m = base_map(points, offline_assets=offline_assets)
    if streets:
        add_streets(m, streets)
    shown = _zones_shown(zones, stats)
    _zone_layer(m, shown)
    labels = _zone_labels(m, shown)
    order = settings.tier_names
    _client_layers(m, clients, order)
    _route_layers(m, plan, reps, legs)
    names = _rep_names(reps)
    dropped = _dropped_layer(m, plan.dropped, names)
    _managers_panel(plan, stats).add_to(m)
    dropped_panel(plan.dropped, names).add_to(m)
    _managers_legend(clients, order).add_to(m)
    control = folium.LayerControl(collapsed=True, position="topleft")
    control.add_to(m)
    ExpandOnWideScreens(control).add_to(m)
    ManagerScripts(dropped=dropped, labels=labels).add_to(m)
    return m


def _rep_names(reps: pd.DataFrame) -> dict[str, str]:
    """Rep name by ``rep_id`` (the id when the name is empty)."""
    names = reps["name"] if "name" in reps.columns else reps["rep_id"]
    return {
        str(r): str(n) if pd.notna(n) and str(n).strip() else str(r)
        for r, n in zip(reps["rep_id"], names, strict=True)
    }


def _zones_shown(zones: gpd.GeoDataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    """The zones with their statistics as tooltip texts and a fill colour by workload."""
    shown = zones[["zone", "geometry"]].copy()
    shown["zone"] = shown["zone"].astype(str)
    shown = shown.merge(stats, on="zone", how="left")
    shown["fill"] = [workload_colour(x) for x in shown["load"]]
    needed = shown["work_h"] + shown["dropped_h"]
    shown["workload"] = [
        esc(
            _(
                "{work} h of {capacity} h ({load})",
                work=format_number(w),
                capacity=format_number(c),
                load=format_percent(x),
            )
        )
        if c > 0
        else esc(_("no rep / capacity"))
        for w, c, x in zip(needed, shown["capacity_h"], shown["load"], strict=True)
    ]
    shown["lost"] = [
        esc(
            ngettext(
                "{hours} h ({count} visit)",
                "{hours} h ({count} visits)",
                int(n),
                hours=format_number(h),
            )
        )
        for h, n in zip(shown["dropped_h"], shown["dropped_capacity"], strict=True)
    ]
    shown["drive"] = [esc(_("{hours} h", hours=format_number(h))) for h in shown["drive_h"]]
    shown["revenue_txt"] = [format_number(v, 0) for v in shown["revenue"]]
    shown["rep"] = [
        esc(f"{n} ({r})") if r else "—"
        for n, r in zip(shown["rep_name"], shown["rep_id"], strict=True)
    ]
    shown["zone_txt"] = [esc(z) for z in shown["zone"]]
    shown["tiers"] = [esc(t) for t in shown["tiers"]]
    return shown


def _zone_layer(m: folium.Map, shown: pd.DataFrame) -> None:
    """Zone polygons coloured by workload, with the zone's statistics in a tooltip."""
    fields = [
        "zone_txt",
        "rep",
        "workload",
        "lost",
        "tiers",
        "visits",
        "dropped",
        "drive",
        "revenue_txt",
    ]
    aliases = [
        esc(label)
        for label in (
            _("Zone"),
            _("Rep"),
            _("Workload"),
            _("Dropped for lack of time"),
            _("Clients per tier"),
            _("Visits this week"),
            _("Dropped"),
            _("Drive"),
            _("Revenue"),
        )
    ]
    gdf = gpd.GeoDataFrame(shown[[*fields, "fill", "geometry"]], geometry="geometry", crs=4326)
    folium.GeoJson(
        gdf.to_json(),
        name=esc(_("Zones by workload")),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#444",
            "weight": 1.5,
            "fillOpacity": 0.45,
        },
        highlight_function=lambda _f: {"weight": 4, "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
    ).add_to(m)


def _zone_labels(m: folium.Map, shown: pd.DataFrame) -> list[str]:
    """Each zone's name and load at a point inside it; returns the label markers' JS names.

    The busiest zones come first: where labels would overlap, the page shows those.
    """
    labels = folium.FeatureGroup(name=esc(_("Zone labels")), show=True)
    names = []
    ordered = shown.assign(_key=shown["load"].fillna(-1)).sort_values("_key", ascending=False)
    for row in ordered.itertuples(index=False):
        spot = row.geometry.representative_point()
        load = "" if math.isnan(row.load) else f"<br>{esc(format_percent(row.load))}"
        label = folium.Marker(
            (spot.y, spot.x),
            icon=folium.DivIcon(
                html=f'<div class="rp-zone-label">{esc(row.zone)}{load}</div>',
                icon_size=(64, 32),
                icon_anchor=(32, 16),
                class_name="rp-icon",
            ),
            interactive=False,
        )
        label.add_to(labels)
        names.append(label.get_name())
    labels.add_to(m)
    return names


def _route_layers(m: folium.Map, plan: WeekPlan, reps: pd.DataFrame, legs: dict | None) -> None:
    """One layer per rep with visits: the day routes and the rep's home."""
    rep_ids = list(dict.fromkeys([*reps["rep_id"].astype(str), *plan.routes["rep_id"].astype(str)]))
    many = len(rep_ids) > 12
    rep_colour = {r: REP_COLOURS[i % len(REP_COLOURS)] for i, r in enumerate(rep_ids)}
    for rep_id in rep_ids:
        rep_routes = plan.routes.loc[plan.routes["rep_id"].astype(str) == rep_id]
        rep_days = plan.days.loc[plan.days["rep_id"].astype(str) == rep_id]
        if rep_routes.empty:
            continue
        rep = rep_row(reps, rep_id)
        home = (
            (float(rep["home_lat"]), float(rep["home_lon"]))
            if rep is not None
            else (float(rep_days.iloc[0]["home_lat"]), float(rep_days.iloc[0]["home_lon"]))
        )
        name = str(rep["name"]) if rep is not None and "name" in rep.index else rep_id
        colour = rep_colour[rep_id]
        group = folium.FeatureGroup(
            name=f'<span class="rp-line" style="background:{colour}"></span> '
            f"{esc(_('Routes of {rep}', rep=name))}",
            show=not many,
        )
        _day_routes(group, rep_routes, (rep_id, name, colour), home, legs)
        folium.Marker(
            home,
            icon=folium.DivIcon(html=home_icon_html(), icon_size=(22, 22), icon_anchor=(11, 11)),
            tooltip=esc(_("Home of {rep}", rep=name)),
        ).add_to(group)
        group.add_to(m)


def _day_routes(
    group: folium.FeatureGroup,
    rep_routes: pd.DataFrame,
    who: tuple[str, str, str],
    home: tuple[float, float],
    legs: dict | None,
) -> None:
    """One line per day of a rep (``who`` = rep id, name, colour), on roads when ``legs``."""
    rep_id, name, colour = who
    for (date, day), day_stops in rep_routes.sort_values(["date", "seq"]).groupby(
        ["date", "day"], sort=True
    ):
        visits = ngettext("{count} visit", "{count} visits", len(day_stops))
        tip = esc(
            _("{rep} · {day} · {visits}", rep=name, day=day_heading(date, day), visits=visits)
        )
        lines = day_lines(day_stops, home, legs, (rep_id, str(date)))
        if lines:
            folium.PolyLine(
                one_or_many(lines), color=colour, weight=3, opacity=0.75, tooltip=tip
            ).add_to(group)


def _dropped_layer(m: folium.Map, dropped: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """A marker per dropped visit, its popup giving the reason; returns the markers' JS names.

    The page spreads markers of the same spot apart (see :mod:`routeplan.maps.scripts`).
    """
    group = folium.FeatureGroup(
        name=esc(_("Dropped visits ({count})", count=len(dropped))), show=True
    )
    found = []
    for _index, row in dropped.iterrows():
        rep = names.get(str(row["rep_id"]), str(row["rep_id"]))
        why = reason_text(row["reason_code"], row["reason"])
        popup = (
            f'<div class="rp-popup"><b>{esc(row["name"])}</b> ({esc(row["client_id"])})'
            f"<table><tr><th>{esc(_('Tier'))}</th><td>{esc(row['tier'])}</td></tr>"
            f"<tr><th>{esc(_('Rep'))}</th><td>{esc(rep)}</td></tr></table>"
            f'<p class="rp-reason">{esc(_("Dropped: {reason}", reason=why))}</p></div>'
        )
        marker = folium.Marker(
            (float(row["lat"]), float(row["lon"])),
            icon=folium.DivIcon(
                html='<div class="rp-dropped">!</div>',
                icon_size=(22, 22),
                icon_anchor=(11, 11),
                class_name="rp-icon",
            ),
            tooltip=esc(_("Dropped: {reason}", reason=row["name"])),
            z_index_offset=500,
        ).add_to(group)
        HtmlPopup(popup).add_to(marker)
        found.append(marker.get_name())
    group.add_to(m)
    return found


def _managers_legend(clients: pd.DataFrame, order: Sequence[str]) -> HtmlControl:
    """Legend: tiers, workload bands and the dropped-visit marker."""
    legend_rows = tier_legend_rows(ordered_tiers(clients["tier"].astype(str), order), order)
    legend_rows += [
        f'<span class="rp-swatch" style="background:{colour}"></span>'
        f"<span>{esc(translate(label))}</span>"
        for _upper, colour, label in WORKLOAD_BANDS
    ]
    legend_rows.append(
        f'<div class="rp-dropped" style="border-color:{DROPPED_COLOUR}">!</div>'
        f"<span>{esc(_('dropped visit'))}</span>"
    )
    return legend_control(legend_rows)


def _managers_panel(plan: WeekPlan, stats: pd.DataFrame) -> HtmlControl:
    """The week's totals with the zone table (sortable, folded until tapped)."""
    total_drive = float(plan.days["travel_min"].sum()) / 60 if not plan.days.empty else 0.0
    summary = _(
        "Week {week}: {visits}, {dropped} dropped, {hours} h driving",
        week=plan.week,
        visits=ngettext("{count} visit", "{count} visits", len(plan.routes)),
        dropped=len(plan.dropped),
        hours=format_number(total_drive),
    )
    return HtmlControl(
        f"<details><summary>{esc(summary)}</summary>{summary_table_html(stats)}</details>",
        position="bottomleft",
        css_class="rp-panel rp-summary",
        open_wide=False,
    )
