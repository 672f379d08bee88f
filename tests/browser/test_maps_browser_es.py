"""The Spanish rep map on a phone (390×844, touch screen) in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.map_world import CATCH_UP, MapWorld, build_world

from routeplan.i18n import use_language
from routeplan.maps.base import day_heading
from routeplan.maps.rep_map import rep_week_map, save_map

from .map_checks import LAYER_LABELS, POPUP, STOPS, assert_clean, check_rep_map

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
    assert page.locator(".rp-panel details").get_attribute("open") is None  # folded on phones
    assert page.locator(".rp-panel summary").inner_text().startswith("Semana 12 · Aino Virtanen")
    assert page.locator(".rp-legend summary").inner_text() == "Leyenda"
    with use_language("es"):
        check_rep_map(result, routes=world.stops("R1"), days=world.days_of("R1"))
    # On a freshly opened page, a tap on the catch-up stop opens its popup, in Spanish.
    result = open_map(spanish_map, viewport=PHONE, touch=True)
    page = result.page
    rep, day, seq = CATCH_UP
    stops = world.stops(rep)
    stop = stops.loc[(stops["day"] == day) & (stops["seq"] == seq)].iloc[0]
    page.locator(f'{STOPS}[data-key="{stop["date"]}#{seq}"]').tap()
    popup = page.locator(POPUP)
    popup.wait_for()
    text = popup.inner_text()
    with use_language("es"):
        heading = day_heading(stop["date"], stop["day"])
    for spanish in ("Cliente", "Categoría", "Llegada", "Salida", "Atención", "Dirección",
                    "Visita de recuperación", heading):  # fmt: skip
        assert spanish in text, (spanish, text)
    assert "Arrive" not in text and "Catch-up" not in text
    page.locator(".leaflet-popup-close-button").dispatch_event("click")
    # The folded panel opens with a tap: Spanish headings and Google Maps links, on screen.
    page.locator(".rp-panel summary").tap()
    panel = page.locator(".rp-panel")
    assert "Abrir en Google Maps" in panel.inner_text()
    for heading in ("Día", "Visitas", "Manejo", "Regreso"):
        assert panel.locator("th", has_text=heading).count() == 1, heading
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0]
    assert box["height"] <= 0.6 * PHONE[1]
    labels = page.locator(LAYER_LABELS).all_inner_texts()
    assert all("visitas" in label or "visita" in label for label in labels), labels
    screenshot(page, "rep-map-es-phone.png")
