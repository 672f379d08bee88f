"""CLI commands of the cycle calendar: ``routeplan calendar`` and ``routeplan log import``.

Thin shells over :mod:`routeplan.calendar.construction`, :mod:`routeplan.planning.store` and
:mod:`routeplan.io.visit_log`. Add them to the main group with
``main.add_command(calendar_command)`` and ``main.add_command(log_group)``; they read the
shared options from the group's :class:`routeplan.cli.main.Context` object (``data``, ``config``,
``skip_invalid``). The plan store is ``--store`` (default ``DATA/plan.sqlite``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
import pandas as pd
from rich.table import Table

from routeplan.calendar.report import client_view, weekly_workload, workload_spread
from routeplan.cli.console import console
from routeplan.io.visit_log import visit_log_from_csv
from routeplan.io.writers import write_csv
from routeplan.planning.calendar_sync import load_or_build_calendar
from routeplan.planning.store import PlanStore
from routeplan.planning.store_lock import store_writer


def _prepared(obj: Any) -> Any:
    """Inputs tiered against the last build's tiering (hysteresis), as the build sees them."""
    from routeplan.planning.prepare import prepare_source

    return prepare_source(obj.source)


def workload_table(calendar: pd.DataFrame, settings: Any, reps: pd.DataFrame) -> Table:
    """Week × rep table of estimated workload (hours), with each rep's spread."""
    table = weekly_workload(calendar, weeks=settings.cycle.weeks)
    grid = table.pivot(index="week", columns="rep_id", values="load_min") / 60.0
    visits = table.pivot(index="week", columns="rep_id", values="visits")
    spread = workload_spread(calendar, settings, reps=reps).set_index("rep_id")
    out = Table(title="Estimated weekly workload, hours (visits): service + travel estimate")
    out.add_column("week", justify="right")
    for rep in grid.columns:
        out.add_column(str(rep), justify="right")
    for week in grid.index:
        out.add_row(
            str(week),
            *(f"{grid.loc[week, r]:.1f} ({int(visits.loc[week, r])})" for r in grid.columns),
        )
    out.add_row(
        "spread", *(f"±{spread.loc[r, 'max_dev_pct']:.1f}%" for r in grid.columns), style="bold"
    )
    return out


@click.command("calendar")
@click.option("--client", "clients", multiple=True, help="Show the weeks of this client (repeat).")
@click.option("--rep", default=None, help="Show the per-client view of this rep's clients.")
@click.option("--rebuild", is_flag=True, help="Rebuild the whole calendar from scratch.")
@click.option(
    "--replan", "replan_week", type=int, default=None, help="Rebuild the calendar from this week."
)
@click.option("--pin", default=None, help="Client to pin (with --week and/or --day).")
@click.option("--week", "pin_week", type=int, default=None, help="Week to pin the client to.")
@click.option("--day", "pin_day", default=None, help="Weekday to pin the client to (Mon..Sun).")
@click.option("--unpin", default=None, help="Remove the pin of this client.")
@click.option(
    "--csv",
    "csv_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the per-client view (client × week) to this CSV file.",
)
@click.pass_obj
def calendar_command(
    obj: Any,
    clients: tuple[str, ...],
    rep: str | None,
    rebuild: bool,
    replan_week: int | None,
    pin: str | None,
    pin_week: int | None,
    pin_day: str | None,
    unpin: str | None,
    csv_out: Path | None,
) -> None:
    """Build or show the cycle calendar: which week (and day) each client is due.

    The calendar is kept in DATA/plan.sqlite and created on first use; later runs add new
    clients without moving the others. Shows a week × rep workload table.
    """
    prepared = _prepared(obj)
    known = set(prepared.clients["client_id"])
    with store_writer(obj.store_path), PlanStore(obj.store_path) as store:
        for cid in (pin, unpin, *clients):
            if cid and cid not in known:
                raise click.BadParameter(f"unknown client '{cid}'", param_hint="client id")
        if pin:
            if pin_week is None and not pin_day:
                raise click.UsageError("--pin needs --week and/or --day")
            store.set_lock(pin, week=pin_week, day=pin_day)
        if unpin:
            store.clear_lock(unpin)
        calendar, changes = load_or_build_calendar(
            store,
            prepared.clients,
            prepared.settings,
            reps=prepared.reps,
            rebuild=rebuild,
            replan_week=replan_week,
        )
    summary = ", ".join(f"{k} {len(v)}" for k, v in changes.items() if v and k != "built")
    built = changes["built"][0] if changes["built"] else ""
    state = f"built ({built})" if built else ("updated: " + summary if summary else "unchanged")
    console.print(
        f"Calendar {state}: {calendar['client_id'].nunique():,} clients, "
        f"{len(calendar):,} visits over {prepared.settings.cycle.weeks} weeks"
    )
    console.print(workload_table(calendar, prepared.settings, prepared.reps))
    view = client_view(calendar, weeks=prepared.settings.cycle.weeks)
    shown = view.loc[[c for c in clients if c in view.index]] if clients else None
    if rep is not None:
        shown = view[view["rep_id"] == rep]
    if shown is not None and len(shown):
        table = Table(title="Per client: weekdays due each week (any = any workday)")
        for col in ["client_id", *map(str, shown.columns)]:
            table.add_column(col)
        for cid, row in shown.iterrows():
            table.add_row(str(cid), *(str(v) for v in row.tolist()))
        console.print(table)
    if csv_out is not None:
        write_csv(view.reset_index(), csv_out)
        console.print(f"Per-client view written to {csv_out}")


@click.group("log")
def log_group() -> None:
    """What happened: visits done or missed, from a CRM export or the field app."""


@log_group.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def log_import(obj: Any, csv_file: Path) -> None:
    """Record visits done or missed from CSV_FILE (client_id,date,status[,rep_id,note]).

    Missed visits come back as catch-ups in the next weeks built.
    """
    prepared = _prepared(obj)
    log = visit_log_from_csv(csv_file, prepared.clients["client_id"], cycle=prepared.settings.cycle)
    with store_writer(obj.store_path), PlanStore(obj.store_path) as store:
        added = store.record_visits(log, cycle_start=prepared.settings.cycle.start_date)
        weeks = pd.to_datetime(log["date"]) - pd.Timestamp(prepared.settings.cycle.start_date)
        next_week = int(weeks.dt.days.max() // 7 + 2) if len(log) else 1
        backlog = store.backlog(next_week)
    missed = int((log["status"] == "missed").sum())
    console.print(
        f"Recorded {added} new visit(s) ({len(log) - added} already known); {missed} missed in "
        f"the file; {len(backlog)} visit(s) to catch up from week {next_week}."
    )


@log_group.command("export")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--since", default=None, help="Only visits on or after this date (YYYY-MM-DD).")
@click.pass_obj
def log_export(obj: Any, csv_file: Path, since: str | None) -> None:
    """Write the visit log to CSV_FILE for the CRM: imports, field visits and re-plan misses.

    Columns: client_id, date, week, status, outcome, source (import|field|replan), rep_id,
    note, checked_in_at, checked_out_at, lat, lon, distance_m, order_value.
    """
    from routeplan.planning.field_log import EXPORT_COLUMNS, visit_log_export

    if since is not None:
        try:
            dt.date.fromisoformat(since)
        except ValueError:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--since") from None
    with PlanStore(obj.store_path) as store:
        log = visit_log_export(store, since=since)
    write_csv(log, csv_file, columns=EXPORT_COLUMNS)
    console.print(f"Wrote {len(log)} visit(s) to {csv_file}")
