"""``routeplan validate`` (and the other intake commands): parse, call the job, print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from routeplan.cli.localized import LocalizedCommand
from routeplan.config import load_settings
from routeplan.errors import RouteplanError
from routeplan.i18n import DEFAULT_LANGUAGE, N_, _, ngettext, use_language
from routeplan.planning.source import DataSource

if TYPE_CHECKING:
    from routeplan.jobs.geocode import GeocodeOutcome
    from routeplan.jobs.init import InitOutcome
    from routeplan.jobs.validate import ValidateOutcome

SHOWN_PROBLEMS = 20
"""Problems printed as a table; every one is in the rejects files."""


def settings_language(source: DataSource) -> str:
    """The settings' ``[ui] language`` when the settings can be read, else English."""
    path = source.config_path or source.data_dir / "routeplan.toml"
    try:
        return load_settings(path).ui.language
    except RouteplanError:
        return DEFAULT_LANGUAGE


@click.command(
    cls=LocalizedCommand,
    help=N_(
        "Check the input files and settings; report every problem, change nothing.\n\n"
        "Reads clients, reps and zones as build does (encoding, separator, decimal mark "
        "and column names detected), runs every settings check build runs, and writes "
        "every problem to DATA/validation/rejects-<file>.csv (file, row, column, value, "
        "problem, hint). The first 20 are printed with the count per kind. Exit code 1 "
        "when a problem remains; with --skip-invalid only file-wide problems (unreadable "
        "file, wrong separator, missing column, bad settings) do, since build would leave "
        "the bad rows out."
    ),
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=N_("Folder for rejects-<file>.csv [default: DATA/validation]."),
)
@click.pass_obj
def validate(obj: Any, out: Path | None) -> None:
    """Check the input files and settings; report every problem, change nothing."""
    from routeplan.jobs.validate import run_validate

    with use_language(settings_language(obj.source)):
        _report_validation(run_validate(obj.source, out_dir=out), skip_invalid=obj.skip_invalid)


def _report_validation(outcome: ValidateOutcome, *, skip_invalid: bool) -> None:
    from routeplan.cli.console import console, print_table
    from routeplan.io.problems import problems_frame

    for line in outcome.detected:
        console.print(line)
    for note in outcome.notes:
        click.secho(_("Note: {note}", note=note), fg="yellow", err=True)
    if outcome.problems:
        shown = problems_frame(outcome.problems[:SHOWN_PROBLEMS]).drop(columns=["kind"])
        title = ngettext(
            "{count} problem (first {shown} shown)",
            "{count} problems (first {shown} shown)",
            len(outcome.problems),
            shown=len(shown),
        )
        print_table(shown, title=title)
        counts = ", ".join(f"{kind}: {n}" for kind, n in outcome.counts.items())
        console.print(_("By kind: {counts}", counts=counts))
        files = ", ".join(str(p) for p in outcome.written if p.name.startswith("rejects-"))
        console.print(_("Every problem is in {files}", files=files))
    prepared = outcome.prepared
    if prepared is not None and (skip_invalid or not outcome.problems):
        notes = set(outcome.notes)
        setup = {str(w) for w in prepared.setup}
        for warning in prepared.warnings:
            if warning not in notes and warning not in setup:
                click.secho(_("Warning: {warning}", warning=warning), fg="yellow", err=True)
        for check in prepared.setup:
            click.secho(_("Setup: {message}", message=check.message), fg="yellow", err=True)
            click.echo(_("  fix: {fix}", fix=check.fix), err=True)
        console.print(
            _(
                "Read {clients} clients, {reps} reps, {zones} zones.",
                clients=len(prepared.clients),
                reps=len(prepared.reps),
                zones=len(prepared.zones),
            )
        )
    if outcome.blocking or (outcome.problems and not skip_invalid):
        raise click.exceptions.Exit(1)
    setup_files = [p for p in outcome.written if not p.name.startswith("rejects-")]
    if setup_files:
        count = len(prepared.setup) if prepared else 0
        console.print(
            ngettext(
                "{count} setup warning, listed in {file}",
                "{count} setup warnings, listed in {file}",
                count,
                file=setup_files[0],
            )
        )
    if not outcome.problems:
        console.print(_("OK: no problems found."))


@click.command(
    cls=LocalizedCommand,
    help=N_(
        "Write DATA/routeplan.toml from your data, commented, and say what was assumed.\n\n"
        "The time zone comes from the clients' coordinates (offline), the country from the "
        "time zone, the language and currency from the country, the public holidays of the "
        "cycle from the holidays package; the cycle starts next Monday; tiers, cadences "
        "and the working day are the defaults. Check the file, then run routeplan validate."
    ),
)
@click.option("--force", is_flag=True, help=N_("Replace an existing routeplan.toml."))
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help=N_("Plan from this day (YYYY-MM-DD) instead of today; the cycle starts the next Monday."),
)
@click.pass_obj
def init(obj: Any, force: bool, today: dt.datetime | None) -> None:
    """Write DATA/routeplan.toml from your data, commented, and say what was assumed."""
    from routeplan.jobs.init import run_init

    outcome = run_init(obj.data, today=today.date() if today else None, force=force)
    with use_language(outcome.proposal.place.language):
        _report_init(outcome)


def _report_init(outcome: InitOutcome) -> None:
    from routeplan.cli.console import console

    for line in outcome.detected:
        console.print(line)
    console.print(_("Assumed, from {count} clients:", count=outcome.clients))
    for reason in outcome.proposal.reasons:
        console.print(f"  - {reason}")
    console.print(_("Wrote {path}; check it, then run 'routeplan validate'.", path=outcome.path))


@click.command(
    cls=LocalizedCommand,
    help=N_(
        "Find coordinates for clients with an address but no lat/lon, offline.\n\n"
        "Matches each address against the address points, buildings and named streets of a "
        "local OpenStreetMap extract (Cra./Carrera, Cl./Calle, Av./Avenida, Rua/R., Dg., "
        "Tv., # and No. house numbers and accents normalised). Writes DATA/geocoded.csv "
        "with a quality (address, street, locality, none) and a score for review; every "
        "later command fills the missing coordinates from it (down to [geocode] accept). "
        "Unplaced clients go to DATA/validation/geocode-rejects.csv with the reason. "
        "Results are cached per extract."
    ),
)
@click.option(
    "--osm-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help=N_("The .osm.pbf extract covering the clients [default: [geocode] osm_file]."),
)
@click.pass_obj
def geocode(obj: Any, osm_file: Path | None) -> None:
    """Find coordinates for clients with an address but no lat/lon, offline."""
    from routeplan.jobs.geocode import run_geocode

    with use_language(settings_language(obj.source)):
        outcome = run_geocode(obj.source, osm_file=osm_file)
        _report_geocode(outcome)


def _report_geocode(outcome: GeocodeOutcome) -> None:
    from routeplan.cli.console import console

    counts = ", ".join(f"{quality}: {n}" for quality, n in outcome.counts.items())
    console.print(
        _(
            "Geocoded {count} clients with {extract} ({cached} from the cache): {counts}",
            count=len(outcome.results),
            extract=outcome.extract.name,
            cached=outcome.cached,
            counts=counts,
        )
    )
    console.print(_("Wrote {files}", files=", ".join(str(p) for p in outcome.written)))
