"""``routeplan zones balance``: rebalance territories and write zones, tables and a map.

The group is added to the main CLI; the job (:func:`routeplan.jobs.zones.run_balance`) reads
the inputs through the validated, tiered pipeline, so ``--data``, ``--config``, ``--store`` and
``--skip-invalid`` work as for every other command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from routeplan.cli.localized import LocalizedGroup
from routeplan.cli.numbers import INTEGER, IntegerRange, NumberRange
from routeplan.cli.options import out_option
from routeplan.i18n import N_, _, format_number, format_percent, ngettext


@click.group(cls=LocalizedGroup, help=N_("Territories: rebalance zones between reps."))
def zones() -> None:
    """``routeplan zones``: territory tools."""


@zones.command(
    help=N_(
        "Rebalance zones so every rep's weekly workload is within the tolerance of the mean.\n\n"
        "Workload = visits per week of the client's tier × (service minutes + travel estimated "
        "from local client density). Zones stay contiguous and compact; clients with a truthy "
        "locked column keep their zone; --move-weight trades balance against clients changing "
        "rep. Writes the new zones, assignment.csv (client, zone before/after, moved), "
        "summary.csv (before/after workload, revenue, clients, compactness) and "
        "before_after.html."
    )
)
@click.option("--reps", "n_reps", type=IntegerRange(min=1), help=N_("Number of reps wanted."))
@click.option("--from-scratch", is_flag=True, help=N_("Ignore today's zones (locks still hold)."))
@click.option(
    "--move-weight",
    type=NumberRange(min=0),
    default=1.0,
    show_default=True,
    help=N_("Cost of moving clients to another rep; higher keeps more clients where they are."),
)
@click.option(
    "--home-weight",
    type=NumberRange(0, 1),
    default=0.0,
    show_default=True,
    help=N_("Pull each zone towards its rep's home (0 = workload centre, 1 = home)."),
)
@click.option("--lock-zone", multiple=True, help=N_("Zone that must not change (repeatable)."))
@click.option("--remove-zone", multiple=True, help=N_("Zone to dissolve when --reps is lower."))
@click.option(
    "--tolerance",
    type=NumberRange(0.001, 0.5),
    default=0.05,
    show_default=True,
    help=N_("Target: every zone's workload within ±tolerance of the mean."),
)
@click.option("--seed", type=INTEGER, default=0, show_default=True, help=N_("Seed of the start."))
@out_option(
    N_("Folder for zones, assignment.csv, summary.csv and before_after.html."),
    default="out/zones",
    name="out_dir",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["geojson", "gpkg"]),
    default="geojson",
    help=N_("File format of the new zones."),
)
@click.option(
    "--offline",
    is_flag=True,
    help=N_(
        "Inline Leaflet into the map (from local npm packages: $ROUTEPLAN_NODE_MODULES, "
        "./node_modules or tests/browser/node_modules) and draw the OSM extract's streets."
    ),
)
@click.pass_obj
def balance(
    obj: Any,
    n_reps: int | None,
    from_scratch: bool,
    move_weight: float,
    home_weight: float,
    lock_zone: tuple[str, ...],
    remove_zone: tuple[str, ...],
    tolerance: float,
    seed: int,
    out_dir: Path,
    fmt: str,
    offline: bool,
) -> None:
    """``routeplan zones balance``: rebalance the zones and write them with a map."""
    from routeplan.cli.console import console, print_table
    from routeplan.jobs.zones import run_balance
    from routeplan.territory.balance import BalanceOptions
    from routeplan.territory.balance_result import summary_for_display

    options = BalanceOptions(
        n_reps=n_reps,
        from_scratch=from_scratch,
        move_weight=move_weight,
        home_weight=home_weight,
        locked_zones=lock_zone,
        remove_zones=remove_zone,
        tolerance=tolerance,
        seed=seed,
    )
    result, paths = run_balance(obj.source, options, out_dir=out_dir, fmt=fmt, offline=offline)
    for line in result.warnings:
        click.secho(_("Warning: {message}", message=line), fg="yellow", err=True)
    print_table(summary_for_display(result.summary), title=_("Zones before → after"))
    failed = [name for name, ok in result.checks.items() if not ok]
    checks = _("all passed") if not failed else _("FAILED {checks}", checks=", ".join(failed))
    console.print(
        _(
            "Workload spread {before} → {after}, {moved}, {seconds} s; checks: {checks}",
            before=format_percent(result.spread_before, 1),
            after=format_percent(result.spread_after, 1),
            moved=ngettext("{count} client moved", "{count} clients moved", result.moved_clients),
            seconds=format_number(result.seconds),
            checks=checks,
        )
    )
    console.print(_("Wrote {files}.", files=", ".join(str(p) for p in paths)))
