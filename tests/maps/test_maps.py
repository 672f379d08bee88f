"""The map builders, checked on the folium.Map objects (no browser)."""

from __future__ import annotations

import copy
import itertools
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import folium
import pandas as pd
import pytest
from folium import plugins
from helpers.map_world import CATCH_UP, DAYS, MapWorld, build_world, overflowing_plan
from hypothesis import given, settings
from hypothesis import strategies as st

from routeplan.errors import RouteplanError
from routeplan.i18n import use_language
from routeplan.maps.assets import CDN_PACKAGES, inline_assets, local_asset
from routeplan.maps.base import clock, day_heading, esc
from routeplan.maps.controls import ClientCluster, HtmlControl, HtmlPopup
from routeplan.maps.rep_map import (
    CLUSTER_THRESHOLD,
    _client_info,
    google_maps_day_links,
    managers_map,
    rep_week_map,
    save_map,
    zone_workload,
    zones_compare_map,
)
from routeplan.maps.style import (
    DAY_COLOURS,
    FALLBACK_TIER_STYLE,
    TIER_STYLES,
    WORKLOAD_BANDS,
    tier_style,
    workload_colour,
)
from routeplan.maps.today import DayTabs
from routeplan.model.reasons import reason_text
from routeplan.routing.problem import REASON_TIME


@pytest.fixture(scope="module")
def world() -> MapWorld:
    return build_world()


@pytest.fixture(scope="module")
def rep_map(world: MapWorld) -> folium.Map:
    return rep_week_map(world.plan, "R1", reps=world.reps, zones=world.zones)


def walk(element):
    for child in element._children.values():
        yield child
        yield from walk(child)


def layers(m: folium.Map) -> dict[str, folium.FeatureGroup]:
    return {
        re.sub(r"<[^>]+>", "", c.layer_name).strip(): c
        for c in m._children.values()
        if isinstance(c, folium.FeatureGroup)
    }


def day_layers(m: folium.Map) -> dict[str, folium.FeatureGroup]:
    """The rep map's day layers by their ``Mon``..``Sun`` code (labels are translated)."""
    return {
        group.routeplan_day[0]: group
        for group in layers(m).values()
        if hasattr(group, "routeplan_day")
    }


def markers(element) -> list[folium.Marker]:
    return [c for c in walk(element) if isinstance(c, folium.Marker)]


def icon_html(marker: folium.Marker) -> str:
    icons = [c for c in marker._children.values() if isinstance(c, folium.DivIcon)]
    assert len(icons) == 1
    return icons[0].options["html"]


def popup_of(marker: folium.Marker) -> str:
    popups = [c for c in marker._children.values() if isinstance(c, HtmlPopup)]
    assert len(popups) == 1
    return popups[0].content


def controls(m: folium.Map, css_class: str) -> list[HtmlControl]:
    return [c for c in walk(m) if isinstance(c, HtmlControl) and c.css_class == css_class]


# --- rep week map --------------------------------------------------------------------------------


def tabs_of(m: folium.Map) -> DayTabs:
    (tabs,) = [c for c in walk(m) if isinstance(c, DayTabs)]
    return tabs


def test_rep_map_has_one_layer_per_day_with_its_numbered_stops(world, rep_map):
    days = world.days_of("R1")
    by_day = day_layers(rep_map)
    assert list(by_day) == list(days["day"]) == list(DAYS)
    stops = world.stops("R1")
    tabs = tabs_of(rep_map)
    assert [v.date for v in tabs.days] == list(days["date"])
    for (day, group), view in zip(by_day.items(), tabs.days, strict=True):
        expected = stops.loc[stops["day"] == day].sort_values("seq")
        found = markers(group)
        assert [m.location for m in found] == [[r.lat, r.lon] for r in expected.itertuples()]
        numbers = [re.search(r"<span>(\d+)</span>", icon_html(m)).group(1) for m in found]
        assert numbers == [str(s) for s in expected["seq"]]
        assert all(f"--ring:{DAY_COLOURS[day]}" in icon_html(m) for m in found)
        # The tabs show one layer at a time: none is on before the page picks the day.
        assert group.show is False and view.layer == group.get_name()
        assert view.markers == [m.get_name() for m in found]
        assert f'data-day="{view.date}"' in tabs.tabs_html
        assert f'<span class="rp-count">{len(expected)}</span>' in tabs.tabs_html
    assert 'data-day="all"' in tabs.tabs_html and "All week" in tabs.tabs_html


def test_day_tabs_fit_each_day_and_hold_its_next_stop_cards(world, rep_map):
    stops = world.stops("R1")
    home = (60.19, 24.88)
    for view in tabs_of(rep_map).days:
        day = stops.loc[stops["date"] == view.date].sort_values("seq")
        lats = [home[0], *day["lat"]]
        lons = [home[1], *day["lon"]]
        assert view.bounds == [[min(lats), min(lons)], [max(lats), max(lons)]]
        assert [depart for depart, _card in view.cards] == list(day["depart"])
        for (_depart, card), stop in zip(view.cards, day.itertuples(), strict=True):
            assert "Next stop · ETA " + clock(stop.arrive) in card
            assert esc(stop.name) in card
        google = google_maps_day_links(day, home)
        assert all(esc(url) in view.body for url in google)


def test_stop_markers_are_coloured_and_shaped_by_tier(world, rep_map):
    stops = world.stops("R1").sort_values(["date", "seq"])
    found = [m for m in markers(rep_map) if "rp-stop" in icon_html(m)]
    assert len(found) == len(stops)
    for marker, tier in zip(found, stops["tier"], strict=True):
        style = TIER_STYLES[tier]
        assert f"rp-{style.shape}" in icon_html(marker)
        assert f"--tier:{style.colour}" in icon_html(marker)


def test_popup_shows_the_visit_and_the_catch_up_reason(world, rep_map):
    stops = world.stops("R1").sort_values(["date", "seq"])
    found = [m for m in markers(rep_map) if "rp-stop" in icon_html(m)]
    _rep, day, seq = CATCH_UP
    for marker, stop in zip(found, stops.itertuples(), strict=True):
        text = popup_of(marker)
        for value in (stop.name, stop.client_id, stop.tier, clock(stop.arrive)):
            assert esc(value) in text
        assert text.count(esc(stop.name)) == 1  # the name once
        assert clock(stop.depart) in text and f"{stop.service_min} min" in text
        assert stop.address in text
        assert f"destination={stop.lat:.6f},{stop.lon:.6f}" in text
        is_catch_up = (stop.day, stop.seq) == (day, seq)
        assert ("Catch-up visit" in text) == is_catch_up
        if is_catch_up:
            assert stop.reason in text


def test_routes_go_home_stops_home_or_follow_given_legs(world):
    stops = world.stops("R1")
    tue = stops.loc[stops["day"] == "Tue"].sort_values("seq")
    road = [[(60.19, 24.88), (60.2, 24.9)], [(60.2, 24.9), (60.19, 24.88)]]
    m = rep_week_map(
        world.plan,
        "R1",
        reps=world.reps,
        zones=world.zones,
        legs={("R1", tue["date"].iloc[0]): road},
    )
    by_day = day_layers(m)
    mon = stops.loc[stops["day"] == "Mon"].sort_values("seq")
    (line,) = [c for c in walk(by_day["Mon"]) if isinstance(c, folium.PolyLine)]
    home = [60.19, 24.88]
    assert line.locations == [home, *[[r.lat, r.lon] for r in mon.itertuples()], home]
    (road_line,) = [c for c in walk(by_day["Tue"]) if isinstance(c, folium.PolyLine)]
    assert road_line.locations == [[list(p) for p in part] for part in road]


def test_rep_map_shows_home_zone_sheet_legend_and_locate(world, rep_map):
    homes = [m for m in markers(rep_map) if "rp-home" in icon_html(m)]
    assert [h.location for h in homes] == [[60.19, 24.88]]
    zones = [c for c in rep_map._children.values() if isinstance(c, folium.GeoJson)]
    assert len(zones) == 1 and zones[0].data["features"][0]["geometry"]["type"] == "Polygon"
    tabs = tabs_of(rep_map)
    days = world.days_of("R1")
    assert "Aino Virtanen" in tabs.sheet_html and "Week 12" in tabs.sheet_html
    for end in days["end"]:
        assert clock(end) in tabs.week_body
    assert f"<td>{days['visits'].sum()}</td>" in tabs.week_body
    assert len(tabs.targets) == len(world.stops("R1"))
    for view, day in zip(tabs.days, days.itertuples(index=False), strict=True):
        assert esc(day_heading(day.date, day.day)) in view.body  # "Monday 22 March · 3 visits"
        assert esc(f"· {day.visits} visit") in view.body
    (legend,) = controls(rep_map, "rp-legend")
    for tier in world.stops("R1")["tier"].unique():
        assert TIER_STYLES[tier].label in legend.html
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        assert f"<span>{day}</span>" in legend.html
    assert legend.html.count("stroke-dasharray") == 4  # Monday solid, the others dashed
    assert any(isinstance(c, plugins.LocateControl) for c in walk(rep_map))


def test_a_day_without_visits_is_an_empty_layer(world):
    m = rep_week_map(world.plan, "R2", reps=world.reps, zones=world.zones)
    by_day = day_layers(m)
    assert list(by_day) == list(DAYS)
    assert list(by_day["Fri"]._children.values()) == []
    friday = tabs_of(m).days[-1]
    assert friday.cards == [] and friday.bounds == [] and "No visits planned" in friday.body
    assert sum(view.body.count("rp-gmaps") for view in tabs_of(m).days) == 4


def test_stop_card_has_phone_contact_notes_hours_and_tier_reason(world):
    clients = world.clients.copy()
    first = world.stops("R1").sort_values(["date", "seq"]).iloc[0]
    row = clients["client_id"] == first["client_id"]
    clients["phone"] = ""
    clients.loc[row, "phone"] = "+358 40 123 4567"
    clients.loc[row, "contact"] = "Liisa <script>"
    clients.loc[row, "notes"] = "Back door; ask for =SUM(A1)"
    clients.loc[row, "opens"] = "09:00"
    clients.loc[row, "closes"] = "17:00"
    clients.loc[row, "tier_reason"] = "top 5% of revenue"
    m = rep_week_map(world.plan, "R1", reps=world.reps, zones=world.zones, clients=clients)
    found = [mk for mk in markers(m) if "rp-stop" in icon_html(mk)]
    card = popup_of(found[0])
    assert 'href="tel:+358401234567"' in card
    assert "Liisa &lt;script&gt;" in card and "<script>" not in card
    assert "Back door; ask for =SUM(A1)" in card
    assert "9:00\u202fAM–5:00\u202fPM" in card and "AAA: top 5% of revenue" in card
    assert "open 9:00\u202fAM–5:00\u202fPM" in tabs_of(m).days[0].cards[0][1]
    assert "tel:" not in popup_of(found[1])  # no phone, no call button


def test_the_stop_cards_read_only_the_reps_own_clients(world):
    mine = world.stops("R1")["client_id"]
    clients = pd.concat(
        [world.clients, world.clients.head(1).assign(client_id="elsewhere", notes="not R1's")]
    )
    info = _client_info(clients, mine)
    assert set(info) == set(mine.astype(str)) and "elsewhere" not in info
    assert _client_info(clients, mine.iloc[0:0]) == {}


@pytest.mark.parametrize(
    ("language", "hours", "arrive"),
    [
        ("en", "9:00\u202fAM–5:00\u202fPM", "{h}:{m}\u202fAM"),
        ("es", "9:00–17:00", "{h}:{m}"),
        ("pt_BR", "09:00–17:00", "{hh}:{m}"),
    ],
)
def test_times_are_written_as_the_locale_writes_them(world, language, hours, arrive):
    clients = world.clients.assign(opens="09:00", closes="17:00")
    first = world.stops("R1").sort_values(["date", "seq"]).iloc[0]
    hh, m_ = first["arrive"].split(":")
    expected = arrive.format(h=int(hh), hh=hh, m=m_)
    with use_language(language):
        m = rep_week_map(world.plan, "R1", reps=world.reps, zones=world.zones, clients=clients)
    card = popup_of(next(mk for mk in markers(m) if "rp-stop" in icon_html(mk)))
    assert hours in card
    assert f"<td>{expected}" in card  # ETA, planned
    assert f'<span class="rp-time">{expected}</span>' in tabs_of(m).days[0].body
    assert first["arrive"] not in card or first["arrive"] == expected


def _with_lunch(world, at_seq: int, start: str, end: str):
    plan = copy.deepcopy(world.plan)
    routes = plan.routes.assign(break_start="", break_end="")
    first_day = routes.loc[routes["rep_id"] == "R1", "date"].min()
    row = (routes["rep_id"] == "R1") & (routes["date"] == first_day) & (routes["seq"] == at_seq)
    routes.loc[row, ["break_start", "break_end"]] = [start, end]
    plan.routes = routes
    return plan, first_day


def _minus(hhmm: str, minutes: int) -> str:
    hours, mins = map(int, hhmm.split(":"))
    total = hours * 60 + mins - minutes
    return f"{total // 60:02d}:{total % 60:02d}"


def test_the_day_list_shows_the_planned_lunch_before_its_stop(world):
    second = world.stops("R1").query("day == 'Mon' and seq == 2").iloc[0]
    start, end = _minus(second["start"], 40), _minus(second["start"], 10)
    plan, first_day = _with_lunch(world, 2, start, end)
    with use_language("es"):
        m = rep_week_map(plan, "R1", reps=world.reps, zones=world.zones)
    body = next(v.body for v in tabs_of(m).days if v.date == first_day)
    items = re.findall(r"<li[^>]*>(.*?)</li>", body)
    shown = f"Almuerzo {start.lstrip('0')}–{end.lstrip('0')}"  # es: 9:05, not 09:05
    lunch = [i for i, item in enumerate(items) if shown in item]
    stop_2 = [i for i, item in enumerate(items) if f'data-stop="{first_day}#2"' in item]
    assert len(lunch) == 1 and lunch[0] + 1 == stop_2[0]  # right before the stop it precedes
    assert "Sale de casa a las" in items[0]
    assert "Break or wait" not in body and "Pausa o espera" not in body  # nothing guessed


def test_a_lunch_after_the_last_stop_is_listed_after_it(world):
    last = world.stops("R1").query("day == 'Mon'")["seq"].max()
    depart = world.stops("R1").query("day == 'Mon'").sort_values("seq").iloc[-1]["depart"]
    start, end = depart, _minus(depart, -30)
    plan, first_day = _with_lunch(world, int(last), start, end)
    m = rep_week_map(plan, "R1", reps=world.reps, zones=world.zones)
    body = next(v.body for v in tabs_of(m).days if v.date == first_day)
    items = re.findall(r"<li[^>]*>(.*?)</li>", body)
    assert "Lunch break" in items[-1] and f'data-stop="{first_day}#{last}"' in items[-2]


def test_a_plan_without_a_break_lists_no_lunch(world, rep_map):
    for view in tabs_of(rep_map).days:
        assert "Lunch break" not in view.body


def test_a_stop_without_address_shows_its_coordinates(world):
    plan = copy.deepcopy(world.plan)
    plan.routes.loc[plan.routes.index[0], "address"] = ""
    m = rep_week_map(plan, "R1", reps=world.reps, zones=world.zones)
    stop = plan.routes.iloc[0]
    card = popup_of(next(mk for mk in markers(m) if "rp-stop" in icon_html(mk)))
    where = f"{stop['lat']:.6f},{stop['lon']:.6f}"
    assert f"No address: coordinates {where}" in card
    assert f"search/?api=1&amp;query={where}" in card


def test_names_are_escaped_in_html(world):
    plan = copy.deepcopy(world.plan)
    plan.routes.loc[plan.routes.index[0], "name"] = "<b>Bar & Grill</b>"
    m = rep_week_map(plan, "R1", reps=world.reps, zones=world.zones)
    first = next(mk for mk in markers(m) if "rp-stop" in icon_html(mk))
    assert "&lt;b&gt;Bar &amp; Grill&lt;/b&gt;" in popup_of(first)
    assert "<b>Bar" not in m.get_root().render()


def test_unknown_rep_is_a_clear_error(world):
    with pytest.raises(RouteplanError, match="rep 'R9'"):
        rep_week_map(world.plan, "R9", reps=world.reps, zones=world.zones)


def test_every_map_has_osm_attribution_and_loads_only_known_assets(world, rep_map):
    maps = [
        rep_map,
        managers_map(
            world.plan,
            clients=world.clients,
            reps=world.reps,
            zones=world.zones,
            settings=world.settings,
        ),
        zones_compare_map(world.zones, world.zones),
    ]
    for m in maps:
        tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
        assert len(tiles) == 1 and "OpenStreetMap" in tiles[0].options["attribution"]
        page = m.get_root().render()
        urls = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', page)
        assert urls and all(any(u.startswith(c.prefix) for c in CDN_PACKAGES) for u in urls), urls
        assert "$(" not in page  # no jQuery needed


# --- Google Maps links ---------------------------------------------------------------------------


def _points(url: str) -> list[str]:
    query = parse_qs(urlsplit(url).query)
    assert query["api"] == ["1"] and query["travelmode"] == ["driving"]
    via = query["waypoints"][0].split("|") if "waypoints" in query else []
    return [query["origin"][0], *via, query["destination"][0]]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 40), max_waypoints=st.integers(1, 9))
def test_google_links_visit_every_stop_once_in_order(n, max_waypoints):
    stops = pd.DataFrame(
        {"seq": range(n, 0, -1), "lat": [60 + i / 100 for i in range(n)], "lon": [25.0] * n}
    )
    home = (60.5, 24.5)
    links = google_maps_day_links(stops, home, max_waypoints=max_waypoints)
    if n == 0:
        assert links == []
        return
    parts = [_points(url) for url in links]
    assert all(len(p) - 2 <= max_waypoints for p in parts)
    for before, after in itertools.pairwise(parts):
        assert before[-1] == after[0]
    route = [parts[0][0]] + [pt for p in parts for pt in p[1:]]
    ordered = stops.sort_values("seq")
    expected = [f"{lat:.6f},{lon:.6f}" for lat, lon in zip(ordered.lat, ordered.lon, strict=True)]
    assert route == ["60.500000,24.500000", *expected, "60.500000,24.500000"]
    assert len(links) == -(-(n + 1) // (max_waypoints + 1))


def test_google_links_split_a_long_day():
    stops = pd.DataFrame({"seq": range(1, 13), "lat": [60.1] * 12, "lon": [24.9] * 12})
    links = google_maps_day_links(stops, (60.2, 24.8))
    assert len(links) == 4  # a phone's Google Maps honours 3 waypoints per link
    assert [len(_points(u)) - 2 for u in links] == [3, 3, 3, 0]
    assert links[0].startswith("https://www.google.com/maps/dir/?api=1&origin=60.200000,24.800000")


# --- managers' map -------------------------------------------------------------------------------


def test_zone_workload_counts_hours_against_capacity(world):
    stats = zone_workload(
        world.plan,
        clients=world.clients,
        reps=world.reps,
        zones=world.zones,
        settings=world.settings,
    ).set_index("zone")
    # R1 works 08:00-16:00, R2 08:00-10:00, both with 30 min lunch, 5 days.
    assert stats.loc["Z1", "capacity_h"] == pytest.approx(5 * 7.5)
    assert stats.loc["Z2", "capacity_h"] == pytest.approx(5 * 1.5)
    assert workload_colour(stats.loc["Z1", "load"]) != workload_colour(stats.loc["Z2", "load"])
    for zone, rep in (("Z1", "R1"), ("Z2", "R2")):
        routes = world.stops(rep)
        days = world.days_of(rep)
        work = (days["travel_min"].sum() + routes["service_min"].sum()) / 60
        assert stats.loc[zone, "visits"] == len(routes)
        assert stats.loc[zone, "work_h"] == pytest.approx(work)
        assert stats.loc[zone, "load"] == pytest.approx(work / stats.loc[zone, "capacity_h"])
        assert stats.loc[zone, "tiers"] == "AAA 1 · AA 2 · A 4 · B 6"
    assert stats["dropped"].tolist() == [0, 1]
    # The world's one dropped visit is for opening hours, not for lack of time.
    assert stats["dropped_capacity"].tolist() == [0, 0]


def test_zone_load_counts_work_dropped_for_lack_of_time(world):
    plan = overflowing_plan(world)
    before = zone_workload(
        world.plan,
        clients=world.clients,
        reps=world.reps,
        zones=world.zones,
        settings=world.settings,
    ).set_index("zone")
    stats = zone_workload(
        plan, clients=world.clients, reps=world.reps, zones=world.zones, settings=world.settings
    ).set_index("zone")
    lost = world.clients.loc[world.clients["rep_id"] == "R2"].head(6)
    routes, days = world.stops("R2"), world.days_of("R2")
    per_visit = days["travel_min"].sum() / len(routes)
    expected_h = (lost["service_min"].sum() + per_visit * len(lost)) / 60
    assert stats.loc["Z2", "dropped_capacity"] == 6 and stats.loc["Z2", "dropped"] == 7
    assert stats.loc["Z2", "dropped_h"] == pytest.approx(expected_h)
    assert stats.loc["Z2", "load"] == pytest.approx(
        (stats.loc["Z2", "work_h"] + expected_h) / stats.loc["Z2", "capacity_h"]
    )
    assert (
        stats.loc["Z2", "load"] > 1.0
        and workload_colour(stats.loc["Z2", "load"]) == (WORKLOAD_BANDS[-1][1])
    )
    assert stats.loc["Z1", "load"] == before.loc["Z1", "load"]


def test_managers_map_layers(world):
    m = managers_map(
        world.plan,
        clients=world.clients,
        reps=world.reps,
        zones=world.zones,
        settings=world.settings,
    )
    found = layers(m)
    tier_layers = {k: v for k, v in found.items() if k.startswith("Clients")}
    assert list(tier_layers) == [
        "Clients AAA (2)",
        "Clients AA (4)",
        "Clients A (8)",
        "Clients B (12)",
    ]
    assert sum(len(markers(g)) for g in tier_layers.values()) == len(world.clients)
    assert {k for k in found if k.startswith("Routes")} == {
        "Routes of Aino Virtanen",
        "Routes of Mikko Korhonen",
    }
    routes_r2 = found["Routes of Mikko Korhonen"]
    lines = [c for c in walk(routes_r2) if isinstance(c, folium.PolyLine)]
    assert len(lines) == (world.days_of("R2")["visits"] > 0).sum()
    dropped = markers(found["Dropped visits (1)"])
    assert len(dropped) == 1 and "outside opening hours" in popup_of(dropped[0])
    (zones,) = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    features = zones.data["features"]
    stats = zone_workload(
        world.plan,
        clients=world.clients,
        reps=world.reps,
        zones=world.zones,
        settings=world.settings,
    )
    for feature, load in zip(features, stats["load"], strict=True):
        assert feature["properties"]["fill"] == workload_colour(load)
        assert feature["properties"]["visits"] in (11, 9)
    (legend,) = controls(m, "rp-legend")
    assert "over capacity" in legend.html and "dropped visit" in legend.html


def test_managers_map_clusters_all_tiers_together_when_many(world):
    n = CLUSTER_THRESHOLD // len(world.clients) + 1
    many = pd.concat([world.clients] * n, ignore_index=True)
    m = managers_map(
        world.plan, clients=many, reps=world.reps, zones=world.zones, settings=world.settings
    )
    (cluster,) = [c for c in m._children.values() if isinstance(c, ClientCluster)]
    assert cluster.layer_name == f"Clients ({len(many)})"
    assert len(cluster.data) == len(many)
    tiers = [row[3] for row in cluster.data]
    assert sorted(set(tiers)) == [0, 1, 2, 3]  # one clustering, every tier in it
    assert cluster.colours == [TIER_STYLES[t].colour for t in ("AAA", "AA", "A", "B")]
    plain = {k: v for k, v in layers(m).items() if k.startswith("Clients")}
    assert plain == {}


def test_managers_panels_group_dropped_by_reason_and_rep_and_sort(world):
    plan = overflowing_plan(world)
    m = managers_map(
        plan, clients=world.clients, reps=world.reps, zones=world.zones, settings=world.settings
    )
    (panel,) = controls(m, "rp-panel rp-dropped-panel")
    assert "7 visits dropped" in panel.html
    assert f"<span>{esc(reason_text(REASON_TIME))}</span><b>6</b>" in panel.html
    assert "<span>Mikko Korhonen</span><b>6</b>" in panel.html
    assert "<span>Mikko Korhonen</span><b>1</b>" in panel.html
    assert panel.html.count("data-bounds=") == 4  # two reasons, one rep each
    (summary,) = controls(m, "rp-panel rp-summary")
    assert "rp-sortable" in summary.html and "Mikko Korhonen" in summary.html
    assert summary.html.count('class="rp-over"') == 1
    dropped = markers(layers(m)["Dropped visits (7)"])
    assert all("Mikko Korhonen" in popup_of(d) for d in dropped)
    # the tooltip says why the visit was dropped (the plan's translated reason), not whose
    tips = [d._children[k].text for d in dropped for k in d._children if k.startswith("tooltip")]
    expected = [
        f"Dropped: {esc(reason_text(code, reason))}"
        for code, reason in zip(plan.dropped["reason_code"], plan.dropped["reason"], strict=True)
    ]
    assert tips == expected
    assert not any(esc(name) in tip for tip in tips for name in plan.dropped["name"])


# --- zones before/after --------------------------------------------------------------------------


def test_zones_compare_map_counts_clients_that_change_zone(world):
    after = world.zones.copy()
    # Move the border from lon 24.95 east to 25.00: clients of Z2 west of 25.00 change zone.
    from shapely.geometry import box

    after["geometry"] = [box(24.82, 60.15, 25.00, 60.24), box(25.00, 60.15, 25.08, 60.24)]
    m = zones_compare_map(world.zones, after, clients=world.clients)
    moving = ((world.clients["lon"] > 24.95) & (world.clients["lon"] < 25.00)).sum()
    assert moving > 0
    names = list(layers(m))
    assert names == [f"Clients ({len(world.clients)})", f"Clients that change zone ({moving})"]
    geojson = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert [g.layer_name for g in geojson] == ["Before (2 zones)", "After (2 zones)"]
    after_counts = [f["properties"]["clients"] for f in geojson[1].data["features"]]
    assert after_counts == [13 + moving, 13 - moving]


# --- styles --------------------------------------------------------------------------------------


def test_tier_styles_fall_back_for_unknown_tiers():
    assert tier_style("AAA") is TIER_STYLES["AAA"]
    odd = tier_style("platinum")
    assert (odd.colour, odd.shape, odd.label) == (
        FALLBACK_TIER_STYLE.colour,
        FALLBACK_TIER_STYLE.shape,
        "platinum",
    )
    for tiers in (("AAA", "AA", "A", "B"), ("top", "operational", "growth", "low")):
        assert len({TIER_STYLES[t].shape for t in tiers}) == 4
        assert len({TIER_STYLES[t].colour for t in tiers}) == 4


# --- saving and offline inlining -----------------------------------------------------------------


def _fake_node_modules(root: Path, *, leaflet_version: str = "1.9.3") -> Path:
    for cdn in CDN_PACKAGES:
        package = root / cdn.package
        version = leaflet_version if cdn.package == "leaflet" else cdn.version
        (package / "dist" / "images").mkdir(parents=True)
        (package / "package.json").write_text(json.dumps({"version": version}))
    dist = root / "leaflet" / "dist"
    (dist / "leaflet.js").write_text("window.L = {fake: true}; // </script> inside\n")
    (dist / "leaflet.css").write_text(".a { background: url(images/layers.png); }")
    for name in ("layers.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"):
        (dist / "images" / name).write_bytes(b"\x89PNG fake")
    locate = root / "leaflet.locatecontrol" / "dist"
    (locate / "L.Control.Locate.min.js").write_text("L.control.locate = 1;")
    (locate / "L.Control.Locate.min.css").write_text(".leaflet-control-locate {}")
    return root


def test_save_map_inlines_assets_offline(world, rep_map, tmp_path):
    modules = _fake_node_modules(tmp_path / "node_modules")
    online = save_map(rep_map, tmp_path / "online" / "R1.html")
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3' in online.read_text()
    offline = save_map(rep_map, tmp_path / "R1.html", offline=True, node_modules=modules)
    page = offline.read_text()
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page
    assert "window.L = {fake: true}" in page and "<\\/script> inside" in page
    assert "url(images/layers.png)" not in page and 'url("data:image/png;base64,' in page
    assert "L.Icon.Default.mergeOptions" in page


def test_offline_needs_the_right_packages(world, rep_map, tmp_path):
    wrong = _fake_node_modules(tmp_path / "old", leaflet_version="1.7.1")
    with pytest.raises(RouteplanError, match=r"version 1\.7\.1.*1\.9\.3"):
        save_map(rep_map, tmp_path / "x.html", offline=True, node_modules=wrong)
    assert local_asset("https://example.org/x.js", wrong) is None
    page = '<script src="https://unpkg.com/other.js"></script>'
    with pytest.raises(RouteplanError, match=r"unpkg\.com/other\.js"):
        inline_assets(page, node_modules=wrong)


def test_saved_maps_are_byte_identical_for_the_same_plan(world, tmp_path):
    first, second = (
        save_map(
            rep_week_map(world.plan, "R1", reps=world.reps, zones=world.zones),
            tmp_path / f"{i}.html",
        ).read_text()
        for i in range(2)
    )
    assert first == second
    assert re.search(r"marker_0{29}[0-9a-f]{3}", first)


def test_catch_up_flags_read_from_text(world):
    plan = copy.deepcopy(world.plan)
    plan.routes["catch_up"] = ["True" if flag else "False" for flag in plan.routes["catch_up"]]
    m = rep_week_map(plan, "R1", reps=world.reps, zones=world.zones)
    popups = [popup_of(mk) for mk in markers(m) if "rp-stop" in icon_html(mk)]
    assert sum("Catch-up visit" in text for text in popups) == 1


def test_a_long_wait_for_the_opening_is_listed_before_its_stop(world):
    plan = copy.deepcopy(world.plan)
    routes = plan.routes.copy()
    first_day = routes.loc[routes["rep_id"] == "R1", "date"].min()
    mine = (routes["rep_id"] == "R1") & (routes["date"] == first_day)
    routes.loc[mine, "wait_min"] = 0
    routes.loc[mine & (routes["seq"] == 1), "wait_min"] = 15
    routes.loc[mine & (routes["seq"] == 2), "wait_min"] = 5  # short: not listed
    plan.routes = routes
    m = rep_week_map(plan, "R1", reps=world.reps, zones=world.zones)
    body = next(v.body for v in tabs_of(m).days if v.date == first_day)
    items = re.findall(r"<li[^>]*>(.*?)</li>", body)
    waits = [i for i, item in enumerate(items) if "Waits" in item]
    assert len(waits) == 1 and "Waits 15 min for the opening at" in items[waits[0]]
    assert f'data-stop="{first_day}#1"' in items[waits[0] + 1]


def test_the_week_table_gives_each_days_planned_lunch(world):
    plan = copy.deepcopy(world.plan)
    days = plan.days.assign(lunch_start="", lunch_end="")
    monday = (days["rep_id"] == "R1") & (days["day"] == "Mon")
    days.loc[monday, ["lunch_start", "lunch_end"]] = ["12:15", "12:45"]
    plan.days = days
    with use_language("es"):
        m = rep_week_map(plan, "R1", reps=world.reps, zones=world.zones)
    table = tabs_of(m).week_body
    assert "<th>Pausa para almorzar</th>" in table
    assert table.count("<td>12:15–12:45</td>") == 1  # Monday only; the other days had none
