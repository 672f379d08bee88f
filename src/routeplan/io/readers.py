"""Load and validate clients, reps and zones (CSV, XLSX, GeoJSON, GeoPackage)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from routeplan.config import Settings, WorkdayConfig, minutes_of
from routeplan.errors import InputError, Problem
from routeplan.i18n import _
from routeplan.io.filenames import file_name_problems, id_problems
from routeplan.io.tables import find_table, read_table
from routeplan.io.validate import Checked, Column, check_table, duplicate_problems
from routeplan.io.zone_checks import (
    degree_problems,
    far_client_problems,
    home_problems,
    overlap_findings,
    validity_problems,
)
from routeplan.model.lifecycle import STAGES, yes_no

CLIENT_COLUMNS: tuple[Column, ...] = (
    Column("client_id"),
    Column("name", optional_cells=True),
    Column("lat", "float", low=-90, high=90),
    Column("lon", "float", low=-180, high=180),
    Column("address", required=False, optional_cells=True),
    Column("revenue", "float", low=0),
    Column("margin", "float", low=0, high=1),
    Column("orders_per_year", "float", required=False, optional_cells=True, low=0),
    Column("potential", "float", required=False, optional_cells=True, low=0),
    Column("tier", required=False, optional_cells=True),
    Column("zone", required=False, optional_cells=True),
    Column("opens", "hhmm", required=False, optional_cells=True),
    Column("closes", "hhmm", required=False, optional_cells=True),
    Column("service_min", "int", required=False, optional_cells=True, low=1, high=480),
    # lifecycle and loyalty (optional; meaning in data/README.md, used by routeplan capacity)
    Column("stage", required=False, optional_cells=True),
    Column("share_of_wallet", "float", required=False, optional_cells=True, low=0, high=1),
    Column("buys_from_competitors", required=False, optional_cells=True),
    Column("growth_potential", "float", required=False, optional_cells=True, low=0, high=1),
    # Shown on the rep's stop cards (a tel: link, who to ask for, notes); free CRM text.
    Column("phone", required=False, optional_cells=True),
    Column("contact", required=False, optional_cells=True),
    Column("notes", required=False, optional_cells=True),
)

REP_COLUMNS: tuple[Column, ...] = (
    Column("rep_id"),
    Column("name", optional_cells=True),
    Column("home_lat", "float", low=-90, high=90),
    Column("home_lon", "float", low=-180, high=180),
    Column("zone"),
    Column("day_start", "hhmm", required=False, optional_cells=True),
    Column("day_end", "hhmm", required=False, optional_cells=True),
    Column("lunch_start", "hhmm", required=False, optional_cells=True),
    Column("lunch_min", "int", required=False, optional_cells=True, low=0, high=120),
    Column("workdays", "days", required=False, optional_cells=True),
    Column("max_visits_per_day", "int", required=False, optional_cells=True, low=1, high=60),
)

ZONE_SUFFIXES: tuple[str, ...] = (".geojson", ".json", ".gpkg")


@dataclass
class Inputs:
    """Everything a plan is made from, validated.

    ``rejects`` holds rows left out under ``skip_invalid``, one frame per file, each row with
    its file row number and reason.
    """

    clients: pd.DataFrame
    reps: pd.DataFrame
    zones: gpd.GeoDataFrame
    files: dict[str, Path]
    rejects: dict[str, pd.DataFrame] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _coordinate_problems(table: pd.DataFrame, lat: str, lon: str, *, file: str) -> list[Problem]:
    """Flag (0, 0) coordinates, the usual sign of a missing geocode."""
    zero = (table[lat] == 0) & (table[lon] == 0)
    return [
        Problem(file, "coordinates are 0,0 (missing geocode?)", int(row), lat)
        for row in table.index[zero]
    ]


def _time_order_problems(
    table: pd.DataFrame, first: str, second: str, *, file: str
) -> list[Problem]:
    problems = []
    for row, a, b in zip(table.index, table[first], table[second], strict=True):
        if a and b and minutes_of(b) <= minutes_of(a):
            problems.append(
                Problem(file, f"{second} {b} is not after {first} {a}", int(row), second)
            )
    return problems


def check_clients(raw: pd.DataFrame, settings: Settings, *, file: str) -> Checked:
    """Check a raw clients table: types, ranges, ids, tier overrides, opening hours."""
    checked = check_table(raw, CLIENT_COLUMNS, file=file)
    rows = checked.rows
    known_tiers = settings.tier_names
    extra = duplicate_problems(rows, "client_id", file=file)
    extra += id_problems(rows, "client_id", file=file)
    extra += _coordinate_problems(rows, "lat", "lon", file=file)
    extra += _time_order_problems(rows, "opens", "closes", file=file)
    for row, tier in rows["tier"].items():
        if tier and tier not in known_tiers:
            extra.append(
                Problem(file, f"unknown tier '{tier}'; use one of {known_tiers}", int(row), "tier")
            )
    extra += _lifecycle_problems(rows, file=file)
    return _drop_rows(checked, extra)


def _lifecycle_problems(rows: pd.DataFrame, *, file: str) -> list[Problem]:
    """Unknown ``stage`` values and ``buys_from_competitors`` cells that are not yes/no."""
    problems = []
    if "stage" in rows:
        for row, stage in rows["stage"].items():
            if stage and str(stage).strip().lower() not in STAGES:
                msg = f"unknown stage '{stage}'; use one of {list(STAGES)}"
                problems.append(Problem(file, msg, int(row), "stage"))
    if "buys_from_competitors" in rows:
        for row, cell in rows["buys_from_competitors"].items():
            try:
                yes_no(cell)
            except ValueError as exc:
                problems.append(Problem(file, str(exc), int(row), "buys_from_competitors"))
    return problems


def check_reps(raw: pd.DataFrame, *, file: str, workday: WorkdayConfig | None = None) -> Checked:
    """Check a raw reps table: types, ranges, ids, file names made from ids, working hours.

    ``workday`` gives the defaults of empty cells, for the check that lunch is in the day.
    """
    checked = check_table(raw, REP_COLUMNS, file=file)
    extra = duplicate_problems(checked.rows, "rep_id", file=file)
    extra += file_name_problems(checked.rows, "rep_id", file=file)
    extra += id_problems(checked.rows, "rep_id", file=file)
    extra += _coordinate_problems(checked.rows, "home_lat", "home_lon", file=file)
    extra += _time_order_problems(checked.rows, "day_start", "day_end", file=file)
    extra += _lunch_problems(checked.rows, workday or WorkdayConfig(), file=file)
    return _drop_rows(checked, extra)


def _lunch_problems(table: pd.DataFrame, workday: WorkdayConfig, *, file: str) -> list[Problem]:
    """Rows whose lunch break does not lie inside their working day."""
    problems = []
    for row, rep in table.iterrows():
        start = minutes_of(rep["day_start"] or workday.day_start)
        end = minutes_of(rep["day_end"] or workday.day_end)
        lunch_text = rep["lunch_start"] or workday.lunch_start
        minutes = rep["lunch_min"]
        length = workday.lunch_min if minutes is None or pd.isna(minutes) else int(minutes)
        lunch = minutes_of(lunch_text)
        if end > start and length and not (start <= lunch and lunch + length <= end):
            message = _(
                "lunch at {lunch} for {minutes} min is outside the working day {start}-{end}",
                lunch=lunch_text,
                minutes=length,
                start=rep["day_start"] or workday.day_start,
                end=rep["day_end"] or workday.day_end,
            )
            problems.append(Problem(file, message, int(str(row)), "lunch_start"))
    return problems


def _drop_rows(checked: Checked, extra: list[Problem]) -> Checked:
    bad = {p.row for p in extra}
    rows = checked.rows.loc[[r for r in checked.rows.index if r not in bad]]
    return Checked(rows=rows, problems=checked.problems + extra)


def read_zones(path: Path) -> gpd.GeoDataFrame:
    """Read zone polygons (GeoJSON or GeoPackage) with a ``zone`` id, in EPSG:4326.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``zone`` (str) and ``geometry``; feature order kept.

    Raises
    ------
    InputError
        Missing file, no ``zone`` column, empty or non-polygon geometry, duplicate ids.

    """
    name = str(path)
    if not path.exists():
        raise InputError([Problem(name, "file not found")], hint="check --data and the file name")
    try:
        zones = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise InputError(
            [Problem(name, f"cannot be read as GeoJSON/GeoPackage: {exc}".splitlines()[0])],
            hint="export the zones as GeoJSON in EPSG:4326",
        ) from exc
    if "zone" not in zones.columns:
        raise InputError(
            [Problem(name, "required property is missing", column="zone")],
            hint="every zone feature needs a 'zone' id property",
        )
    zones = zones.reset_index(drop=True)
    zones["zone"] = zones["zone"].astype(str).str.strip()
    if zones.crs is None:
        _raise_if(degree_problems(zones, file=name))
        zones = zones.set_crs("EPSG:4326")
    zones = zones.to_crs("EPSG:4326")
    _raise_if(degree_problems(zones, file=name))
    problems = validity_problems(zones, file=name)
    for i, geom in enumerate(zones.geometry, start=1):
        if geom is None or geom.is_empty:
            problems.append(Problem(name, "zone has no geometry", i, "geometry"))
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(
                Problem(name, f"zone is a {geom.geom_type}, not a polygon", i, "geometry")
            )
    problems += duplicate_problems(
        zones.set_index(pd.RangeIndex(1, len(zones) + 1)), "zone", file=name
    )
    if problems:
        raise InputError(problems, hint="fix the zone features (row = feature number)")
    zones["geometry"] = zones.geometry.make_valid()
    return zones[["zone", "geometry"]]


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputError(
            problems, hint=_("export the zones as GeoJSON in EPSG:4326 (longitude, latitude)")
        )


def _find_zones(folder: Path) -> Path:
    for suffix in ZONE_SUFFIXES:
        candidate = folder / f"zones{suffix}"
        if candidate.exists():
            return candidate
    return folder / "zones.geojson"


def load_inputs(data_dir: Path, settings: Settings, *, skip_invalid: bool = False) -> Inputs:
    """Load and cross-check clients, reps and zones from a data folder.

    Parameters
    ----------
    data_dir
        Folder with ``clients.csv|xlsx``, ``reps.csv|xlsx`` and ``zones.geojson|gpkg``.
    settings
        Validated settings (tier names for overrides).
    skip_invalid
        Leave bad rows out instead of failing; they are returned in ``Inputs.rejects``.

    Returns
    -------
    Inputs
        Validated tables. Zones get the ``rep_id`` of their rep.

    Raises
    ------
    InputError
        Every problem found, each naming file, row and column.

    """
    files = {
        "clients": find_table(data_dir, "clients"),
        "reps": find_table(data_dir, "reps"),
        "zones": _find_zones(data_dir),
    }
    zones = read_zones(files["zones"])
    raw_clients = read_table(files["clients"])
    raw_reps = read_table(files["reps"])
    clients = check_clients(raw_clients, settings, file=str(files["clients"]))
    reps = check_reps(raw_reps, file=str(files["reps"]), workday=settings.workday)
    zone_ids = set(zones["zone"])
    reps = _drop_rows(reps, _unknown_zone_problems(reps.rows, zone_ids, file=str(files["reps"])))
    reps = _drop_rows(reps, home_problems(reps.rows, zones, file=str(files["reps"])))
    clients = _drop_rows(
        clients, far_client_problems(clients.rows, zones, file=str(files["clients"]))
    )
    overlaps, warnings = overlap_findings(zones, clients.rows, file=str(files["zones"]))
    if overlaps:
        raise InputError(overlaps, hint=_("zones must not overlap: fix their borders"))
    clients = _drop_rows(
        clients, _unknown_zone_problems(clients.rows, zone_ids, file=str(files["clients"]))
    )
    problems = clients.problems + reps.problems
    if problems and not skip_invalid:
        raise InputError(
            problems, hint="fix the rows, or run with --skip-invalid to leave them out"
        )
    zones = _attach_reps(zones, reps.rows, zones_file=str(files["zones"]))
    rejects = {
        "clients": clients.rejects(raw_clients),
        "reps": reps.rejects(raw_reps),
    }
    return Inputs(
        clients=clients.rows.reset_index(names="file_row"),
        reps=reps.rows.reset_index(names="file_row"),
        zones=zones,
        files=files,
        rejects={k: v for k, v in rejects.items() if len(v)},
        warnings=warnings,
    )


def _unknown_zone_problems(table: pd.DataFrame, zone_ids: set[str], *, file: str) -> list[Problem]:
    return [
        Problem(file, f"unknown zone '{zone}'; zones are {sorted(zone_ids)}", int(row), "zone")
        for row, zone in table["zone"].items()
        if zone and zone not in zone_ids
    ]


def _attach_reps(
    zones: gpd.GeoDataFrame, reps: pd.DataFrame, *, zones_file: str
) -> gpd.GeoDataFrame:
    """Give every zone its rep; a zone with none or with two is an error."""
    owners = reps.groupby("zone")["rep_id"].apply(list).to_dict()
    problems = []
    for i, zone in enumerate(zones["zone"], start=1):
        reps_of_zone = owners.get(zone, [])
        if not reps_of_zone:
            problems.append(Problem(zones_file, f"zone '{zone}' has no rep", i, "zone"))
        elif len(reps_of_zone) > 1:
            problems.append(
                Problem(zones_file, f"zone '{zone}' has several reps {reps_of_zone}", i, "zone")
            )
    if problems:
        raise InputError(
            problems, hint="each zone needs exactly one rep in reps.csv (column 'zone')"
        )
    zones = zones.copy()
    zones["rep_id"] = [owners[z][0] for z in zones["zone"]]
    return zones
