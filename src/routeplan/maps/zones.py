"""Zones before and after rebalancing, as two toggleable layers on one map."""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from routeplan.i18n import _, ngettext
from routeplan.maps.base import base_map, esc, in_wgs84, legend_control, polygon_points
from routeplan.maps.controls import HtmlControl
from routeplan.maps.streets import add_streets
from routeplan.maps.style import DROPPED_COLOUR, REP_COLOURS

MAX_UNCHANGED_CLIENTS = 5000
"""Above this many clients only those that change zone are drawn (keeps the file small)."""


def zones_compare_map(
    before: gpd.GeoDataFrame,
    after: gpd.GeoDataFrame,
    *,
    clients: pd.DataFrame | None = None,
    offline_assets: Path | None = None,
    streets: list[list[tuple[float, float]]] | None = None,
) -> folium.Map:
    """Zones before and after rebalancing as two toggleable layers.

    Parameters
    ----------
    before, after
        Zone polygons with a ``zone`` column.
    clients
        Optional clients (``lat``, ``lon``, ``name``, ``client_id``): counted per zone in the
        tooltips; clients whose zone changes get their own highlighted layer.
    offline_assets
        ``node_modules`` directory; when given, ``save_map`` inlines the JS/CSS from it.
    streets
        Street lines drawn as a light base layer offline or when tiles fail.

    Returns
    -------
    folium.Map
        Layers ``"Before (n zones)"``, ``"After (n zones)"`` and, with clients, ``"Clients"``
        and ``"Clients that change zone (k)"``.

    """
    before = in_wgs84(before)
    after = in_wgs84(after)
    m = base_map(
        polygon_points(before.geometry) + polygon_points(after.geometry),
        offline_assets=offline_assets,
    )
    if streets:
        add_streets(m, streets)
    owner = _zone_of_clients(clients, before, after)
    zone_ids = sorted({*before["zone"].astype(str), *after["zone"].astype(str)})
    colour = {z: REP_COLOURS[i % len(REP_COLOURS)] for i, z in enumerate(zone_ids)}
    for key, layer, style in (
        ("before", before, {"weight": 2.5, "dashArray": "6 5", "fillOpacity": 0.0}),
        ("after", after, {"weight": 3, "fillOpacity": 0.18}),
    ):
        _zone_layer(m, (key, layer, style), colour, owner.get(key))
    if owner and clients is not None:
        _client_layers(m, clients, owner, colour)
    _compare_legend(zone_ids, colour, bool(owner)).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def _zone_of_clients(
    clients: pd.DataFrame | None, before: gpd.GeoDataFrame, after: gpd.GeoDataFrame
) -> dict[str, pd.Series]:
    """Every client's zone ``"before"`` and ``"after"`` (by position); empty without clients."""
    owner: dict[str, pd.Series] = {}
    if clients is None or clients.empty:
        return owner
    points = gpd.GeoDataFrame(
        clients.reset_index(drop=True),
        geometry=gpd.points_from_xy(clients["lon"], clients["lat"]),
        crs=4326,
    )
    for label, layer in (("before", before), ("after", after)):
        joined = gpd.sjoin(points, layer[["zone", "geometry"]], how="left", predicate="intersects")
        joined = joined[~joined.index.duplicated(keep="first")]
        owner[label] = joined["zone_right" if "zone_right" in joined else "zone"].astype(str)
    return owner


def _zone_layer(
    m: folium.Map,
    spec: tuple[str, gpd.GeoDataFrame, dict],
    colour: dict[str, str],
    owner: pd.Series | None,
) -> None:
    """One zones layer (``spec`` = ``"before"``/``"after"``, zones, line style), with counts."""
    key, layer, style = spec
    shown = layer[["zone", "geometry"]].copy()
    shown["zone"] = shown["zone"].astype(str)
    shown["colour"] = [colour[z] for z in shown["zone"]]
    shown["zone_txt"] = [esc(z) for z in shown["zone"]]
    fields, aliases = ["zone_txt"], [esc(_("Zone"))]
    if owner is not None:
        counts = owner.value_counts()
        shown["clients"] = [int(counts.get(z, 0)) for z in shown["zone"]]
        fields.append("clients")
        aliases.append(esc(_("Clients before") if key == "before" else _("Clients after")))
    zones = ngettext("{count} zone", "{count} zones", len(shown))
    name = (
        _("Before ({zones})", zones=zones) if key == "before" else _("After ({zones})", zones=zones)
    )
    folium.GeoJson(
        shown.to_json(),
        name=esc(name),
        style_function=lambda f, s=style: {
            **s,
            "color": f["properties"]["colour"],
            "fillColor": f["properties"]["colour"],
        },
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
    ).add_to(m)


def _client_layers(
    m: folium.Map, clients: pd.DataFrame, owner: dict[str, pd.Series], colour: dict[str, str]
) -> None:
    """The clients (all, up to :data:`MAX_UNCHANGED_CLIENTS`) and those that change zone."""
    draw_all = len(clients) <= MAX_UNCHANGED_CLIENTS
    name = (
        _("Clients ({count})", count=len(clients))
        if draw_all
        else _("Clients (not drawn: {count})", count=len(clients))
    )
    group = folium.FeatureGroup(name=esc(name), show=True)
    moved = folium.FeatureGroup(name="", show=True)
    moved_count = 0
    for i, row in enumerate(clients.itertuples(index=False)):
        was, now = owner["before"].iloc[i], owner["after"].iloc[i]
        changed = was != now
        moved_count += changed
        if not (changed or draw_all):
            continue
        folium.CircleMarker(
            (float(row.lat), float(row.lon)),
            radius=7 if changed else 3,
            color=DROPPED_COLOUR if changed else "#333",
            weight=3 if changed else 1,
            fill=True,
            fill_color=colour.get(now, "#999"),
            fill_opacity=0.9,
            tooltip=esc(
                _("{client}: zone {before} → {after}", client=row.name, before=was, after=now)
                if changed
                else _("{client}: zone {zone}", client=row.name, zone=now)
            ),
        ).add_to(moved if changed else group)
    moved.layer_name = esc(_("Clients that change zone ({count})", count=moved_count))
    group.add_to(m)
    moved.add_to(m)


def _compare_legend(zone_ids: list[str], colour: dict[str, str], with_clients: bool) -> HtmlControl:
    """Legend: a swatch per zone, the before/after lines and the moved-client ring."""
    rows = [
        f'<span class="rp-swatch" style="background:{colour[z]}"></span>'
        f"<span>{esc(_('zone {zone}', zone=z))}</span>"
        for z in zone_ids
    ]
    rows += [
        '<span class="rp-line" style="border-top:3px dashed #555;height:0"></span>'
        f"<span>{esc(_('before'))}</span>",
        f'<span class="rp-line" style="background:#555"></span><span>{esc(_("after"))}</span>',
    ]
    if with_clients:
        rows.append(
            f'<span class="rp-swatch" style="border:3px solid {DROPPED_COLOUR};border-radius:50%">'
            f"</span><span>{esc(_('client changes zone'))}</span>"
        )
    return legend_control(rows)
