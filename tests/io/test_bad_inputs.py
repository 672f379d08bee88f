"""Catalogue of bad input: every kind ends in exit code 1, one line naming where, nothing written.

Each case copies a world that has been built once (data, plan store, exports and maps of
week 1), breaks one thing, runs the command a planner would run, and checks: exit code 1, one
``Error:`` line that names the file and the row/column or the key, no traceback, and every
file of the data, store, export and map folders byte-identical to before. The readers are
fuzzed with hypothesis: they read or raise RouteplanError, never anything else.
"""

from __future__ import annotations

import contextlib
import copy
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers.world import ZONES, write_world
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from routeplan.cli.main import main
from routeplan.config import settings_from_dict
from routeplan.errors import RouteplanError
from routeplan.io.readers import load_inputs, read_zones
from routeplan.io.tables import read_table
from routeplan.io.visit_log import visit_log_from_csv

Edit = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One kind of bad input: how to break the world and what the error line must name."""

    edit: Edit
    names: tuple[str, ...]
    command: tuple[str, ...] = ("build", "--week", "1")


def table(name: str, change: Callable[[pd.DataFrame], object]) -> Edit:
    def edit(data: Path) -> None:
        frame = pd.read_csv(data / name, dtype=str, keep_default_na=False)
        out = change(frame)
        (out if isinstance(out, pd.DataFrame) else frame).to_csv(data / name, index=False)

    return edit


def cell(name: str, row: int, column: str, value: str) -> Edit:
    """Set one cell; ``row`` is the file row (header = 1)."""

    def change(frame: pd.DataFrame) -> None:
        frame.loc[row - 2, column] = value

    return table(name, change)


def text(name: str, content: str, encoding: str = "utf-8") -> Edit:
    def edit(data: Path) -> None:
        (data / name).write_text(content, encoding=encoding)

    return edit


def header_only(name: str) -> Edit:
    def edit(data: Path) -> None:
        first = (data / name).read_text(encoding="utf-8").splitlines()[0]
        (data / name).write_text(first + "\n", encoding="utf-8")

    return edit


def binary(name: str, content: bytes) -> Edit:
    def edit(data: Path) -> None:
        (data / name).write_bytes(content)

    return edit


def zones(change: Callable[[dict], None]) -> Edit:
    def edit(data: Path) -> None:
        collection = copy.deepcopy(ZONES)
        change(collection)
        (data / "zones.geojson").write_text(json.dumps(collection))

    return edit


def _ring(feature: dict) -> list:
    return feature["geometry"]["coordinates"][0]


def _metres(collection: dict) -> None:
    for feature in collection["features"]:
        feature["geometry"]["coordinates"] = [
            [[x * 111_000 * 0.5, y * 111_000] for x, y in _ring(feature)]
        ]


def _bow_tie(collection: dict) -> None:
    x0 = _ring(collection["features"][1])[0][0]
    collection["features"][1]["geometry"]["coordinates"] = [
        [[x0, 60.15], [x0 + 0.1, 60.25], [x0 + 0.1, 60.15], [x0, 60.25], [x0, 60.15]]
    ]


def _overlap(collection: dict) -> None:
    for point in _ring(collection["features"][1]):
        point[0] -= 0.05  # zone 2 now covers half of zone 1


def _point(collection: dict) -> None:
    collection["features"][0]["geometry"] = {"type": "Point", "coordinates": [24.85, 60.2]}


def _same_zone_id(collection: dict) -> None:
    collection["features"][1]["properties"]["zone"] = "Z1"


def _no_zone_property(collection: dict) -> None:
    for feature in collection["features"]:
        feature["properties"] = {"name": "x"}


def toml(extra: str = "", *, replace: tuple[str, str] | None = None) -> Edit:
    def edit(data: Path) -> None:
        content = (data / "routeplan.toml").read_text(encoding="utf-8")
        if replace:
            assert replace[0] in content
            content = content.replace(*replace)
        (data / "routeplan.toml").write_text(content + extra, encoding="utf-8")

    return edit


def _swap_lat_lon(frame: pd.DataFrame) -> None:
    frame[["lat", "lon"]] = frame[["lon", "lat"]].to_numpy()


def _zero_zero(frame: pd.DataFrame) -> None:
    frame.loc[3, "lat"], frame.loc[3, "lon"] = "0", "0"


def _collide(frame: pd.DataFrame) -> None:
    frame.loc[0, "rep_id"], frame.loc[1, "rep_id"] = "R 1", "R_1"


def _same_zone_for_both_reps(frame: pd.DataFrame) -> None:
    frame.loc[1, "zone"] = "Z1"


def _two_rows(first: str, second: str) -> str:
    return f"client_id,date,status\n{first}\n{second}\n"


C, R, Z, T, V = "clients.csv", "reps.csv", "zones.geojson", "routeplan.toml", "visits.csv"
LOG = ("log", "import")

CASES: dict[str, Case] = {
    # clients
    "clients-empty-file": Case(text(C, ""), (C,)),
    "clients-header-only": Case(header_only(C), (C,)),
    "clients-binary-garbage": Case(binary(C, b"PK\x03\x04\x00\xff\xfe\x00garbage"), (C,)),
    "clients-missing-column": Case(table(C, lambda f: f.drop(columns="revenue")), (C, "revenue")),
    "clients-nan-lat": Case(cell(C, 3, "lat", "nan"), (C, "row 3", "'lat'")),
    "clients-inf-revenue": Case(cell(C, 4, "revenue", "inf"), (C, "row 4", "'revenue'")),
    "clients-text-in-number": Case(cell(C, 5, "lon", "24,9"), (C, "row 5", "'lon'")),
    "clients-lat-out-of-range": Case(cell(C, 6, "lat", "95"), (C, "row 6", "'lat'")),
    "clients-lat-lon-swapped": Case(table(C, _swap_lat_lon), (C, "row 2", "'lat'")),
    "clients-zero-zero": Case(table(C, _zero_zero), (C, "row 5", "'lat'")),
    "clients-negative-revenue": Case(cell(C, 7, "revenue", "-5"), (C, "row 7", "'revenue'")),
    "clients-margin-above-one": Case(cell(C, 8, "margin", "1.7"), (C, "row 8", "'margin'")),
    "clients-duplicate-id": Case(cell(C, 9, "client_id", "C000"), (C, "row 9", "'client_id'")),
    "clients-id-with-comma": Case(cell(C, 3, "client_id", "C,1"), (C, "row 3", "'client_id'")),
    "clients-id-with-quote": Case(cell(C, 3, "client_id", 'C"1'), (C, "row 3", "'client_id'")),
    "clients-id-with-newline": Case(cell(C, 3, "client_id", "C\n1"), (C, "row 3", "'client_id'")),
    "clients-empty-id": Case(cell(C, 4, "client_id", ""), (C, "row 4", "'client_id'")),
    "clients-very-long-name": Case(cell(C, 5, "name", "x" * 5000), (C, "row 5", "'name'")),
    "clients-unknown-tier": Case(cell(C, 6, "tier", "Z"), (C, "row 6", "'tier'")),
    "clients-bad-opening-time": Case(cell(C, 3, "opens", "25:00"), (C, "row 3", "'opens'")),
    "clients-closes-before-opens": Case(cell(C, 3, "closes", "07:00"), (C, "row 3", "'closes'")),
    "clients-service-zero": Case(cell(C, 4, "service_min", "0"), (C, "row 4", "'service_min'")),
    "clients-unknown-zone": Case(cell(C, 5, "zone", "Z9"), (C, "row 5", "'zone'")),
    # reps
    "reps-empty-file": Case(text(R, ""), (R,)),
    "reps-header-only": Case(header_only(R), (Z, "zone")),
    "reps-duplicate-id": Case(cell(R, 3, "rep_id", "R1"), (R, "row 3", "'rep_id'")),
    "reps-ids-share-a-file-name": Case(table(R, _collide), (R, "row 3", "'rep_id'", "row 2")),
    "reps-id-with-newline": Case(cell(R, 2, "rep_id", "R\n1"), (R, "row 2", "'rep_id'")),
    "reps-day-end-before-start": Case(cell(R, 2, "day_end", "07:00"), (R, "row 2", "'day_end'")),
    "reps-lunch-outside-day": Case(
        cell(R, 2, "lunch_start", "20:00"), (R, "row 2", "'lunch_start'")
    ),
    "reps-home-far-from-zone": Case(cell(R, 3, "home_lat", "-33.45"), (R, "row 3", "'home_lat'")),
    "reps-unknown-zone": Case(cell(R, 2, "zone", "Z9"), (R, "row 2", "'zone'")),
    "reps-bad-workdays": Case(cell(R, 2, "workdays", "Mon Funday"), (R, "row 2", "'workdays'")),
    "reps-zero-visits-per-day": Case(
        cell(R, 2, "max_visits_per_day", "0"), (R, "row 2", "'max_visits_per_day'")
    ),
    "reps-two-in-one-zone": Case(table(R, _same_zone_for_both_reps), (Z, "row 1", "'zone'")),
    # zones
    "zones-empty-file": Case(text(Z, ""), (Z,)),
    "zones-not-json": Case(text(Z, "{not json"), (Z,)),
    "zones-in-metres-without-crs": Case(zones(_metres), (Z, "row 1", "'geometry'")),
    "zones-self-intersecting": Case(zones(_bow_tie), (Z, "row 2", "'geometry'")),
    "zones-overlapping": Case(zones(_overlap), (Z, "row 2", "'geometry'")),
    "zones-point-geometry": Case(zones(_point), (Z, "row 1", "'geometry'")),
    "zones-duplicate-id": Case(zones(_same_zone_id), (Z, "row 2", "'zone'")),
    "zones-no-zone-property": Case(zones(_no_zone_property), (Z, "'zone'")),
    # config
    "config-unknown-key": Case(toml("\n[solver2]\nx = 1\n"), (T, "solver2")),
    "config-unknown-key-in-section": Case(
        toml(replace=("workers = 1", "workers = 1\nworker = 2")), (T, "solver.worker")
    ),
    "config-negative-time-limit": Case(
        toml(replace=("seconds_per_rep_week = 0.5", "seconds_per_rep_week = -1")),
        (T, "solver.seconds_per_rep_week"),
    ),
    "config-start-not-monday": Case(
        toml(replace=("start_date = 2027-01-04", "start_date = 2027-01-05")),
        (T, "cycle.start_date"),
    ),
    "config-not-toml": Case(toml("\n[cycle\n"), (T,)),
    "config-week-zero": Case(toml(), ("week 0", "weeks 1-4"), ("build", "--week", "0")),
    "config-week-past-the-cycle": Case(toml(), ("week 5", "weeks 1-4"), ("build", "--week", "5")),
    # visit log (imported with `routeplan log import visits.csv`)
    "log-date-outside-cycle": Case(
        text(V, _two_rows("C001,2027-01-05,done", "C002,2031-06-02,done")),
        (V, "row 3", "'date'"),
        (*LOG, V),
    ),
    "log-done-and-missed": Case(
        text(V, _two_rows("C001,2027-01-05,done", "C001,2027-01-05,missed")),
        (V, "row 3", "'status'"),
        (*LOG, V),
    ),
    "log-unknown-client": Case(
        text(V, _two_rows("C001,2027-01-05,done", "NOPE,2027-01-05,done")),
        (V, "row 3", "'client_id'"),
        (*LOG, V),
    ),
    "log-bad-status": Case(
        text(V, _two_rows("C001,2027-01-05,maybe", "C002,2027-01-05,done")),
        (V, "row 2", "'status'"),
        (*LOG, V),
    ),
    "log-bad-date": Case(
        text(V, _two_rows("C001,05/01/2027,done", "C002,2027-01-05,done")),
        (V, "row 2", "'date'"),
        (*LOG, V),
    ),
    "log-empty-file": Case(text(V, ""), (V,), (*LOG, V)),
    "log-missing-column": Case(
        text(V, "client_id,date\nC001,2027-01-05\n"), (V, "'status'"), (*LOG, V)
    ),
}


def run(data: Path, out: Path, *command: str) -> object:
    args = ["--data", str(data), *command]
    if command[0] == "build":
        args += ["--out", str(out / "out"), "--maps", str(out / "maps")]
    elif command[:2] == LOG:
        args[-1] = str(data / command[-1])
    return CliRunner().invoke(main, args)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A world with a plan store and week 1 built: what a bad input must leave alone."""
    root = tmp_path_factory.mktemp("built")
    write_world(root / "data")
    result = run(root / "data", root, "build", "--week", "1")
    assert result.exit_code == 0, result.output
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def test_the_catalogue_covers_at_least_40_kinds() -> None:
    assert len(CASES) >= 40
    kinds = {name.split("-")[0] for name in CASES}
    assert kinds == {"clients", "reps", "zones", "config", "log"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_line_and_changes_nothing(name: str, built: Path, tmp_path: Path) -> None:
    case = CASES[name]
    root = tmp_path / "world"
    shutil.copytree(built, root)
    case.edit(root / "data")
    before = snapshot(root)
    result = run(root / "data", root, *case.command)
    output = result.output
    assert result.exit_code == 1, output
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, output
    for part in case.names:
        assert part in errors[0], (part, errors[0])
    assert snapshot(root) == before
    assert not [p for p in root.rglob(".*staging*")]


def test_a_small_overlap_is_a_warning_with_area_and_clients(tmp_path: Path) -> None:
    data = write_world(tmp_path / "data")

    def nudge(collection: dict) -> None:
        for point in _ring(collection["features"][1]):
            if point[0] < 24.95:
                point[0] -= 0.002  # a sliver: 0.2 % of the zone

    zones(nudge)(data)
    result = CliRunner().invoke(main, ["--data", str(data), "validate"])
    assert result.exit_code == 0, result.output
    warning = [line for line in result.output.splitlines() if line.startswith("Warning:")]
    warning = [line for line in warning if "overlap" in line]
    assert len(warning) == 1
    assert "'Z1' and 'Z2' overlap by" in warning[0] and "km²" in warning[0]


# ------------------------------------------------------------------ fuzzing the readers

CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "nan", "inf", "-1", "1e400", "08:00", "25:61", "=1+2", "\t", ",", '"']),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
COLUMNS = ["client_id", "name", "lat", "lon", "revenue", "margin", "zone", "opens", "closes"]
FUZZ = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(
    header=st.lists(st.sampled_from([*COLUMNS, "x", ""]), min_size=0, max_size=10),
    rows=st.lists(st.lists(CELLS, max_size=10), max_size=6),
    raw=st.binary(max_size=60),
    use_raw=st.booleans(),
)
def test_the_readers_read_or_raise_their_own_error(
    tmp_path: Path, header: list[str], rows: list[list[str]], raw: bytes, use_raw: bool
) -> None:
    data = write_world(tmp_path / "fuzz")
    path = data / "clients.csv"
    if use_raw:
        path.write_bytes(raw)
    else:
        lines = [",".join(header), *(",".join(f'"{c}"' for c in row) for row in rows)]
        path.write_text("\n".join(lines), encoding="utf-8")
    settings = settings_from_dict({"cycle": {"weeks": 4, "start_date": "2027-01-04"}})
    for read in (
        lambda: read_table(path),
        lambda: load_inputs(data, settings),
        lambda: visit_log_from_csv(path, ["C000"], cycle=settings.cycle),
    ):
        with contextlib.suppress(RouteplanError):
            read()


@FUZZ
@given(
    coordinates=st.lists(
        st.tuples(
            st.floats(allow_nan=True, allow_infinity=True, width=32),
            st.floats(allow_nan=True, allow_infinity=True, width=32),
        ),
        max_size=6,
    ),
    kind=st.sampled_from(["Polygon", "LineString", "Point", "MultiPolygon", "Nonsense"]),
)
def test_the_zone_reader_reads_or_raises_its_own_error(
    tmp_path: Path, coordinates: list[tuple[float, float]], kind: str
) -> None:
    ring = [list(c) for c in coordinates]
    shape = {"Polygon": [ring], "MultiPolygon": [[ring]], "Point": ring[0] if ring else [0, 0]}
    geometry = {"type": kind, "coordinates": shape.get(kind, ring)}
    feature = {"type": "Feature", "properties": {"zone": "Z1"}, "geometry": geometry}
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with contextlib.suppress(RouteplanError):
        read_zones(path)


def test_validate_lists_a_large_overlap_with_the_other_problems(tmp_path: Path) -> None:
    data = write_world(tmp_path / "data")

    def nudge(collection: dict) -> None:
        for point in _ring(collection["features"][1]):
            if point[0] < 24.95:
                point[0] -= 0.03  # a third of the zone lies in its neighbour

    zones(nudge)(data)
    result = CliRunner().invoke(main, ["--data", str(data), "validate"])
    assert result.exit_code == 1
    rejects = (data / "validation" / "rejects-zones.csv").read_text(encoding="utf-8")
    assert "'Z1' and 'Z2' overlap by" in rejects
