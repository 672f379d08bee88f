"""The demo's real maps (``build --week 12`` on data/demo) in Chromium, with screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from routeplan.i18n import use_language
from routeplan.jobs import build as pipeline
from routeplan.maps.rep_map import rep_week_map, save_map
from routeplan.planning.prepare import DataSource

from .map_checks import assert_stops_in_view_beside_panel, check_managers_map, check_rep_map

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
    assert_stops_in_view_beside_panel(result.page)
    screenshot(result.page, "demo-rep-map.png")
    check_rep_map(result, routes=routes, days=days)
    phone = open_map(maps / f"{rep_id}.html", viewport=(390, 844))
    assert phone.page.locator(".leaflet-marker-pane .rp-stop").count() == len(routes)
    screenshot(phone.page, "demo-rep-map-phone.png")


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
    assert "Abrir en Google Maps" in page.locator(".rp-panel").inner_text()
    page.mouse.move(5, 400)
    page.locator(".leaflet-control-layers").hover()  # the Spanish day layers in the picture
    page.wait_for_timeout(200)
    screenshot(page, "demo-rep-map-es.png")
