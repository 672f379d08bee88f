"""The Spanish rep map on a phone (390×844, touch screen) in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.map_world import CATCH_UP, MapWorld, build_world

from routeplan.i18n import use_language
from routeplan.maps.base import day_heading
from routeplan.maps.rep_map import rep_week_map, save_map

from .map_checks import POPUP, STOPS, assert_clean, check_rep_map

pytestmark = pytest.mark.browser
PHONE = (390, 844)


@pytest.fixture(scope="module")
def world() -> MapWorld:
    return build_world()


@pytest.fixture(scope="module")
def spanish_map(world: MapWorld, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with use_language("es"):
        m = rep_week_map(world.plan, "R1", reps=world.reps, zones=world.zones)
        return save_map(m, tmp_path_factory.mktemp("maps-es") / "R1.html")


def test_spanish_rep_map_on_a_touch_phone(open_map, spanish_map, world, screenshot):
    result = open_map(spanish_map, viewport=PHONE, touch=True)
    page = result.page
    assert_clean(result)
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.evaluate("'ontouchstart' in window") is True
    assert page.locator(".rp-daybox").get_attribute("open") is None  # folded on phones
    assert page.locator(".rp-sheet-head").inner_text().startswith("Semana 12 · Aino Virtanen")
    assert page.locator(".rp-legend summary").inner_text() == "Leyenda"
    # Leaflet's own buttons too (it writes them in English).
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Acercar"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("aria-label") == "Alejar"
    with use_language("es"):
        check_rep_map(result, routes=world.stops("R1"), days=world.days_of("R1"))
    # On a page opened on the catch-up stop's day, a tap on it opens its card, in Spanish.
    rep, day, seq = CATCH_UP
    stops = world.stops(rep)
    stop = stops.loc[(stops["day"] == day) & (stops["seq"] == seq)].iloc[0]
    result = open_map(spanish_map, viewport=PHONE, touch=True, fragment=f"day={stop['date']}")
    page = result.page
    page.locator(f'{STOPS}[data-key="{stop["date"]}#{seq}"]').tap()
    popup = page.locator(POPUP)
    popup.wait_for()
    text = popup.inner_text()
    for spanish in ("Categoría", "Llegada", "Sale", "Atención", "Visita de recuperación"):
        assert spanish in text, (spanish, text)
    assert "Arrive" not in text and "Catch-up" not in text
    close = page.locator(".leaflet-popup-close-button")
    assert close.get_attribute("aria-label") == "Cerrar"
    page.locator(".leaflet-popup-close-button").dispatch_event("click")
    # The folded day plan opens with a tap: the day's Spanish heading and Google Maps links.
    page.locator(".rp-daybox summary").tap()
    daybox = page.locator(".rp-daybox")
    with use_language("es"):
        heading = day_heading(stop["date"], stop["day"])
    assert heading in daybox.inner_text()
    assert "Abrir en Google Maps" in daybox.inner_text()
    box = daybox.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0]
    # The "all week" tab: the week's table with Spanish headings.
    page.locator('.rp-tab[data-day="all"]').tap()
    for heading in ("Día", "Visitas", "Manejo", "Regreso"):
        assert daybox.locator("th", has_text=heading).count() == 1, heading
    screenshot(page, "rep-map-es-phone.png")
