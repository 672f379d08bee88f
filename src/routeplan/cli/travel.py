"""``routeplan travel …`` commands: parse, call the library, print.

Attach to the main group with ``main.add_command(travel)``; inputs and settings come from the
parent's context object (its ``source``), read through :mod:`routeplan.io` like every command.
"""

from __future__ import annotations

from pathlib import Path

import click

from routeplan.cli.localized import LocalizedGroup
from routeplan.cli.numbers import INTEGER, IntegerRange
from routeplan.i18n import N_, _


@click.group(
    cls=LocalizedGroup,
    help=N_("Travel model tools: compare road times with the straight-line model."),
)
def travel() -> None:
    """``routeplan travel``: travel model tools."""


@travel.command(
    "check",
    help=N_(
        "Compare road travel times with the haversine model on the current data.\n\n"
        "Prints the median and p90 of road time / model time over all pairs of clients and rep "
        "homes inside the extract, and the circuity that would make the model match the roads."
    ),
)
@click.option(
    "--osm-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("OSM extract (.osm.pbf) [default: travel.osm_file from the config]."),
)
@click.option(
    "--max-points",
    type=IntegerRange(2, 5000),
    default=500,
    show_default=True,
    help=N_("Compare at most this many points inside the extract (a seeded random sample)."),
)
@click.option("--seed", type=INTEGER, default=0, show_default=True, help=N_("Seed of the sample."))
@click.pass_context
def check(ctx: click.Context, osm_file: Path | None, max_points: int, seed: int) -> None:
    """``routeplan travel check``: road times against the haversine model."""
    from routeplan.jobs.travel import run_travel_check

    outcome = run_travel_check(ctx.obj.source, osm_file=osm_file, max_points=max_points, seed=seed)
    result, model, osm_file = outcome.check, outcome.model, outcome.osm_file
    click.echo(
        _(
            "Road ({file}) vs haversine × {circuity} at {speed} km/h",
            file=osm_file.name,
            circuity=f"{model.circuity:g}",
            speed=f"{model.speed_kmh:g}",
        )
    )
    for measure, value in result.to_frame().itertuples(index=False):
        click.echo(f"  {measure:<40} {value}")
