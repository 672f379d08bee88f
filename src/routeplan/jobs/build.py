"""The whole ``build --week N`` job as one library call, timed stage by stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from routeplan.errors import RouteplanError
from routeplan.io.exports import week_dir, write_week_outputs
from routeplan.io.writers import write_rejects
from routeplan.jobs.week_maps import write_week_maps
from routeplan.kpis.report import kpi_tables, write_week_report
from routeplan.model.plan import WeekPlan
from routeplan.planning.prepare import DataSource, Prepared, Progress, prepare
from routeplan.planning.store import PlanStore
from routeplan.planning.week import BuildResult, build_week, cycle_calendar
from routeplan.stopwatch import timed


@dataclass
class BuildOutcome:
    """Everything a build produced, with the seconds each stage took."""

    prepared: Prepared
    result: BuildResult
    written: list[Path]
    folder: Path
    kpis: dict[str, pd.DataFrame]
    seconds: dict[str, float] = field(default_factory=dict)


def run_build(
    source: DataSource,
    week: int,
    *,
    out_dir: Path,
    maps_dir: Path,
    workers: int | None = None,
    scheduler: str | None = None,
    offline: bool = False,
    progress: Progress | None = None,
) -> BuildOutcome:
    """Load, plan ``week`` and write its tables and maps.

    Parameters
    ----------
    source
        Inputs, settings file and plan store.
    week
        Week of the cycle, 1-based.
    out_dir
        Exports go to ``out_dir/week-NN/`` (see :func:`routeplan.io.exports.write_week_outputs`).
    maps_dir
        Maps go to ``maps_dir/week-NN/``.
    workers
        Local worker processes; None = settings.
    scheduler
        Dask scheduler address; None = settings.
    offline
        Inline Leaflet and plugin assets (from local npm packages) into the maps.
    progress
        Progress callback.

    Returns
    -------
    BuildOutcome
        The plan, the files written and the seconds per stage: ``load``, ``zones``,
        ``tiers``, ``calendar``, ``matrices``, ``routing``, ``tables``, ``kpis``, ``exports``,
        ``maps``.
    """
    with PlanStore(source.store_file) as store:
        prepared = prepare(
            source.data_dir,
            config_path=source.config_path,
            skip_invalid=source.skip_invalid,
            previous_tiers=store.load_tiers(),
        )
        store.save_tiers(prepared.clients)
        result = build_week(
            prepared, week, store=store, workers=workers, scheduler=scheduler, progress=progress
        )
        seconds = {**prepared.seconds, **result.seconds}
        with timed(seconds, "kpis"):
            store.save_week_plan(result.plan)
            kpis = week_kpis(prepared, result.plan, store, calendar=result.calendar)
    with timed(seconds, "exports"):
        route_lines = {key: [p for leg in lines for p in leg] for key, lines in result.legs.items()}
        exported = write_week_outputs(
            result.plan, out_dir, settings=prepared.settings, reps=prepared.reps, legs=route_lines
        )
        folder = week_dir(out_dir, week)
        written = [path for paths in exported.values() for path in paths]
        written += write_week_report(kpis, out_dir, week=week, settings=prepared.settings)
        written += write_rejects(prepared.inputs.rejects, folder)
    with timed(seconds, "maps"):
        written += write_week_maps(
            result.plan,
            prepared,
            week_dir(maps_dir, week),
            legs=result.legs,
            offline=offline,
            progress=progress,
        )
    return BuildOutcome(
        prepared=prepared,
        result=result,
        written=written,
        folder=folder,
        kpis=kpis,
        seconds=seconds,
    )


@dataclass
class ReportOutcome:
    """The KPI tables of one week and the files they were written to."""

    tables: dict[str, pd.DataFrame]
    written: list[Path]


def week_kpis(
    prepared: Prepared,
    plan: WeekPlan,
    store: PlanStore,
    *,
    calendar: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """KPI tables of ``plan``, cycle to date.

    Compliance compares what was due with what was planned or done in the weeks known so far:
    the weeks built (stored plans), the weeks of the visit log, and this one. Weeks never
    built nor logged are left out rather than counted as missed.

    Parameters
    ----------
    prepared
        Loaded inputs.
    plan
        The week's plan.
    store
        The plan store: calendar (what was due), earlier week plans and the visit log.
    calendar
        The cycle calendar when the caller has it (the build does), else read from the store.

    Returns
    -------
    dict of str to pandas.DataFrame
        See :func:`routeplan.kpis.report.kpi_tables`.
    """
    if calendar is None:
        calendar = cycle_calendar(prepared, store)
    log = store.visit_log()
    weeks = [w for w in store.saved_weeks() if w < plan.week]
    known = {*weeks, *log["week"].dropna().astype(int), plan.week}
    due = calendar[calendar["week"].isin([w for w in known if w <= plan.week])]
    earlier = [stored.routes for w in weeks if (stored := store.load_week_plan(w)) is not None]
    planned = pd.concat([*earlier, plan.routes], ignore_index=True)
    return kpi_tables(
        plan,
        settings=prepared.settings,
        reps=prepared.reps,
        due=due,
        planned=planned,
        log=log if len(log) else None,
        clients=prepared.clients,
    )


def run_report(source: DataSource, week: int, *, out_dir: Path) -> ReportOutcome:
    """KPIs of a week already built: tables, CSVs and the HTML report in ``out_dir/week-NN``.

    Parameters
    ----------
    source
        Inputs, settings file and plan store.
    week
        A week built before with ``routeplan build``.
    out_dir
        Output root (as for the build).

    Returns
    -------
    ReportOutcome
        The tables and the files written.

    Raises
    ------
    RouteplanError
        When the week is outside the cycle or has not been built.
    """
    with PlanStore(source.store_file) as store:
        prepared = prepare(
            source.data_dir,
            config_path=source.config_path,
            skip_invalid=source.skip_invalid,
            previous_tiers=store.load_tiers(),
        )
        prepared.settings.cycle.check_week(week)
        plan = store.load_week_plan(week)
        if plan is None:
            built = store.saved_weeks()
            raise RouteplanError(
                f"week {week} has not been built yet (built: {built or 'none'})",
                hint=f"run: routeplan build --week {week}",
            )
        tables = week_kpis(prepared, plan, store)
    written = write_week_report(tables, out_dir, week=week, settings=prepared.settings)
    return ReportOutcome(tables=tables, written=written)
