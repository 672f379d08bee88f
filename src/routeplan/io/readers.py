"""Load and validate clients, reps and zones (CSV, XLSX, GeoJSON, GeoPackage)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from routeplan.config import Settings, WorkdayConfig, minutes_of
from routeplan.errors import InputError, Problem
from routeplan.i18n import _
from routeplan.io.cells import Decimal
from routeplan.io.columns import CLIENT_SYNONYMS, REP_SYNONYMS, zone_property
from routeplan.io.filenames import file_name_problems, id_problems
from routeplan.io.geocoded import fill_from_geocoded
from routeplan.io.localised import LocalisedTable, read_localised
from routeplan.io.tables import find_table
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
    Column("margin", "float", low=0, high=1, percent=True),
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
    detected: list[str] = field(default_factory=list)
    """One line per table file: what was detected (encoding, separator, decimal mark)."""
    notes: list[str] = field(default_factory=list)
    """What the user should know about how the files were read (ambiguous numbers …)."""


def _coordinate_problems(table: pd.DataFrame, lat: str, lon: str, *, file: str) -> list[Problem]:
    """Flag (0, 0) coordinates, the usual sign of a missing geocode."""
    zero = (table[lat] == 0) & (table[lon] == 0)
    return [
        Problem(
            file,
            _("coordinates are 0,0 (missing geocode?)"),
            int(row),
            lat,
            value="0,0",
            kind="zero_coordinates",
        )
        for row in table.index[zero]
    ]


def _time_order_problems(
    table: pd.DataFrame, first: str, second: str, *, file: str
) -> list[Problem]:
    problems = []
    for row, a, b in zip(table.index, table[first], table[second], strict=True):
        if a and b and minutes_of(b) <= minutes_of(a):
            message = _(
                "{second} {end} is not after {first} {start}",
                second=second,
                end=b,
                first=first,
                start=a,
            )
            problems.append(Problem(file, message, int(row), second, value=b, kind="time_order"))
    return problems


def check_clients(
    raw: pd.DataFrame,
    settings: Settings,
    *,
    file: str,
    decimals: dict[str, Decimal] | None = None,
    headers: dict[str, str] | None = None,
) -> Checked:
    """Check a raw clients table: types, ranges, ids, tier overrides, opening hours.

    ``decimals`` and ``headers`` come from :func:`~routeplan.io.localised.read_localised`.
    """
    checked = check_table(raw, CLIENT_COLUMNS, file=file, decimals=decimals, headers=headers)
    rows = checked.rows
    known_tiers = settings.tier_names
    extra = duplicate_problems(rows, "client_id", file=file)
    extra += id_problems(rows, "client_id", file=file)
    extra += _coordinate_problems(rows, "lat", "lon", file=file)
    extra += _time_order_problems(rows, "opens", "closes", file=file)
    for row, tier in rows["tier"].items():
        if tier and tier not in known_tiers:
            message = _("unknown tier '{tier}'; use one of {tiers}", tier=tier, tiers=known_tiers)
            extra.append(
                Problem(file, message, int(row), "tier", value=str(tier), kind="unknown_tier")  # type: ignore[call-overload]
            )
    extra += _lifecycle_problems(rows, file=file)
    return _drop_rows(checked, extra)


def _lifecycle_problems(rows: pd.DataFrame, *, file: str) -> list[Problem]:
    """Unknown ``stage`` values and ``buys_from_competitors`` cells that are not yes/no."""
    problems = []
    if "stage" in rows:
        for row, stage in rows["stage"].items():
            if stage and str(stage).strip().lower() not in STAGES:
                msg = _(
                    "unknown stage '{stage}'; use one of {stages}",
                    stage=stage,
                    stages=", ".join(STAGES),
                )
                problems.append(Problem(file, msg, int(row), "stage"))
    if "buys_from_competitors" in rows:
        for row, cell in rows["buys_from_competitors"].items():
            try:
                yes_no(cell)
            except ValueError as exc:
                problems.append(Problem(file, str(exc), int(row), "buys_from_competitors"))
    return problems


def check_reps(
    raw: pd.DataFrame,
    *,
    file: str,
    decimals: dict[str, Decimal] | None = None,
    headers: dict[str, str] | None = None,
    workday: WorkdayConfig | None = None,
) -> Checked:
    """Check a raw reps table: types, ranges, ids, file names made from ids, working hours.

    ``workday`` gives the defaults of empty cells, for the check that lunch is in the day.
    """
    checked = check_table(raw, REP_COLUMNS, file=file, decimals=decimals, headers=headers)
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


def zone_crs_note(path: Path) -> str | None:
    """A note when a zone file names no coordinate system (read as EPSG:4326 degrees)."""
    if not path.exists():
        return None
    try:
        crs = gpd.read_file(path, rows=1).crs
    except Exception:  # read_zones reports unreadable files
        return None
    if crs is not None:
        return None
    return _("{file} names no coordinate system; read as WGS84 degrees (EPSG:4326)", file=path.name)


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
        raise InputError(
            [Problem(name, _("file not found"))], hint=_("check --data and the file name")
        )
    try:
        zones = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise InputError(
            [
                Problem(
                    name,
                    _(
                        "cannot be read as GeoJSON/GeoPackage: {error}",
                        error=(str(exc).splitlines() or [type(exc).__name__])[0],
                    ),
                )
            ],
            hint=_("export the zones as GeoJSON in EPSG:4326"),
        ) from exc
    found = zone_property(c for c in zones.columns if c != "geometry")
    if found is not None and found != "zone":  # "Zona", "territorio" …
        zones = zones.rename(columns={found: "zone"})
    if "zone" not in zones.columns:
        raise InputError(
            [Problem(name, _("required property is missing"), column="zone")],
            hint=_("every zone feature needs a 'zone' id property"),
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
            problems.append(Problem(name, _("zone has no geometry"), i, "geometry"))
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(
                Problem(
                    name,
                    _("zone is a {kind}, not a polygon", kind=geom.geom_type),
                    i,
                    "geometry",
                )
            )
    problems += duplicate_problems(
        zones.set_index(pd.RangeIndex(1, len(zones) + 1)), "zone", file=name
    )
    if problems:
        raise InputError(problems, hint=_("fix the zone features (row = feature number)"))
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


@dataclass
class Inspection:
    """Every problem of a data folder's inputs, without stopping at the first file.

    ``fatal`` are file-wide problems (unreadable file, wrong separator, missing column): no
    row of that file can be trusted. ``problems`` are row-level: leaving the row out fixes them.
    """

    files: dict[str, Path]
    tables: dict[str, LocalisedTable] = field(default_factory=dict)
    checked: dict[str, Checked] = field(default_factory=dict)
    zones: gpd.GeoDataFrame | None = None
    fatal: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the user should know about files other than the tables (zones without a CRS)."""
    overlaps: list[Problem] = field(default_factory=list)
    """Zones that overlap by more than the threshold (an error)."""
    warnings: list[str] = field(default_factory=list)
    """Small zone overlaps (warnings)."""

    @property
    def every_problem(self) -> list[Problem]:
        """File-wide problems first, then row problems in file and row order."""
        return self.fatal + self.problems


def _inspect_table(
    inspection: Inspection, name: str, settings: Settings, columns: tuple[Column, ...]
) -> None:
    path = inspection.files[name]
    synonyms = CLIENT_SYNONYMS if name == "clients" else REP_SYNONYMS
    explicit = settings.columns.clients if name == "clients" else settings.columns.reps
    try:
        table = read_localised(
            path,
            columns,
            synonyms,
            options=settings.input,
            explicit=explicit,
            section=f"columns.{name}",
        )
        inspection.tables[name] = table
        file, headers = str(path), table.columns.source
        if name == "clients":
            table.frame, filled = fill_from_geocoded(
                table.frame, path.parent, accept=settings.geocode.accept, decimals=table.decimals
            )
            if filled:
                table.notes.append(
                    _(
                        "{file}: {count} clients placed from geocoded.csv",
                        file=path.name,
                        count=filled,
                    )
                )
            checked = check_clients(
                table.frame, settings, file=file, decimals=table.decimals, headers=headers
            )
        else:
            checked = check_reps(
                table.frame,
                file=file,
                decimals=table.decimals,
                headers=headers,
                workday=settings.workday,
            )
    except InputError as exc:
        inspection.fatal += exc.problems
        return
    checked = _drop_rows(checked, table.problems)
    inspection.checked[name] = checked


def _zone_fit(inspection: Inspection) -> None:
    """Rep homes far from their zone, clients far from every zone, overlapping zones."""
    zones, files, checked = inspection.zones, inspection.files, inspection.checked
    assert zones is not None
    if "reps" in checked:
        reps = checked["reps"]
        checked["reps"] = _drop_rows(reps, home_problems(reps.rows, zones, file=str(files["reps"])))
    if "clients" in checked:
        clients = checked["clients"]
        far = far_client_problems(clients.rows, zones, file=str(files["clients"]))
        checked["clients"] = _drop_rows(clients, far)
        overlaps, warnings = overlap_findings(
            zones, checked["clients"].rows, file=str(files["zones"])
        )
        inspection.overlaps += overlaps
        inspection.warnings += warnings


def inspect_inputs(data_dir: Path, settings: Settings, *, zone_fit: bool = True) -> Inspection:
    """Read and check clients, reps and zones, collecting every problem of every file.

    Parameters
    ----------
    data_dir
        Folder with ``clients.csv|xlsx``, ``reps.csv|xlsx`` and ``zones.geojson|gpkg``.
    settings
        Validated settings (``[input]``, ``[columns]``, tier names).
    zone_fit
        Also check rep homes and clients against the zones and zones against each other
        (``init`` only wants to know where the clients are).

    Returns
    -------
    Inspection
        Tables as read, checked rows and every problem; never raises for bad data.

    """
    files = {
        "clients": find_table(data_dir, "clients"),
        "reps": find_table(data_dir, "reps"),
        "zones": _find_zones(data_dir),
    }
    inspection = Inspection(files=files)
    try:
        inspection.zones = read_zones(files["zones"])
    except InputError as exc:
        inspection.fatal += exc.problems
    else:
        note = zone_crs_note(files["zones"])
        inspection.notes += [note] if note else []
    _inspect_table(inspection, "clients", settings, CLIENT_COLUMNS)
    _inspect_table(inspection, "reps", settings, REP_COLUMNS)
    if inspection.zones is not None:
        zone_ids = set(inspection.zones["zone"])
        for name in ("clients", "reps"):
            if name in inspection.checked:
                checked = inspection.checked[name]
                unknown = _unknown_zone_problems(checked.rows, zone_ids, file=str(files[name]))
                inspection.checked[name] = _drop_rows(checked, unknown)
        if zone_fit:
            _zone_fit(inspection)
    for checked in inspection.checked.values():
        inspection.problems += sorted(checked.problems, key=lambda p: p.row or 0)
    return inspection


def load_inputs(data_dir: Path, settings: Settings, *, skip_invalid: bool = False) -> Inputs:
    """Load and cross-check clients, reps and zones from a data folder.

    Parameters
    ----------
    data_dir
        Folder with ``clients.csv|xlsx``, ``reps.csv|xlsx`` and ``zones.geojson|gpkg``.
    settings
        Validated settings (tier names for overrides, ``[input]``, ``[columns]``).
    skip_invalid
        Leave bad rows out instead of failing; they are returned in ``Inputs.rejects``. A
        file-wide problem (unreadable file, wrong separator, missing column) still fails.

    Returns
    -------
    Inputs
        Validated tables. Zones get the ``rep_id`` of their rep.

    Raises
    ------
    InputError
        Every problem found, each naming file, row and column.

    """
    inspection = inspect_inputs(data_dir, settings)
    if inspection.fatal:
        problems = inspection.fatal if skip_invalid else inspection.every_problem
        raise InputError(problems, hint=inspection.fatal[0].hint)
    if inspection.problems and not skip_invalid:
        raise InputError(
            inspection.problems,
            hint=_("fix the rows, or run with --skip-invalid to leave them out"),
        )
    if inspection.overlaps:
        raise InputError(inspection.overlaps, hint=_("zones must not overlap: fix their borders"))
    clients, reps = inspection.checked["clients"], inspection.checked["reps"]
    assert inspection.zones is not None  # no fatal problem: the zones were read
    tables = inspection.tables
    rep_rows = tables["reps"].frame
    bad = sorted({p.row for p in reps.problems if p.row is not None and p.row in rep_rows.index})
    left_out: dict[str, list[int]] = {}
    for row in bad:
        left_out.setdefault(str(rep_rows.at[row, "zone"]), []).append(row)
    zones = attach_reps(
        inspection.zones, reps.rows, zones_file=str(inspection.files["zones"]), left_out=left_out
    )
    rejects = {
        "clients": clients.rejects(tables["clients"].frame),
        "reps": reps.rejects(tables["reps"].frame),
    }
    return Inputs(
        clients=clients.rows.reset_index(names="file_row"),
        reps=reps.rows.reset_index(names="file_row"),
        zones=zones,
        files=inspection.files,
        rejects={k: v for k, v in rejects.items() if len(v)},
        detected=[t.describe() for t in tables.values()],
        notes=[note for t in tables.values() for note in t.notes] + inspection.notes,
        warnings=inspection.warnings,
    )


def _unknown_zone_problems(table: pd.DataFrame, zone_ids: set[str], *, file: str) -> list[Problem]:
    return [
        Problem(
            file,
            _("unknown zone '{zone}'; zones are {zones}", zone=zone, zones=sorted(zone_ids)),
            int(row),  # type: ignore[call-overload]
            "zone",
            value=str(zone),
            kind="unknown_zone",
        )
        for row, zone in table["zone"].items()
        if zone and zone not in zone_ids
    ]


def attach_reps(
    zones: gpd.GeoDataFrame,
    reps: pd.DataFrame,
    *,
    zones_file: str,
    left_out: dict[str, list[int]] | None = None,
) -> gpd.GeoDataFrame:
    """Give every zone its rep; a zone with none or with two is an error (InputError).

    ``left_out`` maps a zone to the reps.csv rows of its reps that were left out as invalid,
    so the error says why the zone has no rep.
    """
    owners = reps.groupby("zone")["rep_id"].apply(list).to_dict()
    left_out = left_out or {}
    problems = []
    for i, zone in enumerate(zones["zone"], start=1):
        reps_of_zone = owners.get(zone, [])
        if not reps_of_zone and zone in left_out:
            rows = ", ".join(str(r) for r in left_out[zone])
            message = _(
                "zone '{zone}' has no rep: its rep's row {rows} of reps.csv is invalid",
                zone=zone,
                rows=rows,
            )
            problems.append(Problem(zones_file, message, i, "zone", kind="zone_rep_invalid"))
        elif not reps_of_zone:
            message = _("zone '{zone}' has no rep", zone=zone)
            problems.append(Problem(zones_file, message, i, "zone", kind="zone_no_rep"))
        elif len(reps_of_zone) > 1:
            message = _("zone '{zone}' has several reps {reps}", zone=zone, reps=reps_of_zone)
            problems.append(Problem(zones_file, message, i, "zone", kind="zone_reps"))
    if problems:
        raise InputError(
            problems, hint=_("each zone needs exactly one rep in reps.csv (column 'zone')")
        )
    zones = zones.copy()
    zones["rep_id"] = [owners[z][0] for z in zones["zone"]]
    return zones
