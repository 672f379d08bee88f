"""The maps in a real Chromium: they load offline, toggle, open popups, fit a phone."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers.map_world import CATCH_UP, MapWorld, build_world
from shapely.geometry import box

from routeplan.maps.base import clock
from routeplan.maps.rep_map import managers_map, rep_week_map, save_map, zones_compare_map

from .conftest import PHONE
from .map_checks import (
    CLIENTS,
    CLUSTERS,
    LAYER_LABELS,
    STOPS,
    assert_clean,
    assert_stops_clear_of_panels,
    check_managers_map,
    check_rep_map,
    show_day,
)

pytestmark = pytest.mark.browser
DAY_LABELS = LAYER_LABELS


@pytest.fixture(scope="module")
def world() -> MapWorld:
    return build_world()


@pytest.fixture(scope="module")
def map_files(world: MapWorld, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("maps") / "week-12"
    w = world
    files = {
        "rep": save_map(rep_week_map(w.plan, "R1", reps=w.reps, zones=w.zones), out / "R1.html"),
        "rep_offline": save_map(
            rep_week_map(w.plan, "R1", reps=w.reps, zones=w.zones),
            out / "offline" / "R1.html",
            offline=True,
        ),
        "managers": save_map(
            managers_map(
                w.plan, clients=w.clients, reps=w.reps, zones=w.zones, settings=w.settings
            ),
            out / "index.html",
        ),
    }
    moved = w.zones.copy()  # the border moves from lon 24.95 to 25.00
    moved["geometry"] = [box(24.82, 60.15, 25.00, 60.24), box(25.00, 60.15, 25.08, 60.24)]
    files["zones"] = save_map(
        zones_compare_map(w.zones, moved, clients=w.clients), out / "zones-compare.html"
    )
    return files


def test_rep_map_day_tabs_markers_and_popup(open_map, map_files, world, screenshot):
    result = open_map(map_files["rep"])
    page = result.page
    assert any("leaflet.js" in url for url in result.served)
    assert any("L.Control.Locate" in url for url in result.served)
    assert len(world.days_of("R1")) == 5 and len(world.stops("R1")) == 11
    check_rep_map(result, routes=world.stops("R1"), days=world.days_of("R1"))
    show_day(page, "all")
    numbers = page.locator(f"{STOPS} span").evaluate_all(
        "els => els.filter(e => getComputedStyle(e).visibility !== 'hidden').length"
    )
    assert numbers == 0  # the whole week shows no numbers: "1" would appear on every day
    assert page.locator(".leaflet-control-locate").count() == 1
    assert page.locator(".rp-sheet details").get_attribute("open") is not None
    show_day(page, world.stops("R1")["date"].iloc[0])
    page.wait_for_timeout(200)
    screenshot(page, "rep-map-desktop.png")


def test_clicking_a_stop_opens_its_card(open_map, map_files, world, screenshot):
    result = open_map(map_files["rep"])
    page = result.page
    rep, day, seq = CATCH_UP
    stops = world.stops(rep)
    stop = stops.loc[(stops["day"] == day) & (stops["seq"] == seq)].iloc[0]
    show_day(page, stop["date"])
    page.locator(f'{STOPS}[data-key="{stop["date"]}#{seq}"]').click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert stop["name"] in text
    assert stop["client_id"] in text
    assert clock(stop["arrive"]) in text and clock(stop["depart"]) in text
    assert "Catch-up visit" in text and stop["reason"] in text
    # The day list (in the sheet) opens a stop's card.
    other = stops.loc[stops["day"] == "Tue"].iloc[-1]
    show_day(page, other["date"])
    page.locator(".leaflet-popup").wait_for(state="detached")  # closed with its day
    page.locator(f'.rp-sheet [data-stop="{other["date"]}#{other["seq"]}"]').click()
    page.wait_for_function(
        "name => document.querySelector('.leaflet-popup-content')?.innerText.includes(name)",
        arg=str(other["name"]),
    )
    assert page.locator(".leaflet-container").get_attribute("data-day") == other["date"]
    screenshot(page, "rep-map-popup.png")
    assert_clean(result)


def test_rep_map_google_links_cover_each_day_in_short_legs(open_map, map_files, world):
    page = open_map(map_files["rep"]).page
    for date, day in world.stops("R1").groupby("date"):
        show_day(page, date)
        hrefs = page.locator(".rp-sheet a.rp-gmaps").evaluate_all("els => els.map(e => e.href)")
        assert len(hrefs) == -(-(len(day) + 1) // 4)  # at most 3 waypoints per link
        assert all(h.startswith("https://www.google.com/maps/dir/?api=1&origin=") for h in hrefs)


def test_rep_map_is_readable_on_a_phone(open_map, map_files, world, screenshot):
    result = open_map(map_files["rep"], viewport=PHONE)
    page = result.page
    assert_clean(result)
    # Day list folded on a phone: the next stop and the map stay visible.
    assert page.locator(".rp-sheet details").get_attribute("open") is None
    for selector in (".rp-sheet", ".rp-legend", ".rp-tabs"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    sheet = page.locator(".rp-sheet").bounding_box()
    assert sheet["height"] <= 0.5 * 844
    assert_stops_clear_of_panels(page)
    screenshot(page, "rep-map-phone.png")


def test_offline_map_needs_no_cdn(open_map, map_files, world):
    result = open_map(map_files["rep_offline"])
    assert_clean(result)
    assert result.served == []
    first_day = world.stops("R1")["date"].min()
    assert result.page.locator(STOPS).count() == (world.stops("R1")["date"] == first_day).sum()


def test_managers_map_shows_zones_clients_routes_and_dropped(
    open_map, map_files, world, screenshot
):
    result = open_map(map_files["managers"])
    page = result.page
    check_managers_map(result, plan=world.plan, clients=world.clients)
    assert page.locator(CLIENTS).count() == len(world.clients)
    labels = page.locator(DAY_LABELS).all_inner_texts()
    for rep in world.reps.itertuples(index=False):
        assert any(f"Routes of {rep.name}" in label for label in labels), labels
    assert any("Dropped visits (1)" in label for label in labels)
    # Routes of a rep are toggleable.
    lines_before = page.locator(".leaflet-overlay-pane path").count()
    result.set_layer("Routes of Aino Virtanen", visible=False)
    days_r1 = int((world.days_of("R1")["visits"] > 0).sum())
    assert page.locator(".leaflet-overlay-pane path").count() == lines_before - days_r1
    # Zone tooltip with statistics.
    zone = world.zones.geometry[0].representative_point()
    point = page.evaluate(
        "([lat, lon]) => { const m = Object.values(window).find(v => v instanceof L.Map);"
        " const p = m.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [zone.y, zone.x],
    )
    page.mouse.move(point[0] + 1, point[1] + 1)
    page.mouse.move(point[0], point[1])
    tooltip = page.locator(".leaflet-tooltip", has_text="Visits this week")
    tooltip.wait_for()
    text = tooltip.inner_text()
    assert "Z1" in text and "Clients per tier" in text and "AAA 1" in text
    assert f"{len(world.stops('R1'))}" in text
    # Dropped visit popup names the client and the reason.
    page.locator(".leaflet-marker-pane .rp-dropped").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert world.plan.dropped.iloc[0]["name"] in popup.inner_text()
    page.keyboard.press("Escape")
    result.set_layer("Routes of Aino Virtanen", visible=True)
    page.locator(".leaflet-popup-close-button").click()
    page.mouse.move(5, 400)
    page.locator(".leaflet-control-layers").hover()  # show the layer list in the screenshot
    page.wait_for_timeout(200)
    screenshot(page, "managers-map.png")


def test_managers_map_clusters_many_clients(open_map, world, tmp_path):
    many = pd.concat(
        [
            world.clients.assign(
                client_id=world.clients["client_id"] + f"-{i}", lat=world.clients["lat"] + i * 1e-4
            )
            for i in range(30)  # 360 B clients: that tier is clustered
        ],
        ignore_index=True,
    )
    path = save_map(
        managers_map(
            world.plan, clients=many, reps=world.reps, zones=world.zones, settings=world.settings
        ),
        tmp_path / "index.html",
    )
    result = open_map(path)
    assert any("leaflet.markercluster.js" in url for url in result.served)
    check_managers_map(result, plan=world.plan, clients=many)
    assert result.page.locator(CLUSTERS).count() > 0


def test_zones_compare_map_toggles_before_and_after(open_map, map_files, screenshot):
    result = open_map(map_files["zones"])
    page = result.page
    assert_clean(result)
    labels = page.locator(DAY_LABELS).all_inner_texts()
    assert any(label.strip().startswith("Before (2 zones)") for label in labels)
    assert any(label.strip().startswith("After (2 zones)") for label in labels)
    moved = next(label for label in labels if "change zone" in label)
    assert int(moved.split("(")[1].rstrip(") \n")) > 0
    page.mouse.move(5, 400)
    page.wait_for_timeout(200)
    screenshot(page, "zones-compare.png")
    paths = page.locator(".leaflet-overlay-pane path").count()
    result.set_layer("Before", visible=False)
    assert page.locator(".leaflet-overlay-pane path").count() == paths - 2


def test_harness_catches_errors_and_unknown_requests(open_map, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        '<html><head><script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">'
        '</script><script src="https://unpkg.com/other@1/x.js"></script></head>'
        '<body><div class="leaflet-container"></div>'
        '<script>throw new Error("boom");</script></body></html>'
    )
    result = open_map(page)
    assert any("boom" in error for error in result.errors)
    assert result.unknown_requests == ["https://unpkg.com/other@1/x.js"]
    result.allow_errors = True
    result.unknown_requests.clear()
