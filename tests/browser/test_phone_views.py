"""The rep's day and the managers' map on a phone (390×844, touch) in Chromium.

Today view and day tabs, the next-stop card and its navigation links, tel links, 44 px
targets, page zoom, Spanish labels, the dropped-visits panel, over-capacity colouring and the
colour-blind-safe workload palette (checked under simulated protanopia and deuteranopia).
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import math
from pathlib import Path

import pytest
from helpers.colour import CVD_MATRICES, lab, simulate
from helpers.map_world import MapWorld, build_world, overflowing_plan

from routeplan.i18n import use_language
from routeplan.maps.base import clock
from routeplan.maps.rep_map import managers_map, rep_week_map, save_map
from routeplan.maps.style import WORKLOAD_BANDS

from .conftest import PHONE
from .map_checks import (
    DROPPED,
    assert_none_hidden,
    assert_stops_clear_of_panels,
    marker_boxes,
    show_day,
    stop_keys,
)

pytestmark = pytest.mark.browser

MIN_DELTA_E = 12.0
"""Smallest CIELAB ΔE76 allowed between two workload bands under a simulated deficiency."""


@pytest.fixture(scope="module")
def world() -> MapWorld:
    w = build_world()
    clients = w.clients.copy()
    clients["phone"] = [f"+358 40 555 01{i:02d}" if i % 2 == 0 else "" for i in range(len(clients))]
    clients["contact"] = "Liisa"
    clients["notes"] = "Ring the back door"
    clients["opens"] = "08:00"
    clients["closes"] = "18:00"
    w.clients = clients
    return w


def _with_monday_lunch(world: MapWorld):
    """The world's plan with R1's Monday lunch 12:00-12:30, after its last visit (as planned)."""
    plan = copy.deepcopy(world.plan)
    routes = plan.routes.assign(break_start="", break_end="")  # the world has no lunch
    monday = (routes["rep_id"] == "R1") & (routes["day"] == "Mon")
    last = monday & (routes["seq"] == routes.loc[monday, "seq"].max())
    routes.loc[last, ["break_start", "break_end"]] = ["12:00", "12:30"]
    plan.routes = routes
    return plan


@pytest.fixture(scope="module")
def files(world: MapWorld, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("phone")
    w = world
    plan = _with_monday_lunch(w)
    rep = rep_week_map(plan, "R1", reps=w.reps, zones=w.zones, clients=w.clients)
    with use_language("es"):
        rep_es = rep_week_map(plan, "R1", reps=w.reps, zones=w.zones, clients=w.clients)
        es = save_map(rep_es, out / "es" / "R1.html")
    over = managers_map(
        overflowing_plan(w), clients=w.clients, reps=w.reps, zones=w.zones, settings=w.settings
    )
    return {
        "rep": save_map(rep, out / "R1.html"),
        "es": es,
        "over": save_map(over, out / "index.html"),
    }


def _stop_of(world: MapWorld, day: str, seq: int):
    stops = world.stops("R1")
    return stops.loc[(stops["day"] == day) & (stops["seq"] == seq)].iloc[0]


def test_opens_on_today_with_the_next_stop_and_its_links(open_map, files, world, screenshot):
    tuesday = world.stops("R1").query("day == 'Tue'").sort_values("seq")
    first = tuesday.iloc[0]
    # 5 minutes after the first Tuesday stop ends: the next stop is the second one.
    hours, minutes = map(int, first["depart"].split(":"))
    now = dt.datetime.fromisoformat(first["date"]) + dt.timedelta(hours=hours, minutes=minutes + 5)
    result = open_map(files["rep"], viewport=PHONE, now=now)
    page = result.page
    box = page.locator(".leaflet-container")
    assert box.get_attribute("data-today") == first["date"]
    assert box.get_attribute("data-opened") == first["date"]
    assert stop_keys(page) == {f"{first['date']}#{s}" for s in tuesday["seq"]}
    assert_stops_clear_of_panels(page)
    assert_none_hidden(marker_boxes(page))
    tab = page.locator(f'.rp-tabs [data-day="{first["date"]}"]')
    assert tab.get_attribute("aria-selected") == "true"
    card = page.locator(".rp-sheet .rp-next")
    second = tuesday.iloc[1]
    assert f"Next stop · ETA {clock(second['arrive'])}" in card.inner_text()
    assert "open 8:00\u202fAM–6:00\u202fPM" in card.inner_text()  # en: the 12-hour clock
    hrefs = dict(
        card.locator("[data-nav]").evaluate_all("els => els.map(e => [e.dataset.nav, e.href])")
    )
    where = f"{second['lat']:.6f},{second['lon']:.6f}"
    assert hrefs == {
        "google": f"https://www.google.com/maps/dir/?api=1&destination={where}&travelmode=driving",
        "apple": f"https://maps.apple.com/?daddr={where}&dirflg=d",
        "waze": f"https://waze.com/ul?ll={where}&navigate=yes",
    }
    screenshot(page, "phone-rep-today.png")


NAV_APPS = {
    # device: the navigation apps whose links it shows
    "iPhone 13": {"google", "apple", "waze"},
    "iPad Mini": {"google", "apple", "waze"},
    "Pixel 5": {"google", "waze"},
    "Desktop Safari": {"google", "apple"},
    "Desktop Chrome": {"google"},
}


@pytest.mark.parametrize("device", list(NAV_APPS))
def test_navigation_apps_shown_are_the_ones_the_device_has(open_map, files, device):
    result = open_map(files["rep"], device=device, now=dt.datetime(2031, 1, 8, 9, 0))
    card = result.page.locator(".rp-sheet .rp-next")
    links = card.locator("[data-nav]")
    shown = {
        nav
        for nav, visible in links.evaluate_all(
            "els => els.map(e => [e.dataset.nav, e.getBoundingClientRect().height > 0])"
        )
        if visible
    }
    assert links.count() == 3  # all in the page; the user agent decides which show
    assert shown == NAV_APPS[device]
    # the stop's popup follows the same rule
    result.page.locator(".rp-tabs .rp-tab-all").click()
    marker = result.page.locator(".rp-stop").first
    marker.click(force=True)
    popup = result.page.locator(".leaflet-popup-content [data-nav]")
    in_popup = {
        nav
        for nav, visible in popup.evaluate_all(
            "els => els.map(e => [e.dataset.nav, e.getBoundingClientRect().height > 0])"
        )
        if visible
    }
    assert in_popup == NAV_APPS[device]


def test_after_the_last_stop_the_card_says_the_day_is_done(open_map, files, world):
    last = world.stops("R1").query("day == 'Mon'").sort_values("seq").iloc[-1]
    hours, minutes = map(int, last["depart"].split(":"))
    now = dt.datetime.fromisoformat(last["date"]) + dt.timedelta(hours=hours, minutes=minutes + 1)
    page = open_map(files["rep"], viewport=PHONE, now=now).page
    assert "All visits of today are done." in page.locator(".rp-sheet .rp-next").inner_text()


def test_a_week_without_today_opens_on_its_first_day(open_map, files, world):
    page = open_map(files["rep"], viewport=PHONE, now=dt.datetime(2031, 1, 8, 9, 0)).page
    first_day = world.days_of("R1")["date"].min()
    assert page.locator(".leaflet-container").get_attribute("data-opened") == first_day
    first = _stop_of(world, "Mon", 1)
    assert f"Next stop · ETA {clock(first['arrive'])}" in page.locator(".rp-next").inner_text()


def test_day_tabs_switch_and_refit_and_tel_links(open_map, files, world, screenshot):
    result = open_map(files["rep"], viewport=PHONE)
    page = result.page
    for date, day in world.stops("R1").groupby("date"):
        show_day(page, date)
        assert stop_keys(page) == {f"{date}#{s}" for s in day["seq"]}
        assert_stops_clear_of_panels(page)
        assert_none_hidden(marker_boxes(page))
        tels = page.locator(".rp-next a.rp-tel").evaluate_all("els => els.map(e => e.href)")
        first = day.sort_values("seq").iloc[0]
        phone = world.clients.set_index("client_id").loc[first["client_id"], "phone"]
        digits = phone.replace(" ", "")
        assert tels == ([f"tel:{digits}"] if digits else [])
    show_day(page, "all")
    assert len(stop_keys(page)) == len(world.stops("R1"))
    # The day plan lists the stops, each a 44 px target.
    show_day(page, world.stops("R1")["date"].min())
    page.locator(".rp-daybox summary").click()
    items = page.locator(".rp-day .rp-daylist li").all_inner_texts()
    assert items[0].startswith("Leaves home at ")
    assert items[-1] == "Lunch break 12:00\u202fPM–12:30\u202fPM"  # the plan's, after the last stop
    assert not any("Break or wait" in item for item in items)
    screenshot(page, "phone-rep-day-plan.png")
    for selector in (".rp-tab", ".rp-btn", ".rp-daylist a", ".leaflet-control-zoom a"):
        for bbox in page.locator(selector).evaluate_all(
            "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)"
        ):
            assert bbox >= 44, selector


def test_page_zoom_allowed_and_language_set(open_map, files):
    page = open_map(files["es"], viewport=PHONE).page
    meta = page.locator('meta[name="viewport"]').get_attribute("content")
    assert "user-scalable=no" not in meta and "maximum-scale" not in meta
    assert page.locator("html").get_attribute("lang") == "es"
    tabs = page.locator(".rp-tabs").inner_text().lower()
    assert "lun" in tabs and "toda la semana" in tabs
    assert "Próxima parada" in page.locator(".rp-next").inner_text()


def test_managers_map_shows_over_capacity_and_the_dropped_panel(open_map, files, world, screenshot):
    result = open_map(files["over"], viewport=PHONE)
    page = result.page
    over = WORKLOAD_BANDS[-1][1]
    fills = page.locator(".leaflet-overlay-pane path").evaluate_all(
        "els => els.map(e => e.getAttribute('fill'))"
    )
    assert fills.count(over) == 1  # Z2 ran out of time: over capacity
    plan = overflowing_plan(world)
    assert page.locator(DROPPED).count() == len(plan.dropped)
    assert_none_hidden(marker_boxes(page, DROPPED), slack=4.0)
    panel = page.locator(".rp-dropped-panel")
    if panel.locator("details").get_attribute("open") is None:
        panel.locator("summary").click()
    text = panel.inner_text()
    assert f"{len(plan.dropped)} visits dropped" in text and "Mikko Korhonen" in text
    zoom_before = page.evaluate(
        "() => Object.values(window).find(v => v instanceof L.Map).getZoom()"
    )
    panel.locator(".rp-reason-head").first.click()
    page.wait_for_timeout(400)
    zoom_after = page.evaluate(
        "() => Object.values(window).find(v => v instanceof L.Map).getZoom()"
    )
    assert zoom_after > zoom_before  # zoomed to the reason's dropped visits
    screenshot(page, "phone-managers-dropped.png")


def test_workload_palette_survives_colour_blindness(open_map, files, screenshot):
    result = open_map(files["over"])
    page = result.page
    page.locator(".rp-legend summary").click()
    swatches = page.locator(".rp-legend .rp-swatch").evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor)"
    )
    colours = [tuple(int(v) for v in s[s.index("(") + 1 : -1].split(",")[:3]) for s in swatches]
    assert len(colours) == len(WORKLOAD_BANDS)
    for name, matrix in CVD_MATRICES.items():
        labs = [lab(simulate(c, matrix)) for c in colours]
        for (i, a), (j, b) in itertools.combinations(enumerate(labs), 2):
            delta = math.dist(a, b)
            assert delta >= MIN_DELTA_E, (name, WORKLOAD_BANDS[i][2], WORKLOAD_BANDS[j][2], delta)


def _streets_of(world: MapWorld) -> list:
    import numpy as np

    from routeplan.maps.streets import street_lines

    n, step = 12, 0.01
    lat, lon = np.meshgrid(60.15 + step * np.arange(n), 24.82 + step * np.arange(n), indexing="ij")
    index = np.arange(n * n).reshape(n, n)
    pairs = [(index[i, j], index[i, j + 1]) for i in range(n) for j in range(n - 1)]
    pairs += [(index[i, j], index[i + 1, j]) for i in range(n - 1) for j in range(n)]

    class Graph:
        pass

    graph = Graph()
    graph.lat, graph.lon = lat.ravel(), lon.ravel()
    graph.segments = np.array(pairs)
    return street_lines(graph, [[60.15, 24.82], [60.26, 24.95]])


def _street_pixels(page) -> int:
    """Non-transparent pixels on the streets' canvas."""
    return page.evaluate(
        """() => { const c = document.querySelector('.leaflet-rp-streets-pane canvas');
        if (!c) { return 0; }
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) { n++; } }
        return n; }"""
    )


def test_offline_maps_draw_the_streets_and_tile_failures_bring_them(
    open_map, world, tmp_path, screenshot
):
    w = world
    streets = _streets_of(w)
    m = rep_week_map(w.plan, "R1", reps=w.reps, zones=w.zones, clients=w.clients, streets=streets)
    offline = save_map(m, tmp_path / "offline" / "R1.html", offline=True)
    result = open_map(offline, viewport=PHONE)
    page = result.page
    assert result.served == []  # nothing from a CDN
    assert "rp-streets-on" in page.locator(".leaflet-container").get_attribute("class")
    assert _street_pixels(page) > 1000
    screenshot(page, "phone-rep-offline-streets.png")
    # Online, the streets stay hidden while tiles load ...
    m = rep_week_map(w.plan, "R1", reps=w.reps, zones=w.zones, streets=streets)
    online = save_map(m, tmp_path / "online" / "R1.html")
    page = open_map(online, viewport=PHONE).page
    assert "rp-streets-on" not in page.locator(".leaflet-container").get_attribute("class")
    assert _street_pixels(page) == 0
    # ... and show as soon as a tile fails.
    failing = open_map(online, viewport=PHONE, fail_tiles=True)
    failing.page.wait_for_function(
        "() => document.querySelector('.leaflet-container').classList.contains('rp-streets-on')"
    )
    assert _street_pixels(failing.page) > 1000
    failing.allow_errors = all("Failed to load resource" in e for e in failing.errors)
