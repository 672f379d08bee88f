from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import gpxpy
import icalendar
import openpyxl
import pandas as pd
import pytest
from helpers.exports_fixtures import HOMES, settings_for, small_reps, small_week_plan
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from routeplan.config import settings_from_dict
from routeplan.errors import ConfigError, RouteplanError
from routeplan.i18n import use_language
from routeplan.io.exports import (
    route_lines_from_geojson,
    routes_from_csv,
    routes_from_geojson,
    write_week_outputs,
)
from routeplan.model.plan import WeekPlan

GPX_NS = "http://www.topografix.com/GPX/1/1"
WINTER_WEEK = 2  # 2027-01-11..17, Helsinki is UTC+2
SUMMER_WEEK = 27  # 2027-07-05..11, Helsinki is UTC+3 (EEST)


@pytest.fixture
def settings():
    return settings_for()


def _export(plan: WeekPlan, out: Path, settings, **kwargs) -> dict[str, list[Path]]:
    return write_week_outputs(plan, out, settings=settings, reps=small_reps(), **kwargs)


def test_writes_every_output_into_the_week_folder(tmp_path, settings):
    plan = small_week_plan(WINTER_WEEK, settings)
    written = _export(plan, tmp_path, settings)
    folder = tmp_path / "week-02"
    names = {p.relative_to(folder).as_posix() for paths in written.values() for p in paths}
    assert names == {
        "routes.csv",
        "days.csv",
        "dropped.csv",
        "routes.geojson",
        "week-02.xlsx",
        "ics/R1.ics",
        "ics/R2.ics",
        # one GPX per rep-day with visits: R1's empty Wednesday has none
        "gpx/R1-2027-01-11.gpx",
        "gpx/R1-2027-01-12.gpx",
        "gpx/R2-2027-01-11.gpx",
        "gpx/R2-2027-01-12.gpx",
        "plan.json",
    }
    manifest = json.loads((folder / "plan.json").read_text())
    assert manifest["week"] == 2
    assert manifest["cycle_start"] == "2027-01-04"
    assert manifest["week_start"] == "2027-01-11"
    assert "gpx/R2-2027-01-12.gpx" in manifest["files"]
    dropped = pd.read_csv(folder / "dropped.csv")
    assert dropped["client_id"].tolist() == ["C09"]
    assert dropped["reason"].tolist() == ["no time left on any workday"]


def test_routes_csv_round_trips(tmp_path, settings):
    plan = small_week_plan(WINTER_WEEK, settings)
    _export(plan, tmp_path, settings)
    back = routes_from_csv(tmp_path / "week-02" / "routes.csv")
    pd.testing.assert_frame_equal(back, plan.routes, check_dtype=False)
    assert back["catch_up"].dtype == bool
    assert back.loc[4, "address"] == ""
    assert back.loc[0, "name"] == "Kahvila Ääkkönen"


def test_routes_geojson_round_trips_stops_and_lines(tmp_path, settings):
    plan = small_week_plan(WINTER_WEEK, settings)
    _export(plan, tmp_path, settings)
    path = tmp_path / "week-02" / "routes.geojson"
    back = routes_from_geojson(path)
    pd.testing.assert_frame_equal(back, plan.routes, check_dtype=False)
    collection = json.loads(path.read_text())
    kinds = [f["properties"]["kind"] for f in collection["features"]]
    assert kinds.count("stop") == 10
    assert kinds.count("route") == 4
    lines = route_lines_from_geojson(path)
    r1_monday = lines[("R1", "2027-01-11")]
    stops = plan.routes[(plan.routes.rep_id == "R1") & (plan.routes.date == "2027-01-11")]
    assert r1_monday[0] == r1_monday[-1] == HOMES["R1"]
    assert r1_monday[1:-1] == list(zip(stops.lat, stops.lon, strict=True))
    # GeoJSON order is lon, lat
    first_stop = next(f for f in collection["features"] if f["properties"]["kind"] == "stop")
    assert first_stop["geometry"]["coordinates"] == [24.9414, 60.1712]


def test_geojson_uses_road_geometry_when_given(tmp_path, settings):
    plan = small_week_plan(WINTER_WEEK, settings)
    road = [(60.17, 24.94), (60.1705, 24.9405), (60.1712, 24.9414), (60.17, 24.94)]
    _export(plan, tmp_path, settings, legs={("R1", "2027-01-11"): road})
    lines = route_lines_from_geojson(tmp_path / "week-02" / "routes.geojson")
    assert lines[("R1", "2027-01-11")] == road
    assert len(lines[("R2", "2027-01-11")]) == 2 + 2  # straight: home, 2 stops, home


def _events(path: Path) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


@pytest.mark.parametrize(
    ("week", "offset_h", "monday"),
    [(WINTER_WEEK, 2, dt.date(2027, 1, 11)), (SUMMER_WEEK, 3, dt.date(2027, 7, 5))],
)
def test_ics_holds_one_event_per_visit_in_local_time(tmp_path, settings, week, offset_h, monday):
    plan = small_week_plan(week, settings)
    _export(plan, tmp_path, settings)
    folder = tmp_path / f"week-{week:02d}"
    for rep_id in ("R1", "R2"):
        path = folder / "ics" / f"{rep_id}.ics"
        events = _events(path)
        stops = plan.routes[plan.routes.rep_id == rep_id]
        assert len(events) == len(stops)
        raw = path.read_text()
        assert "TZID:Europe/Helsinki" in raw
        # clients without the IANA database rely on the VTIMEZONE: its rules give the offset
        (vtimezone,) = icalendar.Calendar.from_ical(raw).walk("VTIMEZONE")
        rules = vtimezone.to_tz()
        wall = dt.datetime.combine(monday, dt.time(9, 0))
        assert wall.replace(tzinfo=rules).utcoffset() == dt.timedelta(hours=offset_h)
        for event, stop in zip(events, stops.itertuples(), strict=True):
            start, end = event.decoded("dtstart"), event.decoded("dtend")
            assert start.tzinfo.key == "Europe/Helsinki"
            assert start.utcoffset() == dt.timedelta(hours=offset_h)
            assert start.date().isoformat() == stop.date
            assert start.strftime("%H:%M") == stop.start
            assert end.strftime("%H:%M") == stop.depart
            utc = start.astimezone(dt.UTC)
            hours, minutes = map(int, stop.start.split(":"))
            assert (utc.hour, utc.minute) == (hours - offset_h, minutes)
            assert str(event["summary"]) == f"{stop.name} ({stop.tier})"
            geo = event["geo"]
            assert (geo.latitude, geo.longitude) == (stop.lat, stop.lon)
            expected_location = stop.address or f"{stop.lat:.6f}, {stop.lon:.6f}"
            assert str(event["location"]) == expected_location
            description = str(event["description"])
            assert f"Tier: {stop.tier}" in description
            assert f"Why this week: {stop.reason}" in description
            assert (
                str(event["uid"]) == f"w{week:02d}-{rep_id}-{stop.client_id}-{stop.date}@routeplan"
            )
            assert str(event["url"]).startswith("https://www.google.com/maps/dir/?api=1")
    assert json.loads((folder / "plan.json").read_text())["week_start"] == monday.isoformat()


def test_ics_uses_given_day_links_and_stays_stable(tmp_path, settings):
    plan = small_week_plan(WINTER_WEEK, settings)
    links = {("R1", "2027-01-11"): ["maps/week-02/R1.html#mon", "https://example.org/leg2"]}
    _export(plan, tmp_path / "a", settings, day_links=links)
    _export(plan, tmp_path / "b", settings, day_links=links)
    path_a = tmp_path / "a" / "week-02" / "ics" / "R1.ics"
    path_b = tmp_path / "b" / "week-02" / "ics" / "R1.ics"
    assert path_a.read_bytes() == path_b.read_bytes()
    monday_events = [e for e in _events(path_a) if e.decoded("dtstart").day == 11]
    assert len(monday_events) == 3
    for event in monday_events:
        assert str(event["url"]) == "maps/week-02/R1.html#mon"
        assert "Day route: https://example.org/leg2" in str(event["description"])
    uids = [str(e["uid"]) for e in _events(path_a)]
    assert len(set(uids)) == len(uids)


def _check_gpx_structure(path: Path) -> ET.Element:
    """Structural GPX 1.1 checks: namespace, version, child order, coordinate ranges, UTC times."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{GPX_NS}}}gpx"
    assert root.get("version") == "1.1"
    assert root.get("creator") == "routeplan"
    order = {"metadata": 0, "wpt": 1, "rte": 2, "trk": 3, "extensions": 4}
    ranks = [order[child.tag.removeprefix(f"{{{GPX_NS}}}")] for child in root]
    assert ranks == sorted(ranks)
    for point in root.iter():
        if point.tag in (f"{{{GPX_NS}}}wpt", f"{{{GPX_NS}}}rtept"):
            assert -90 <= float(point.get("lat")) <= 90
            assert -180 <= float(point.get("lon")) < 180
        if point.tag == f"{{{GPX_NS}}}time":
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", point.text)
    return root


@pytest.mark.parametrize(("week", "offset_h"), [(WINTER_WEEK, 2), (SUMMER_WEEK, 3)])
def test_gpx_per_rep_day_parses_and_follows_the_route(tmp_path, settings, week, offset_h):
    plan = small_week_plan(week, settings)
    written = _export(plan, tmp_path, settings)
    assert len(written["gpx"]) == 4
    for path in written["gpx"]:
        _check_gpx_structure(path)
        rep_id, date_iso = path.stem.split("-", 1)
        gpx = gpxpy.parse(path.read_text())
        stops = plan.routes[(plan.routes.rep_id == rep_id) & (plan.routes.date == date_iso)]
        assert len(gpx.routes) == 1
        points = gpx.routes[0].points
        assert len(points) == len(stops) + 2
        home = HOMES[rep_id]
        assert (points[0].latitude, points[0].longitude) == home
        assert (points[-1].latitude, points[-1].longitude) == home
        assert [(p.latitude, p.longitude) for p in points[1:-1]] == list(
            zip(stops.lat, stops.lon, strict=True)
        )
        assert len(gpx.waypoints) == len(stops)
        first = stops.iloc[0]
        hours, minutes = map(int, first.arrive.split(":"))
        arrive_utc = points[1].time.astimezone(dt.UTC)
        assert arrive_utc.date().isoformat() == date_iso
        assert (arrive_utc.hour, arrive_utc.minute) == (hours - offset_h, minutes)


def test_xlsx_has_a_sheet_per_rep_and_a_summary(tmp_path, settings):
    plan = small_week_plan(WINTER_WEEK, settings)
    _export(plan, tmp_path, settings)
    workbook = openpyxl.load_workbook(tmp_path / "week-02" / "week-02.xlsx")
    assert workbook.sheetnames == ["summary", "R1", "R2", "dropped"]
    r1 = pd.read_excel(tmp_path / "week-02" / "week-02.xlsx", sheet_name="R1")
    assert r1["client"].tolist() == ["C01", "C02", "C03", "C01", "C04"]  # headings for people
    assert set(r1["day"]) <= {"Mon", "Tue", "Wed", "Thu", "Fri"}
    summary = pd.read_excel(tmp_path / "week-02" / "week-02.xlsx", sheet_name="summary")
    assert len(summary) == 5
    assert set(summary["rep name"]) == {"Aino", "Ville"}


def test_xlsx_sheets_and_headings_in_spanish(tmp_path, settings):
    plan = small_week_plan(WINTER_WEEK, settings)
    with use_language("es"):
        _export(plan, tmp_path, settings)
    path = tmp_path / "week-02" / "week-02.xlsx"
    assert openpyxl.load_workbook(path).sheetnames == ["resumen", "R1", "R2", "descartadas"]
    r1 = pd.read_excel(path, sheet_name="R1")
    assert list(r1.columns[:7]) == [
        "fecha",
        "día",
        "parada",
        "llegada",
        "inicio",
        "salida",
        "cliente",
    ]
    assert set(r1["día"]) <= {"lun", "mar", "mié", "jue", "vie"}
    dropped = pd.read_excel(path, sheet_name="descartadas")
    assert {"código de motivo", "motivo"} <= set(dropped.columns)


def test_week_outside_the_cycle_is_refused(tmp_path):
    settings = settings_for(weeks=12)
    plan = small_week_plan(13, settings_for(weeks=52))
    with pytest.raises(RouteplanError, match=r"week 13 is outside the cycle \(weeks 1-12\)"):
        _export(plan, tmp_path, settings)
    assert not (tmp_path / "week-13").exists()


def test_plan_dates_from_another_cycle_start_are_refused(tmp_path, settings):
    plan = small_week_plan(WINTER_WEEK, settings)
    other = settings_for(start=dt.date(2027, 2, 1))
    with pytest.raises(RouteplanError, match=r"not in week 2 of the cycle \(2027-02-08"):
        _export(plan, tmp_path, other)


def test_invalid_start_date_and_time_zone_are_config_errors():
    with pytest.raises(ConfigError, match=r"cycle\.start_date"):
        settings_from_dict({"cycle": {"start_date": "2027-02-30"}})
    with pytest.raises(ConfigError, match=r"cycle\.start_date"):
        settings_from_dict({"cycle": {"start_date": "next monday"}})
    # caught when the settings are read (validate, build), not when the ICS files are written
    with pytest.raises(ConfigError, match=r"cycle\.timezone.*unknown time zone 'Europe/Atlantis'"):
        settings_from_dict({"cycle": {"timezone": "Europe/Atlantis"}})


def test_unwritable_out_dir_names_the_path(tmp_path, settings):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should go")
    plan = small_week_plan(WINTER_WEEK, settings)
    with pytest.raises(RouteplanError, match=r"cannot write to output folder .*not-a-folder"):
        _export(plan, blocker, settings)


def test_never_overwrites_another_weeks_files(tmp_path, settings):
    plan = small_week_plan(WINTER_WEEK, settings)
    _export(plan, tmp_path, settings)
    folder = tmp_path / "week-02"
    # someone renamed week 5's folder to week-02: its manifest still says week 5
    manifest = json.loads((folder / "plan.json").read_text())
    manifest["week"] = 5
    (folder / "plan.json").write_text(json.dumps(manifest))
    before = (folder / "routes.csv").read_bytes()
    with pytest.raises(RouteplanError, match="holds week 5") as info:
        _export(plan, tmp_path, settings)
    assert info.value.hint
    assert (folder / "routes.csv").read_bytes() == before


def test_another_cycle_same_week_number_is_refused(tmp_path, settings):
    _export(small_week_plan(WINTER_WEEK, settings), tmp_path, settings)
    later = settings_for(start=dt.date(2027, 4, 5))
    with pytest.raises(RouteplanError, match="cycle starting 2027-01-04"):
        _export(small_week_plan(WINTER_WEEK, later), tmp_path, later)


def test_reexport_of_the_same_week_replaces_stale_files(tmp_path, settings):
    plan = small_week_plan(WINTER_WEEK, settings)
    _export(plan, tmp_path, settings)
    stale = tmp_path / "week-02" / "gpx" / "R1-2027-01-12.gpx"
    assert stale.exists()
    keep = plan.routes[~((plan.routes.rep_id == "R1") & (plan.routes.date == "2027-01-12"))]
    days = plan.days.copy()
    days.loc[(days.rep_id == "R1") & (days.date == "2027-01-12"), "visits"] = 0
    replanned = WeekPlan(plan.week, keep.reset_index(drop=True), days, plan.dropped)
    _export(replanned, tmp_path, settings)
    assert not stale.exists()
    assert len(_events(tmp_path / "week-02" / "ics" / "R1.ics")) == 3
    assert len(routes_from_csv(tmp_path / "week-02" / "routes.csv")) == 8


def test_exports_are_deterministic(tmp_path, settings):
    plan = small_week_plan(SUMMER_WEEK, settings)
    first = _export(plan, tmp_path / "a", settings)
    second = _export(plan, tmp_path / "b", settings)
    for kind in ("csv", "geojson", "ics", "gpx"):
        for a, b in zip(first[kind], second[kind], strict=True):
            assert a.read_bytes() == b.read_bytes(), a.name


def test_day_route_links_split_long_days_into_chained_legs():
    from routeplan.io.ics import day_route_links

    home = (60.17, 24.94)
    stops = [(60.0 + i / 100, 25.0) for i in range(1, 21)]
    links = day_route_links(home, stops)
    assert len(links) == 3

    def part(link: str, key: str) -> str:
        return re.search(rf"[?&]{key}=([^&]*)", link).group(1)

    assert part(links[0], "origin") == "60.170000,24.940000"
    assert part(links[0], "destination") == part(links[1], "origin") == "60.100000,25.000000"
    assert part(links[1], "destination") == part(links[2], "origin") == "60.200000,25.000000"
    assert part(links[2], "destination") == "60.170000,24.940000"
    assert part(links[0], "waypoints").count("%7C") == 8  # 9 waypoints between
    assert "waypoints" not in links[2]


def test_a_week_without_visits_still_exports(tmp_path, settings):
    plan = small_week_plan(WINTER_WEEK, settings)
    days = plan.days.assign(visits=0, travel_min=0.0, km=0.0, service_min=0)
    empty = WeekPlan(plan.week, plan.routes.iloc[0:0], days, plan.dropped)
    written = _export(empty, tmp_path, settings)
    assert written["gpx"] == []
    assert [p.name for p in written["ics"]] == ["R1.ics", "R2.ics"]
    assert _events(written["ics"][0]) == []
    assert routes_from_csv(tmp_path / "week-02" / "routes.csv").empty
    assert routes_from_geojson(tmp_path / "week-02" / "routes.geojson").empty


text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(text, min_size=10, max_size=10),
    addresses=st.lists(text, min_size=10, max_size=10),
    coords=st.lists(
        st.tuples(st.floats(-89.9, 89.9), st.floats(-179.9, 179.9)), min_size=10, max_size=10
    ),
)
def test_csv_and_geojson_round_trip_any_text_and_coordinates(tmp_path, names, addresses, coords):
    plan = small_week_plan(WINTER_WEEK, settings_for())
    routes = plan.routes.assign(
        name=names,
        address=addresses,
        lat=[lat for lat, _ in coords],
        lon=[lon for _, lon in coords],
    )
    changed = WeekPlan(plan.week, routes, plan.days, plan.dropped)
    from routeplan.io.plan_files import write_routes_csv, write_routes_geojson

    csv_path = write_routes_csv(changed.routes, tmp_path / "r.csv")
    geojson_path = write_routes_geojson(changed, tmp_path / "r.geojson")
    pd.testing.assert_frame_equal(routes_from_csv(csv_path), routes, check_dtype=False)
    pd.testing.assert_frame_equal(routes_from_geojson(geojson_path), routes, check_dtype=False)
