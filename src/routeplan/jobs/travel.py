"""The ``travel check`` job: road times against the straight-line model, on the data's points."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from routeplan.config import settings_of_folder
from routeplan.errors import InputError, Problem
from routeplan.i18n import _
from routeplan.io.readers import load_inputs
from routeplan.planning.prepare import DataSource
from routeplan.travel.check import TravelCheck, travel_check
from routeplan.travel.haversine import HaversineProvider
from routeplan.travel.osm.matrix import OsmProvider, resolve_osm_file, road_speeds


@dataclass(frozen=True)
class TravelCheckOutcome:
    """The comparison and what it compared."""

    check: TravelCheck
    osm_file: Path
    model: HaversineProvider


def run_travel_check(
    source: DataSource, *, osm_file: Path | None, max_points: int, seed: int
) -> TravelCheckOutcome:
    """Compare road travel times with the haversine model on the clients and rep homes.

    The points are read and validated through :mod:`routeplan.io` like every other command
    (CSV or XLSX, every problem reported once).

    Parameters
    ----------
    source
        Inputs and settings file.
    osm_file
        The extract; default ``[travel] osm_file``.
    max_points
        Compare at most this many points (a seeded sample).
    seed
        Seed of the sample.

    Returns
    -------
    TravelCheckOutcome
        The figures, the extract used and the model compared.

    """
    config = source.config_path or source.data_dir / "routeplan.toml"
    settings = settings_of_folder(source.data_dir, source.config_path)
    if osm_file is None:
        if not settings.travel.osm_file:
            problem = Problem(str(config), _("no travel.osm_file to compare against"))
            raise InputError([problem], hint=_("pass --osm-file or set travel.osm_file"))
        osm_file = resolve_osm_file(settings.travel.osm_file, base_dir=config.parent)
    inputs = load_inputs(source.data_dir, settings, skip_invalid=source.skip_invalid)
    lat = np.concatenate([inputs.clients["lat"], inputs.reps["home_lat"]]).astype(float)
    lon = np.concatenate([inputs.clients["lon"], inputs.reps["home_lon"]]).astype(float)
    labels = [*inputs.clients["client_id"].astype(str), *inputs.reps["rep_id"].astype(str)]
    road = OsmProvider(
        osm_file,
        speeds=road_speeds(settings.travel),
        snap_warn_m=settings.travel.snap_warn_m,
        cache_dir=source.data_dir / ".cache" / "travel",
    )
    model = HaversineProvider(
        speed_kmh=settings.travel.speed_kmh, circuity=settings.travel.circuity
    )
    check = travel_check(road, model, lat, lon, labels=labels, max_points=max_points, seed=seed)
    return TravelCheckOutcome(check=check, osm_file=osm_file, model=model)
