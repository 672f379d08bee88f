"""The ``routeplan`` command line: parse, call the library, print. No planning logic here."""

from __future__ import annotations

import contextvars
import importlib
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from routeplan.cli.click_words import speak_click
from routeplan.cli.error_line import error_line
from routeplan.cli.localized import LocalizedGroup
from routeplan.cli.numbers import INTEGER
from routeplan.cli.options import out_option, week_option
from routeplan.config import load_settings
from routeplan.errors import ConfigError, RouteplanError
from routeplan.i18n import N_, _, format_number, set_language
from routeplan.planning.source import DataSource
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


LAZY_COMMANDS: dict[str, str] = {
    "access": "routeplan.cli.access:access_group",
    "calendar": "routeplan.cli.calendar:calendar_command",
    "capacity": "routeplan.cli.capacity:capacity",
    "geocode": "routeplan.cli.intake:geocode",
    "init": "routeplan.cli.intake:init",
    "log": "routeplan.cli.calendar:log_group",
    "serve": "routeplan.cli.serve:serve",
    "travel": "routeplan.cli.travel:travel",
    "validate": "routeplan.cli.intake:validate",
    "zones": "routeplan.cli.zones:zones",
}
"""Command groups kept in their own modules, imported only when the command runs (or a help
page lists it): ``routeplan serve`` does not pay for the modules of every other command."""


class RouteplanGroup(LocalizedGroup):
    """The main group: translated help, library errors as one clear line (traceback with -v).

    Every run starts in a fresh :class:`contextvars.Context`, so the language one run sets
    (``--lang`` or ``[ui] language``) never leaks into the next run in the same process.
    The commands of :data:`LAZY_COMMANDS` are imported when first asked for (click's
    lazy-group pattern).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name: the ones defined here and the lazy ones."""
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command of a name, importing its module when it is a lazy one."""
        if cmd_name in self.commands or cmd_name not in LAZY_COMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = LAZY_COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - a wrong registry entry
            msg = f"{LAZY_COMMANDS[cmd_name]} is not a click command."
            raise TypeError(msg)
        self.add_command(command, cmd_name)
        return command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the CLI in a fresh context (default language English until it is set)."""
        speak_click("en")
        return contextvars.Context().run(super().main, *args, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; RouteplanError → one line on stderr and exit code 1."""
        try:
            return super().invoke(ctx)
        except RouteplanError as exc:
            verbose = bool(ctx.params.get("verbose"))
            if verbose:
                traceback.print_exc()
            click.secho(_("Error: {message}", message=error_line(exc)), fg="red", err=True)
            if exc.hint:
                click.echo(_("Hint: {hint}", hint=exc.hint), err=True)
            if not verbose:
                click.echo(_("(run with --verbose for the traceback)"), err=True)
            ctx.exit(1)


def _eager_language(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--lang`` is eager: set before ``--help`` renders the group's help."""
    if value is None:
        return None
    try:
        language = set_language(value)
    except ConfigError as exc:
        raise click.BadParameter(f"{exc.message} ({exc.hint})", ctx=ctx) from exc
    speak_click(language)
    return language


def configured_language(source: DataSource) -> str:
    """``[ui] language`` of the settings file, or English when it cannot be read here.

    A broken settings file is reported by the command that loads it (in English, as the
    language is unknown then).
    """
    path = source.config_path or source.data_dir / "routeplan.toml"
    try:
        return load_settings(path, required=source.config_path is not None).ui.language
    except RouteplanError:
        return "en"


@click.group(
    cls=RouteplanGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "Plan field-sales visits: tier clients, keep territories, route each rep's week.\n\n"
        "Typical use, from the repository root with the bundled Helsinki demo:\n\n"
        "    routeplan build --week 12\n\n"
        "writes out/week-12/ (routes.csv, days.csv, dropped.csv) and maps/week-12/ (one map "
        "per rep and index.html for managers). Errors exit with code 1 and one line naming "
        "the file, row and column; --verbose shows the traceback."
    ),
)
@click.version_option(__version__, prog_name="routeplan", help=N_("Show the version and exit."))
@click.option(
    "--lang",
    metavar="LANG",
    default=None,
    is_eager=True,
    expose_value=True,
    callback=_eager_language,
    help=N_(
        "Language of maps, exports, reports and messages: en, es, es-CO, es-MX, es-ES, "
        "pt-BR [default: [ui] language of the settings, else en]."
    ),
)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help=N_("Folder with clients.csv|xlsx, reps.csv|xlsx, zones.geojson|gpkg and routeplan.toml."),
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Settings file [default: DATA/routeplan.toml]."),
)
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Plan store (SQLite: calendar, week plans, visit log) [default: DATA/plan.sqlite]."),
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help=N_(
        "Leave invalid rows out instead of stopping; each is written with its reason "
        "to rejects-*.csv."
    ),
)
@click.option("-v", "--verbose", is_flag=True, help=N_("Show tracebacks and solver details."))
@click.pass_context
def main(
    ctx: click.Context,
    lang: str | None,
    data: Path,
    config: Path | None,
    store: Path | None,
    skip_invalid: bool,
    verbose: bool,
) -> None:
    """The ``routeplan`` group: shared options, and the language of the run (set once)."""
    ctx.obj = Context(
        data=data, config=config, verbose=verbose, skip_invalid=skip_invalid, store=store
    )
    if lang is None:
        speak_click(set_language(configured_language(ctx.obj.source)))


TIER_CHANGES = {
    "new": N_("{count} new"),
    "gone": N_("{count} gone"),
    "promoted": N_("{count} promoted"),
    "demoted": N_("{count} demoted"),
    "changed": N_("{count} changed"),
}
"""How the tier command words each kind of tier change (``tier_diff``'s ``change`` codes)."""


def warn(message: str) -> None:
    """Print a warning line on stderr, prefixed in the active language."""
    click.secho(_("Warning: {message}", message=message), fg="yellow", err=True)


@main.command(
    help=N_(
        "Plan one week: due visits → OR-Tools routes per rep → tables and maps.\n\n"
        "Reads the cycle calendar from the plan store (creating it on first use), adds "
        "catch-ups for visits missed or dropped in earlier weeks, and saves the week's plan. "
        "Writes OUT/week-NN/ (routes.csv, routes.geojson, days.csv, dropped.csv, ics/, gpx/, an "
        "XLSX workbook, KPI CSVs and report-week-NN.html) and MAPS/week-NN/ (<rep_id>.html per "
        "rep, index.html for managers). Prints a summary per rep and the KPIs. Every due visit "
        "is either planned or listed in dropped.csv with its reason."
    )
)
@week_option(N_("Week of the cycle to plan (1-based)."))
@out_option(N_("Output root; the week's exports go to OUT/week-NN/."))
@click.option(
    "--maps",
    "maps_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("maps"),
    show_default=True,
    help=N_("Folder for the HTML maps; files go to MAPS/week-N/."),
)
@click.option(
    "--workers",
    type=INTEGER,
    default=None,
    help=N_("Local worker processes [default: settings, 0 = all cores]."),
)
@click.option("--scheduler", default=None, help=N_("Dask scheduler address, e.g. tcp://host:8786."))
@click.option(
    "--offline",
    is_flag=True,
    help=N_(
        "Inline Leaflet and plugins into the maps (from local npm packages: "
        "$ROUTEPLAN_NODE_MODULES, ./node_modules or tests/browser/node_modules)."
    ),
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
    """``routeplan build``: plan one week, print its summary and KPIs."""
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
        warn(warning)
    print_table(
        rep_summary(result.plan, result.due, prepared.settings.tier_names),
        title=_("Week {week}: planned/due visits per tier", week=week),
    )
    for table in rich_tables({k: v for k, v in outcome.kpis.items() if k in BUILD_KPIS}):
        console.print(table)
    console.print(
        _(
            "Planned {planned} of {due} due visits, {dropped} dropped (see {path}); "
            "{files} files written in {seconds} s.",
            planned=len(result.plan.routes),
            due=len(result.due),
            dropped=len(result.plan.dropped),
            path=outcome.folder / "dropped.csv",
            files=len(outcome.written),
            seconds=format_number(time.perf_counter() - started),
        )
    )


@main.command(
    help=N_(
        "Tier the clients by the rule in routeplan.toml, with the reason for each tier.\n\n"
        "Prints accounts, shares of accounts, revenue and margin, and the visits each tier "
        "needs per cycle; warns when that load exceeds the reps' capacity. The tiered clients "
        "are written as CSV and GeoJSON (not over clients.csv: a filled tier column there is "
        "an override)."
    )
)
@out_option(N_("Results go to OUT/tiers/ (tiers.csv, tiers.geojson, summary.csv, tiers-diff.csv)."))
@click.pass_obj
def tier(obj: Context, out: Path) -> None:
    """``routeplan tier``: tier the clients, print the summary and the changes."""
    from routeplan.cli.console import console, print_table
    from routeplan.i18n import translate
    from routeplan.jobs.tier import run_tier
    from routeplan.tiers.summary import summary_for_display

    outcome = run_tier(obj.source, out_dir=out)
    for warning in outcome.prepared.warnings:
        warn(warning)
    print_table(summary_for_display(outcome.summary), title=_("Tiers"))
    if outcome.diff is not None:
        counts = outcome.diff["change"].value_counts()
        changes = ", ".join(
            translate(TIER_CHANGES[str(change)], count=n) if change in TIER_CHANGES else str(change)
            for change, n in counts.items()
        )
        console.print(
            _("Against the previous tiering: {changes}.", changes=changes)
            if changes
            else _("Against the previous tiering: no changes.")
        )
    if outcome.capacity_warning:
        warn(outcome.capacity_warning)
    console.print(_("Wrote {files}.", files=", ".join(str(p) for p in outcome.written)))


@main.command(
    help=N_(
        "KPIs of a built week, as tables, CSV and an HTML report with charts.\n\n"
        "Cadence compliance per tier (cycle to date: the weeks built or logged so far, counting "
        "the visit log), drive hours and km per rep and day, utilisation, workload balance, "
        "backlog and clients not seen for longer than their cadence. Written as kpi-*.csv and "
        "a self-contained report-week-NN.html next to the week's exports."
    )
)
@week_option(N_("A week already built (1-based)."))
@out_option(N_("Output root; the KPI CSVs and report-week-NN.html go to OUT/week-NN/."))
@click.pass_obj
def report(obj: Context, week: int, out: Path) -> None:
    """``routeplan report``: the KPIs of a built week."""
    from routeplan.cli.console import console, rich_tables
    from routeplan.jobs.build import run_report

    outcome = run_report(obj.source, week, out_dir=out)
    for table in rich_tables(outcome.tables):
        console.print(table)
    console.print(
        _(
            "Wrote {count} files; report: {path}",
            count=len(outcome.written),
            path=outcome.written[-1],
        )
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
