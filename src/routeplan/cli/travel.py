"""``routeplan travel …`` commands: parse, call the library, print.

Attach to the main group with ``main.add_command(travel)``; the data folder and config file
come from the parent's context object (attributes ``data`` and ``config``) when present.
"""

from __future__ import annotations

from pathlib import Path

import click

from routeplan.config import load_settings
from routeplan.errors import InputError, Problem
from routeplan.travel.check import points_from_data, travel_check
from routeplan.travel.haversine import HaversineProvider
from routeplan.travel.osm.matrix import OsmProvider, resolve_osm_file

DEFAULT_DATA = Path("data/demo")


@click.group()
def travel() -> None:
    """Travel model tools: compare road times with the straight-line model."""


@travel.command("check")
@click.option(
    "--osm-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="OSM extract (.osm.pbf) [default: travel.osm_file from the config].",
)
@click.option(
    "--max-points",
    type=click.IntRange(2, 5000),
    default=500,
    show_default=True,
    help="Compare at most this many points inside the extract (a seeded random sample).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sample.")
@click.pass_context
def check(ctx: click.Context, osm_file: Path | None, max_points: int, seed: int) -> None:
    """Compare road travel times with the haversine model on the current data.

    Prints the median and p90 of road time / model time over all pairs of clients and rep
    homes inside the extract, and the circuity that would make the model match the roads.
    """
    data = Path(getattr(ctx.obj, "data", None) or DEFAULT_DATA)
    config = getattr(ctx.obj, "config", None) or data / "routeplan.toml"
    settings = load_settings(Path(config))
    if osm_file is None:
        if not settings.travel.osm_file:
            problem = Problem(str(config), "no travel.osm_file to compare against")
            raise InputError([problem], hint="pass --osm-file or set travel.osm_file")
        osm_file = resolve_osm_file(settings.travel.osm_file, base_dir=Path(config).parent)
    road = OsmProvider(
        osm_file, snap_warn_m=settings.travel.snap_warn_m, cache_dir=data / ".cache" / "travel"
    )
    model = HaversineProvider(
        speed_kmh=settings.travel.speed_kmh, circuity=settings.travel.circuity
    )
    points = points_from_data(data)
    result = travel_check(
        road,
        model,
        points["lat"].to_numpy(),
        points["lon"].to_numpy(),
        labels=points["label"].tolist(),
        max_points=max_points,
        seed=seed,
    )
    click.echo(
        f"Road ({osm_file.name}) vs haversine × {model.circuity:g} at {model.speed_kmh:g} km/h"
    )
    for measure, value in result.to_frame().itertuples(index=False):
        click.echo(f"  {measure:<40} {value}")
