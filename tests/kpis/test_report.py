from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from helpers.exports_fixtures import kpi_example_tables, settings_for, small_reps, small_week_plan
from rich.console import Console

from routeplan.cli.console import rich_tables
from routeplan.errors import RouteplanError
from routeplan.io.exports import write_week_outputs
from routeplan.kpis.report import (
    PLOTLY_ASSET,
    TABLE_TITLES,
    kpi_tables,
    write_kpi_csvs,
    write_report_html,
    write_week_report,
)


@pytest.fixture
def tables():
    return kpi_example_tables()


def test_kpi_tables_hold_every_kpi(tables):
    assert list(tables) == list(TABLE_TITLES)
    assert tables["compliance"]["tier"].tolist() == ["AAA", "AA", "A", "B", "total"]
    compliance = tables["compliance"].set_index("tier")
    # 11 visits due in week 2, 10 planned (C09 dropped); C01's first visit already done
    assert compliance.loc["total", "due"] == 11
    assert compliance.loc["total", "planned"] == 10
    assert compliance.loc["total", "done"] == 1
    assert compliance.loc["B", "compliance_pct"] == round(100 * 2 / 3, 1)
    # as of 2027-01-11: C04 (A, 35 days allowed) last seen 70 days ago
    assert tables["overdue"]["client_id"].tolist() == ["C04"]
    assert tables["backlog"].set_index("tier").loc["total", "carried_forward"] == 1


def test_kpi_csvs_round_trip(tmp_path, tables):
    paths = write_kpi_csvs(tables, tmp_path / "kpi", week=2)
    assert [p.name for p in paths] == [f"kpi-{name}-week-02.csv" for name in tables]
    back = pd.read_csv(tmp_path / "kpi" / "kpi-drive-week-02.csv")
    pd.testing.assert_frame_equal(back, tables["drive"], check_dtype=False)


def test_html_report_loads_plotly_once_from_the_file_next_to_it(tmp_path, tables):
    path = write_report_html(tables, tmp_path / "report.html", week=2)
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # plotly.js (basic bundle) is one file next to the report, loaded once, never from a CDN
    assert re.findall(r'<script[^>]+src="([^"]+)"', page) == [PLOTLY_ASSET]
    library = tmp_path / PLOTLY_ASSET
    assert library.read_text(encoding="utf-8").count("plotly.js (basic - minified) v4.1.1") == 1
    assert "cdn.plot.ly" not in re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<html lang="en">' in page
    for chart in ("compliance", "drive", "utilisation", "workload", "backlog"):
        assert f'id="chart-{chart}"' in page
    for name, title in TABLE_TITLES.items():
        assert f'id="table-{name}"' in page
        assert title in page
    assert "KPIs of week 2" in page
    assert len(page.encode()) + library.stat().st_size < 1_500_000


def test_html_report_escapes_names(tmp_path, tables):
    tables = dict(tables)
    tables["overdue"] = tables["overdue"].assign(name="<b>Evil & Co</b>")
    page = write_report_html(tables, tmp_path / "r.html", week=2).read_text()
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in page


def test_unwritable_report_path_is_a_clear_error(tmp_path, tables):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RouteplanError, match=r"cannot write the report .*file"):
        write_report_html(tables, blocker / "report.html", week=2)
    with pytest.raises(RouteplanError, match=r"cannot create output folder .*file"):
        write_kpi_csvs(tables, blocker, week=2)


def test_rich_tables_print(tables):
    console = Console(record=True, width=160)
    for table in rich_tables(tables):
        console.print(table)
    text = console.export_text()
    assert "Cadence compliance per tier" in text
    assert "compliance %" in text  # the heading people read, not the CSV column name
    assert "R2" in text


def test_week_report_goes_into_the_week_folder_and_respects_its_owner(tmp_path, tables):
    settings = settings_for()
    paths = write_week_report(tables, tmp_path, week=2, settings=settings)
    folder = tmp_path / "week-02"
    assert paths[-1] == folder / "report-week-02.html"
    assert (folder / "kpi-compliance-week-02.csv") in paths
    assert json.loads((folder / "plan.json").read_text())["week"] == 2
    # exporting week 2 replaces its folder whole (the build writes its report into it too);
    # week 3 may not use it
    write_week_outputs(small_week_plan(2, settings), tmp_path, settings=settings, reps=small_reps())
    assert not paths[-1].exists() and (folder / "routes.csv").exists()
    (folder / "plan.json").write_text(json.dumps({"week": 3, "cycle_start": "2027-01-04"}))
    with pytest.raises(RouteplanError, match="holds week 3"):
        write_week_report(tables, tmp_path, week=2, settings=settings)
    with pytest.raises(RouteplanError, match="outside the cycle"):
        write_week_report(tables, tmp_path, week=60, settings=settings)


def test_no_overdue_table_without_a_visit_log():
    settings = settings_for()
    plan = small_week_plan(2, settings)
    clients = plan.routes[["client_id", "name", "tier", "rep_id"]].drop_duplicates("client_id")
    tables = kpi_tables(plan, settings=settings, reps=small_reps(), clients=clients)
    assert "overdue" not in tables
    assert "compliance" not in tables
    assert {"drive", "utilisation", "workload", "balance", "backlog"} <= set(tables)


def test_report_registers_plotly_in_the_run_language() -> None:
    from routeplan.i18n import use_language
    from routeplan.kpis.report import report_html

    tables = kpi_example_tables()
    with use_language("es"):
        spanish = report_html(tables, week=2)
    with use_language("pt-BR"):
        portuguese = report_html(tables, week=2)
    english = report_html(tables, week=2)
    assert '"Download plot as a PNG": "Descargar el gráfico como PNG"' in spanish
    assert '"shortMonths": ["ene", "feb", "mar"' in spanish and '"decimal": ","' in spanish
    assert '"locale": "es"' in spanish and '"locale": "pt-BR"' in portuguese
    assert '"Download plot as a PNG": "Baixar o gráfico como PNG"' in portuguese
    assert "Plotly.register" not in english and '"locale"' not in english
    assert spanish.index("Plotly.register") < spanish.index("Plotly.newPlot")
