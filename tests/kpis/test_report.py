from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from helpers.exports_fixtures import kpi_example_tables, settings_for, small_reps, small_week_plan
from rich.console import Console

from routeplan.cli.console import rich_tables
from routeplan.errors import RouteplanError
from routeplan.i18n import use_language
from routeplan.io.exports import write_week_outputs
from routeplan.kpis.report import (
    TABLE_TITLES,
    kpi_tables,
    report_html,
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


def test_html_report_is_one_file_with_svg_charts_and_no_script(tmp_path, tables):
    path = write_report_html(tables, tmp_path / "report.html", week=2)
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # nothing to load or run: the charts are SVG in the page, no file is written beside it
    assert "<script" not in page and "src=" not in page and "href=" not in page
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<html lang="en">' in page
    for chart in ("compliance", "drive", "utilisation", "workload", "backlog"):
        assert re.search(rf'<figure class="chart" id="chart-{chart}">.*?<svg ', page, re.S)
    for name, title in TABLE_TITLES.items():
        assert f'id="table-{name}"' in page
        assert title in page
    assert "KPIs of week 2" in page
    assert len(page.encode()) < 200_000


def test_report_chart_bars_hold_the_tables_values(tables):
    page = report_html(tables, week=2)
    workload = tables["workload"]
    drawn = re.search(r'id="chart-workload">(.*?)</figure>', page, re.S).group(1)
    titles = re.findall(r"<title>([^<]*)</title>", drawn)
    assert len(titles) == len(workload)
    for rep, hours in zip(workload["rep_id"], workload["hours"], strict=True):
        shown = f"{hours:.1f}".removesuffix(".0")
        assert f"hours · {rep}: {shown} hours" in titles
    heights = [float(h) for h in re.findall(r'class="bar"[^>]*height="([0-9.]+)"', drawn)]
    # bar heights are proportional to the hours
    ratio = [h / v for h, v in zip(heights, workload["hours"], strict=True) if v]
    assert max(ratio) - min(ratio) < 0.2
    assert 'class="mean-line"' in drawn


def test_report_compliance_chart_says_when_nothing_is_done(tables):
    done = dict(tables)
    done["compliance"] = tables["compliance"].assign(done=0, done_pct=0.0)
    note = "No visit is recorded as done yet (no visit log)."
    assert note in report_html(done, week=2)
    assert note not in report_html(tables, week=2)


def test_html_report_escapes_names(tmp_path, tables):
    tables = dict(tables)
    tables["overdue"] = tables["overdue"].assign(name="<b>Evil & Co</b>")
    page = write_report_html(tables, tmp_path / "r.html", week=2).read_text()
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in page


def test_chart_texts_from_the_crm_are_escaped(tables):
    tables = dict(tables)
    evil = '<img src=x onerror="alert(1)">'
    tables["workload"] = tables["workload"].assign(rep_id=evil)
    tables["drive"] = tables["drive"].assign(rep_id=evil)
    page = report_html(tables, week=2)
    assert "<img" not in page  # never a tag: text in the tables, escaped in the charts
    svg = re.search(r'id="chart-workload">(.*?)</figure>', page, re.S).group(1)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in svg


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


@pytest.mark.parametrize(
    ("language", "date", "opens", "rep_day"),
    [
        ("en", "Jan 11, 2027", "8:00\u202fPM", "8:00\u202fAM–5:00\u202fPM"),
        ("es", "11 ene 2027", "20:00", "8:00–17:00"),
        ("pt_BR", "11 de jan. de 2027", "20:00", "08:00–17:00"),
    ],
)
def test_report_writes_dates_and_times_as_the_locale_does(tables, language, date, opens, rep_day):
    with use_language(language):
        page = report_html(tables, week=2)
    drive = re.search(r'id="table-drive">(.*?)</section>', page, re.S).group(1)
    unservable = re.search(r'id="table-unservable">(.*?)</section>', page, re.S).group(1)
    assert f"<td>{date}</td>" in drive and "2027-01-11" not in drive
    assert f"<td>{opens}</td>" in unservable
    assert f"<td>{rep_day}</td>" in unservable
    # the CSV files keep ISO dates for machines
    assert "2027-01-11" in tables["drive"]["date"].tolist()


@pytest.mark.parametrize(
    ("language", "hours", "visits"),
    [("en", ["1,234.5", "2.0"], ["1,500", "12"]), ("es", ["1.234,5", "2,0"], ["1.500", "12"]),
     ("pt_BR", ["1.234,5", "2,0"], ["1.500", "12"])],
)  # fmt: skip
def test_report_tables_write_numbers_as_the_locale_does(language, hours, visits) -> None:
    from routeplan.kpis.report import for_people

    table = pd.DataFrame({"rep_id": ["R1", "R2"], "drive_h": [1234.5, 2.0], "visits": [1500, 12]})
    with use_language(language):
        shown = for_people(table)
    assert shown.iloc[:, 1].tolist() == hours
    assert shown.iloc[:, 2].tolist() == visits
    assert table["drive_h"].tolist() == [1234.5, 2.0]  # the CSV keeps machine numbers
