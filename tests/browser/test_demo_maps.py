"""The demo's real maps (``build --week 12`` on data/demo) in Chromium, with screenshots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from routeplan.i18n import use_language
from routeplan.jobs import build as pipeline
from routeplan.maps.rep_map import rep_week_map, save_map
from routeplan.planning.prepare import DataSource

from .conftest import PHONE
from .map_checks import (
    STOPS,
    assert_none_hidden,
    assert_stops_clear_of_panels,
    check_managers_map,
    check_rep_map,
    marker_boxes,
)

pytestmark = pytest.mark.browser
DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
WEEK = 12


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("demo-maps")
    source = DataSource(DEMO, store_path=tmp / "plan.sqlite")
    outcome = pipeline.run_build(source, WEEK, out_dir=tmp / "out", maps_dir=tmp / "maps")
    return outcome, tmp / "maps" / f"week-{WEEK}"


def _busiest_rep(plan) -> str:
    counts = plan.routes["rep_id"].value_counts()
    return str(counts.sort_index().idxmax())


def test_demo_rep_map(open_map, demo, screenshot):
    outcome, maps = demo
    plan = outcome.result.plan
    rep_id = _busiest_rep(plan)
    routes = plan.routes.loc[plan.routes["rep_id"] == rep_id]
    days = plan.days.loc[plan.days["rep_id"] == rep_id]
    assert len(routes) > 0
    result = open_map(maps / f"{rep_id}.html")
    assert_stops_clear_of_panels(result.page)
    screenshot(result.page, "demo-rep-map.png")
    check_rep_map(result, routes=routes, days=days)
    # On a phone the map opens on one day: all its stops in view, none under another.
    phone = open_map(maps / f"{rep_id}.html", viewport=PHONE)
    page = phone.page
    opened = page.locator(".leaflet-container").get_attribute("data-opened")
    assert page.locator(STOPS).count() == (routes["date"] == opened).sum() > 0
    assert_stops_clear_of_panels(page)
    assert_none_hidden(marker_boxes(page))
    screenshot(page, "demo-rep-map-phone.png")


def test_demo_managers_map(open_map, demo, screenshot):
    outcome, maps = demo
    result = open_map(maps / "index.html")
    check_managers_map(result, plan=outcome.result.plan, clients=outcome.prepared.clients)
    result.page.mouse.move(5, 400)
    result.page.locator(".leaflet-control-layers").hover()
    result.page.wait_for_timeout(200)
    screenshot(result.page, "demo-managers-map.png")


def test_demo_rep_map_in_spanish(open_map, demo, screenshot, tmp_path):
    """The README's Spanish picture: the busiest rep's week, drawn with ``--lang es``."""
    outcome, _maps = demo
    plan, prepared = outcome.result.plan, outcome.prepared
    rep_id = _busiest_rep(plan)
    with use_language("es"):
        m = rep_week_map(
            plan,
            rep_id,
            reps=prepared.reps,
            zones=prepared.zones,
            legs=outcome.result.legs,
            tier_order=prepared.settings.tier_names,
        )
        path = save_map(m, tmp_path / f"{rep_id}.html")
    result = open_map(path)
    page = result.page
    assert page.evaluate("document.documentElement.lang") == "es"
    routes = plan.routes.loc[plan.routes["rep_id"] == rep_id]
    days = plan.days.loc[plan.days["rep_id"] == rep_id]
    with use_language("es"):
        check_rep_map(result, routes=routes, days=days)
    page.locator(".rp-tab").first.click()  # a day's plan: its Spanish heading and links
    text = page.locator(".rp-panel").inner_text()
    assert "Abrir en Google Maps" in text
    assert re.search(r"lunes \d+ de \w+ · \d+ visitas", text), text
    page.mouse.move(5, 400)
    page.wait_for_timeout(200)
    screenshot(page, "demo-rep-map-es.png")
