"""The capacity page in Chromium with the network blocked: three charts draw from local JS."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.world import DEMO

from routeplan.capacity.scenario import scenario_from_options
from routeplan.jobs.capacity import CapacityRequest, run_capacity
from routeplan.planning.prepare import DataSource

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [(1100, 1400), (390, 844)])
def test_capacity_page_draws_offline_on_desktop_and_phone(
    tmp_path: Path, browser: object, screenshot: object, viewport: tuple[int, int]
) -> None:
    scenario = scenario_from_options(["AAA", "AA", "A", "B"], reps="+1")
    run_capacity(
        DataSource(DEMO, store_path=tmp_path / "none.sqlite"),
        CapacityRequest(scenarios=(scenario,)),
        out_dir=tmp_path,
    )
    page_path = tmp_path / "capacity" / "capacity.html"
    outside: list[str] = []
    errors: list[str] = []
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": viewport[0], "height": viewport[1]}
    )
    page = context.new_page()

    def only_local(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith("file:"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", only_local)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_path.as_uri())
    page.wait_for_selector("#chart-coverage .main-svg")
    drawn = page.locator(".js-plotly-plot").count()
    bars = page.locator("#chart-workload g.point").count()
    page_width = page.evaluate("document.body.scrollWidth")
    screenshot(page, f"capacity-page-{viewport[0]}.png")  # type: ignore[operator]
    context.close()
    assert errors == [] and outside == []
    assert drawn == 3
    assert bars == 6 + 7  # baseline 6 reps, scenario 7
    assert page_width <= viewport[0] + 1  # wide tables scroll inside their box
