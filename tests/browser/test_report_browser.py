"""The KPI report's HTML in Chromium with the network blocked: charts draw, nothing loads."""

from __future__ import annotations

import pytest
from helpers.exports_fixtures import kpi_example_tables

from routeplan.kpis.report import write_report_html

pytestmark = pytest.mark.browser


def test_html_report_draws_its_charts_offline(tmp_path, browser):
    path = write_report_html(kpi_example_tables(), tmp_path / "report.html", week=2)
    outside: list[str] = []
    errors: list[str] = []

    def only_local(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page = browser.new_page()
    page.route("**/*", only_local)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_selector("#chart-backlog .main-svg")
    drawn = page.locator(".js-plotly-plot").count()
    bars = page.locator("#chart-compliance g.point").count()
    page.close()
    assert errors == []
    assert outside == []
    assert drawn == 5
    assert bars == 3 * 4  # planned/done/compliance bars for four tiers
