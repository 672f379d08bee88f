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
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from routeplan.cli.console import console
from routeplan.cli.localized import LocalizedCommand, LocalizedGroup
from routeplan.cli.numbers import INTEGER
from routeplan.i18n import N_, _, format_number, ngettext

if TYPE_CHECKING:
    import pandas as pd


def _prepared(obj: Any) -> Any:
    """Inputs tiered against the last build's tiering (hysteresis), as the build sees them."""
    from routeplan.planning.prepare import prepare_source

    return prepare_source(obj.source)


def workload_table(calendar: pd.DataFrame, settings: Any, reps: pd.DataFrame) -> Table:
    """Week × rep table of estimated workload (hours), with each rep's spread."""
    from routeplan.calendar.report import weekly_workload, workload_spread

    table = weekly_workload(calendar, weeks=settings.cycle.weeks)
    grid = table.pivot(index="week", columns="rep_id", values="load_min") / 60.0
    visits = table.pivot(index="week", columns="rep_id", values="visits")
    spread = workload_spread(calendar, settings, reps=reps).set_index("rep_id")
    out = Table(title=_("Estimated weekly workload, hours (visits): service + travel estimate"))
    out.add_column(_("week"), justify="right")
    for rep in grid.columns:
        out.add_column(str(rep), justify="right")
    for week in grid.index:
        out.add_row(
            str(week),
            *(
                f"{format_number(grid.loc[week, r])} ({int(visits.loc[week, r])})"
                for r in grid.columns
            ),
        )
    out.add_row(
        _("spread"),
        *(f"±{format_number(spread.loc[r, 'max_dev_pct'])}%" for r in grid.columns),
        style="bold",
    )
    return out


@click.command(
    "calendar",
    cls=LocalizedCommand,
    help=N_(
        "Build or show the cycle calendar: which week (and day) each client is due.\n\n"
        "The calendar is kept in DATA/plan.sqlite and created on first use; later runs add new "
        "clients without moving the others. Shows a week × rep workload table."
    ),
)
@click.option(
    "--client", "clients", multiple=True, help=N_("Show the weeks of this client (repeat).")
)
@click.option("--rep", default=None, help=N_("Show the per-client view of this rep's clients."))
@click.option("--rebuild", is_flag=True, help=N_("Rebuild the whole calendar from scratch."))
@click.option(
    "--replan",
    "replan_week",
    type=INTEGER,
    default=None,
    help=N_("Rebuild the calendar from this week."),
)
@click.option("--pin", default=None, help=N_("Client to pin (with --week and/or --day)."))
@click.option(
    "--week", "pin_week", type=INTEGER, default=None, help=N_("Week to pin the client to.")
)
@click.option("--day", "pin_day", default=None, help=N_("Weekday to pin the client to (Mon..Sun)."))
@click.option("--unpin", default=None, help=N_("Remove the pin of this client."))
@click.option(
    "--csv",
    "csv_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Write the per-client view (client × week) to this CSV file."),
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
    """``routeplan calendar``: build, update or show the cycle calendar."""
    from routeplan.calendar.report import client_view
    from routeplan.io.writers import write_csv
    from routeplan.planning.calendar_sync import load_or_build_calendar
    from routeplan.planning.store import PlanStore
    from routeplan.planning.store_lock import store_writer

    prepared = _prepared(obj)
    known = set(prepared.clients["client_id"])
    with store_writer(obj.store_path), PlanStore(obj.store_path) as store:
        for cid in (pin, unpin, *clients):
            if cid and cid not in known:
                raise click.BadParameter(
                    _("unknown client '{client}'", client=cid), param_hint=_("client id")
                )
        if pin:
            if pin_week is None and not pin_day:
                raise click.UsageError(_("--pin needs --week and/or --day"))
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
    console.print(
        _(
            "Calendar {state}: {clients}, {visits} over {weeks} weeks",
            state=_calendar_state(changes),
            clients=ngettext("{count} client", "{count} clients", calendar["client_id"].nunique()),
            visits=ngettext("{count} visit", "{count} visits", len(calendar)),
            weeks=prepared.settings.cycle.weeks,
        )
    )
    console.print(workload_table(calendar, prepared.settings, prepared.reps))
    view = client_view(calendar, weeks=prepared.settings.cycle.weeks)
    shown = view.loc[[c for c in clients if c in view.index]] if clients else None
    if rep is not None:
        shown = view[view["rep_id"] == rep]
    if shown is not None and len(shown):
        table = Table(title=_("Per client: weekdays due each week (any = any workday)"))
        for col in ["client_id", *map(str, shown.columns)]:
            table.add_column(col)
        for cid, row in shown.iterrows():
            table.add_row(str(cid), *(str(v) for v in row.tolist()))
        console.print(table)
    if csv_out is not None:
        write_csv(view.reset_index(), csv_out)
        console.print(_("Per-client view written to {path}", path=csv_out))


def _calendar_state(changes: dict[str, list]) -> str:
    """What a calendar run did: built, updated (with counts per change) or unchanged."""
    if changes["built"]:
        return _("built ({how})", how=changes["built"][0])
    summary = ", ".join(f"{k} {len(v)}" for k, v in changes.items() if v and k != "built")
    return _("updated: {changes}", changes=summary) if summary else _("unchanged")


@click.group(
    "log",
    cls=LocalizedGroup,
    help=N_("What happened: visits done or missed, from a CRM export or the field app."),
)
def log_group() -> None:
    """``routeplan log``: the visit log."""


@log_group.command(
    "import",
    help=N_(
        "Record visits done or missed from CSV_FILE (client_id,date,status[,rep_id,note]).\n\n"
        "Missed visits come back as catch-ups in the next weeks built."
    ),
)
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def log_import(obj: Any, csv_file: Path) -> None:
    """``routeplan log import``: record visits done or missed."""
    import pandas as pd

    from routeplan.io.visit_log import visit_log_from_csv
    from routeplan.planning.catch_up import backlog_outlook, outlook_lines
    from routeplan.planning.store import PlanStore
    from routeplan.planning.store_lock import store_writer

    prepared = _prepared(obj)
    log = visit_log_from_csv(csv_file, prepared.clients["client_id"], cycle=prepared.settings.cycle)
    with store_writer(obj.store_path), PlanStore(obj.store_path) as store:
        added = store.record_visits(log, cycle_start=prepared.settings.cycle.start_date)
        weeks = pd.to_datetime(log["date"]) - pd.Timestamp(prepared.settings.cycle.start_date)
        next_week = int(weeks.dt.days.max() // 7 + 2) if len(log) else 1
        outlook = backlog_outlook(prepared, store, next_week)
        back = outlook[outlook["comes_back"].astype(bool)]
    missed = int((log["status"] == "missed").sum())
    console.print(
        _(
            "Recorded {added} ({known} already known); {missed} missed in the file; "
            "{backlog} to catch up from week {week}.",
            added=ngettext("{count} new visit", "{count} new visits", added),
            known=len(log) - added,
            missed=missed,
            backlog=ngettext("{count} visit", "{count} visits", len(back)),
            week=next_week,
        )
    )
    for line in outlook_lines(outlook):
        console.print(line)


@log_group.command(
    "export",
    help=N_(
        "Write the visit log to CSV_FILE for the CRM: imports, field visits and re-plan "
        "misses.\n\nColumns: client_id, date, week, status, outcome, source "
        "(import|field|replan), rep_id, note, checked_in_at, checked_out_at, lat, lon, "
        "distance_m, order_value."
    ),
)
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--since", default=None, help=N_("Only visits on or after this date (YYYY-MM-DD)."))
@click.pass_obj
def log_export(obj: Any, csv_file: Path, since: str | None) -> None:
    """``routeplan log export``: the visit log as CSV for the CRM."""
    from routeplan.io.writers import write_csv
    from routeplan.planning.field_log import EXPORT_COLUMNS, visit_log_export
    from routeplan.planning.store import PlanStore

    if since is not None:
        try:
            dt.date.fromisoformat(since)
        except ValueError:
            raise click.BadParameter(_("use YYYY-MM-DD"), param_hint="--since") from None
    with PlanStore(obj.store_path) as store:
        log = visit_log_export(store, since=since)
    write_csv(log, csv_file, columns=EXPORT_COLUMNS)
    console.print(
        _(
            "Wrote {visits} to {path}",
            visits=ngettext("{count} visit", "{count} visits", len(log)),
            path=csv_file,
        )
    )
