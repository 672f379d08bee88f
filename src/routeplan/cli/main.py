"""The ``routeplan`` command line: parse, call the library, print. No planning logic here."""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import click

from routeplan.cli.options import out_option, week_option
from routeplan.errors import RouteplanError
from routeplan.planning.prepare import DataSource
from routeplan.version import __version__

DEFAULT_DATA = Path("data/demo")
BUILD_KPIS = ("compliance", "balance", "backlog")
"""KPI tables the build prints after its summary (``routeplan report`` prints them all)."""


@dataclass
class Context:
    """Options shared by every command."""

    data: Path
    config: Path | None
    verbose: bool
    skip_invalid: bool
    store: Path | None = None

    @property
    def source(self) -> DataSource:
        """Inputs, settings file and plan store as the global options name them."""
        return DataSource(self.data, self.config, self.store, self.skip_invalid)

    @property
    def store_path(self) -> Path:
        """The plan store: ``--store`` or ``DATA/plan.sqlite``."""
        return self.source.store_file


class RouteplanGroup(click.Group):
    """A click group that turns library errors into one clear line (traceback with -v)."""

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; RouteplanError → one line on stderr and exit code 1."""
        try:
            return super().invoke(ctx)
        except RouteplanError as exc:
            verbose = bool(ctx.params.get("verbose"))
            if verbose:
                traceback.print_exc()
            click.secho(f"Error: {exc.message}", fg="red", err=True)
            if exc.hint:
                click.echo(f"Hint: {exc.hint}", err=True)
            if not verbose:
                click.echo("(run with --verbose for the traceback)", err=True)
            ctx.exit(1)


@click.group(cls=RouteplanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="routeplan")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help="Folder with clients.csv|xlsx, reps.csv|xlsx, zones.geojson|gpkg and routeplan.toml.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Settings file [default: DATA/routeplan.toml].",
)
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Plan store (SQLite: calendar, week plans, visit log) [default: DATA/plan.sqlite].",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Leave invalid rows out instead of stopping; each is written with its reason "
    "to rejects-*.csv.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and solver details.")
@click.pass_context
def main(
    ctx: click.Context,
    data: Path,
    config: Path | None,
    store: Path | None,
    skip_invalid: bool,
    verbose: bool,
) -> None:
    """Plan field-sales visits: tier clients, keep territories, route each rep's week.

    Typical use, from the repository root with the bundled Helsinki demo:

        routeplan build --week 12

    writes out/week-12/ (routes.csv, days.csv, dropped.csv) and maps/week-12/ (one map per
    rep and index.html for managers). Errors exit with code 1 and one line naming the file,
    row and column; --verbose shows the traceback.
    """
    ctx.obj = Context(
        data=data, config=config, verbose=verbose, skip_invalid=skip_invalid, store=store
    )


@main.command()
@week_option("Week of the cycle to plan (1-based).")
@out_option("Output root; the week's exports go to OUT/week-NN/.")
@click.option(
    "--maps",
    "maps_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("maps"),
    show_default=True,
    help="Folder for the HTML maps; files go to MAPS/week-N/.",
)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Local worker processes [default: settings, 0 = all cores].",
)
@click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786.")
@click.option(
    "--offline",
    is_flag=True,
    help="Inline Leaflet and plugins into the maps (from local npm packages: "
    "$ROUTEPLAN_NODE_MODULES, ./node_modules or tests/browser/node_modules).",
)
@click.pass_obj
def build(
    obj: Context,
    week: int,
    out: Path,
    maps_dir: Path,
    workers: int | None,
    scheduler: str | None,
    offline: bool,
) -> None:
    """Plan one week: due visits → OR-Tools routes per rep → tables and maps.

    Reads the cycle calendar from the plan store (creating it on first use), adds catch-ups
    for visits missed or dropped in earlier weeks, and saves the week's plan. Writes
    OUT/week-NN/ (routes.csv, routes.geojson, days.csv, dropped.csv, ics/, gpx/, an XLSX
    workbook, KPI CSVs and report-week-NN.html) and MAPS/week-NN/ (<rep_id>.html per rep,
    index.html for managers). Prints a summary per rep and the KPIs. Every due visit is either
    planned or listed in dropped.csv with its reason.
    """
    from routeplan.cli.console import console, print_table, progress_bar, rich_tables
    from routeplan.jobs.build import run_build
    from routeplan.kpis.summary import rep_summary

    started = time.perf_counter()
    with progress_bar() as progress:
        outcome = run_build(
            obj.source,
            week,
            out_dir=out,
            maps_dir=maps_dir,
            workers=workers,
            scheduler=scheduler,
            offline=offline,
            progress=progress,
        )
    result, prepared = outcome.result, outcome.prepared
    for line in prepared.inputs.detected:
        console.print(line)
    for warning in prepared.warnings + result.warnings:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
    print_table(
        rep_summary(result.plan, result.due, prepared.settings.tier_names),
        title=f"Week {week}: planned/due visits per tier",
    )
    for table in rich_tables({k: v for k, v in outcome.kpis.items() if k in BUILD_KPIS}):
        console.print(table)
    console.print(
        f"Planned {len(result.plan.routes)} of {len(result.due)} due visits, "
        f"{len(result.plan.dropped)} dropped (see {outcome.folder / 'dropped.csv'}); "
        f"{len(outcome.written)} files written in {time.perf_counter() - started:.1f} s."
    )


@main.command()
@out_option("Results go to OUT/tiers/ (tiers.csv, tiers.geojson, summary.csv, tiers-diff.csv).")
@click.pass_obj
def tier(obj: Context, out: Path) -> None:
    """Tier the clients by the rule in routeplan.toml, with the reason for each tier.

    Prints accounts, shares of accounts, revenue and margin, and the visits each tier needs
    per cycle; warns when that load exceeds the reps' capacity. The tiered clients are written
    as CSV and GeoJSON (not over clients.csv: a filled tier column there is an override).
    """
    from routeplan.cli.console import console, print_table
    from routeplan.jobs.tier import run_tier
    from routeplan.tiers.summary import summary_for_display

    outcome = run_tier(obj.source, out_dir=out)
    for warning in outcome.prepared.warnings:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
    print_table(summary_for_display(outcome.summary), title="Tiers")
    if outcome.diff is not None:
        counts = outcome.diff["change"].value_counts()
        changes = ", ".join(f"{n} {change}" for change, n in counts.items()) or "no changes"
        console.print(f"Against the previous tiering: {changes}.")
    if outcome.capacity_warning:
        click.secho(f"Warning: {outcome.capacity_warning}", fg="yellow", err=True)
    console.print(f"Wrote {', '.join(str(p) for p in outcome.written)}.")


@main.command()
@week_option("A week already built (1-based).")
@out_option("Output root; the KPI CSVs and report-week-NN.html go to OUT/week-NN/.")
@click.pass_obj
def report(obj: Context, week: int, out: Path) -> None:
    """KPIs of a built week, as tables, CSV and an HTML report with charts.

    Cadence compliance per tier (cycle to date: the weeks built or logged so far, counting the
    visit log), drive hours and km per rep and day, utilisation, workload balance, backlog and
    clients not seen for longer than their cadence. Written as kpi-*.csv and a self-contained
    report-week-NN.html next to the week's exports.
    """
    from routeplan.cli.console import console, rich_tables
    from routeplan.jobs.build import run_report

    outcome = run_report(obj.source, week, out_dir=out)
    for table in rich_tables(outcome.tables):
        console.print(table)
    console.print(f"Wrote {len(outcome.written)} files; report: {outcome.written[-1]}")


def _add_command_groups() -> None:
    from routeplan.cli.access import access_group
    from routeplan.cli.calendar import calendar_command, log_group
    from routeplan.cli.capacity import capacity
    from routeplan.cli.intake import geocode, init, validate
    from routeplan.cli.serve import serve
    from routeplan.cli.travel import travel
    from routeplan.cli.zones import zones

    main.add_command(travel)
    main.add_command(zones)
    main.add_command(calendar_command)
    main.add_command(log_group)
    main.add_command(capacity)
    main.add_command(access_group)
    main.add_command(serve)
    main.add_command(validate)
    main.add_command(init)
    main.add_command(geocode)


_add_command_groups()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
