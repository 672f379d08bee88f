"""The ``geocode`` job: coordinates for clients with an address but none, from an OSM extract.

Writes ``DATA/geocoded.csv`` (client_id, address, lat, lon, quality, score, matched, reason),
which the reader uses to fill the missing coordinates, and the rows that stay unplaced to
``DATA/validation/geocode-rejects.csv``. Results are cached per extract under
``DATA/.cache/geocode/`` so a second run reads no extract at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from routeplan.config import settings_of_folder
from routeplan.errors import Problem, RouteplanError
from routeplan.i18n import _
from routeplan.intake.geocode import QUALITIES, Match, geocode_one, load_index
from routeplan.io.columns import CLIENT_SYNONYMS
from routeplan.io.geocoded import GEOCODED_COLUMNS, GEOCODED_FILE
from routeplan.io.localised import read_localised
from routeplan.io.problems import PROBLEM_COLUMNS, problems_frame
from routeplan.io.readers import CLIENT_COLUMNS
from routeplan.io.tables import find_table
from routeplan.io.writers import ensure_dir, write_csv
from routeplan.planning.prepare import DataSource
from routeplan.travel.osm.matrix import resolve_osm_file

REJECTS_FILE = "geocode-rejects.csv"


@dataclass
class GeocodeOutcome:
    """What ``geocode`` found: one row per client geocoded, the files written, cache hits."""

    results: pd.DataFrame
    written: list[Path]
    cached: int
    extract: Path

    @property
    def counts(self) -> dict[str, int]:
        """Clients per quality, in :data:`QUALITIES` order."""
        found = self.results["quality"].value_counts()
        return {q: int(found.get(q, 0)) for q in QUALITIES}


def _cache_file(data_dir: Path, extract: Path) -> Path:
    stat = extract.stat()
    key = hashlib.sha1(f"{extract.name}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
    return data_dir / ".cache" / "geocode" / f"{key[:16]}.csv"


def _read_cache(path: Path) -> dict[str, Match]:
    if not path.is_file():
        return {}
    table = pd.read_csv(
        path, dtype={"address": str, "matched": str, "reason": str}, keep_default_na=False
    )
    return {
        row.address: Match(
            float(row.lat) if row.lat != "" else None,
            float(row.lon) if row.lon != "" else None,
            row.quality,
            float(row.score),
            row.matched,
            row.reason,
        )
        for row in table.itertuples()
    }


def _write_cache(path: Path, cache: dict[str, Match]) -> None:
    rows = [
        {
            "address": a,
            "lat": m.lat,
            "lon": m.lon,
            "quality": m.quality,
            "score": m.score,
            "matched": m.matched,
            "reason": m.reason,
        }
        for a, m in sorted(cache.items())
    ]
    write_csv(pd.DataFrame(rows), ensure_dir(path.parent) / path.name)


def _to_geocode(source: DataSource) -> tuple[pd.DataFrame, Path]:
    """Rows of the clients file with an address and a missing coordinate."""
    settings = settings_of_folder(source.data_dir, source.config_path)
    path = find_table(source.data_dir, "clients")
    table = read_localised(
        path,
        CLIENT_COLUMNS,
        CLIENT_SYNONYMS,
        options=settings.input,
        explicit=settings.columns.clients,
        section="columns.clients",
    )
    frame = table.frame
    for column in ("lat", "lon", "address", "client_id"):
        if column not in frame.columns:
            frame[column] = ""
    missing = (frame["lat"] == "") | (frame["lon"] == "")
    return frame[missing & (frame["address"] != "")], path


def _extract(source: DataSource, osm_file: Path | None) -> Path:
    if osm_file is not None:
        return osm_file
    settings = settings_of_folder(source.data_dir, source.config_path)
    if not settings.geocode.osm_file:
        raise RouteplanError(
            _("no OSM extract to geocode with"),
            hint=_('set [geocode] osm_file = "region.osm.pbf" or pass --osm-file'),
        )
    config = source.config_path or source.data_dir / "routeplan.toml"
    return resolve_osm_file(settings.geocode.osm_file, base_dir=config.parent)


def run_geocode(source: DataSource, *, osm_file: Path | None = None) -> GeocodeOutcome:
    """Geocode the clients that have an address but no coordinates.

    Parameters
    ----------
    source
        The data folder and settings.
    osm_file
        The extract (default ``[geocode] osm_file``).

    Returns
    -------
    GeocodeOutcome
        Results per client and the files written.

    """
    todo, clients_file = _to_geocode(source)
    extract = _extract(source, osm_file)
    cache_path = _cache_file(source.data_dir, extract)
    cache = _read_cache(cache_path)
    addresses = list(dict.fromkeys(todo["address"]))
    missing = [a for a in addresses if a not in cache]
    cached = int((~todo["address"].isin(missing)).sum())
    if missing:
        index = load_index(extract)
        cache.update({a: geocode_one(a, index) for a in missing})
        _write_cache(cache_path, cache)
    results = pd.DataFrame(
        [
            {
                "client_id": c,
                "address": a,
                "file_row": int(r),
                "lat": cache[a].lat,
                "lon": cache[a].lon,
                "quality": cache[a].quality,
                "score": round(cache[a].score, 1),
                "matched": cache[a].matched,
                "reason": cache[a].reason,
            }
            for r, c, a in zip(todo.index, todo["client_id"], todo["address"], strict=True)
        ],
        columns=["file_row", *GEOCODED_COLUMNS],
    )
    review = results.drop(columns=["file_row"])
    written = [write_csv(review, source.data_dir / GEOCODED_FILE)]
    written += _write_rejects(results, clients_file, source.data_dir / "validation")
    return GeocodeOutcome(results, written, cached, extract)


def _write_rejects(results: pd.DataFrame, clients_file: Path, folder: Path) -> list[Path]:
    unplaced = results[results["quality"] == "none"]
    path = folder / REJECTS_FILE
    if unplaced.empty:
        path.unlink(missing_ok=True)
        return []
    problems = [
        Problem(
            str(clients_file),
            row.reason,
            int(row.file_row),
            "address",
            value=row.address,
            kind="not_geocoded",
            hint=_("check the address, or add lat/lon by hand"),
        )
        for row in unplaced.itertuples()
    ]
    return [
        write_csv(
            problems_frame(problems), ensure_dir(folder) / REJECTS_FILE, columns=PROBLEM_COLUMNS
        )
    ]
