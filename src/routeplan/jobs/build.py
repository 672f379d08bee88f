"""The whole ``build --week N`` job as one library call, timed stage by stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from routeplan.calendar.servable import UNSERVABLE_COLUMNS
from routeplan.errors import RouteplanError
from routeplan.i18n import _
from routeplan.io.atomic import crash_point
from routeplan.io.exports import write_week_files, write_week_manifest
from routeplan.io.week_folder import MAPS_MANIFEST, week_manifest, write_manifest
from routeplan.io.week_unit import WeekUnit, begin_week_unit
from routeplan.io.writers import write_csv, write_rejects
from routeplan.jobs.geocode import geocode_if_configured
from routeplan.jobs.setup import write_setup_warnings
from routeplan.jobs.week_maps import write_week_maps
from routeplan.kpis.report import (
    kpi_tables,
    report_path,
    write_kpi_csvs,
    write_report_html,
    write_week_report,
)
from routeplan.model.plan import WeekPlan
from routeplan.planning.prepare import DataSource, Prepared, Progress, prepare
from routeplan.planning.store import PlanStore
from routeplan.planning.store_lock import store_writer
from routeplan.planning.week import BuildResult, build_week, cycle_calendar, unservable_of
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
    """Load, plan ``week`` and write its tables and maps, as one writer of the store.

    The store is locked for the whole build (:func:`~routeplan.planning.store_lock.store_writer`).
    Exports and maps are written into one new version of the week and put in place together
    by one atomic switch (:mod:`routeplan.io.week_unit`); only then is the week saved in the
    store. A build killed at any point leaves the old week or the new one, never a mix.

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
    geocode_if_configured(source)
    with store_writer(source.store_file), PlanStore(source.store_file) as store:
        prepared = prepare(
            source.data_dir,
            config_path=source.config_path,
            skip_invalid=source.skip_invalid,
            previous_tiers=store.load_tiers(),
        )
        result = build_week(
            prepared, week, store=store, workers=workers, scheduler=scheduler, progress=progress
        )
        seconds = {**prepared.seconds, **result.seconds}
        with timed(seconds, "kpis"):
            kpis = week_kpis(prepared, result.plan, store, calendar=result.calendar)
        staged = _stage_week(
            prepared,
            result,
            (kpis, store.visit_log()),
            out_dir=out_dir,
            maps_dir=maps_dir,
            seconds=seconds,
            offline=offline,
            progress=progress,
        )
        written = staged.commit()
        crash_point("outputs-in-place")
        store.save_tiers(prepared.clients)
        store.save_week_plan(result.plan)
    return BuildOutcome(
        prepared=prepared,
        result=result,
        written=written,
        folder=staged.exports,
        kpis=kpis,
        seconds=seconds,
    )


def _stage_week(
    prepared: Prepared,
    result: BuildResult,
    tables: tuple[dict[str, pd.DataFrame], pd.DataFrame],
    *,
    out_dir: Path,
    maps_dir: Path,
    seconds: dict[str, float],
    offline: bool,
    progress: Progress | None,
) -> StagedWeek:
    """Write the week's exports, KPI files, rejects and maps into one staged unit.

    ``tables`` are the KPI tables and the store's visit log (the maps' last visits).
    """
    kpis, visit_log = tables
    plan, settings = result.plan, prepared.settings
    unit = begin_week_unit(out_dir, maps_dir, plan.week, settings=settings)
    assert unit.maps_staging is not None
    staged = StagedWeek(unit, [])
    try:
        with timed(seconds, "exports"):
            staged.files += _stage_exports(prepared, result, kpis, unit.exports_staging)
        crash_point("exports-staged")
        with timed(seconds, "maps"):
            maps_files = write_week_maps(
                plan,
                prepared,
                unit.maps_staging,
                legs=result.legs,
                offline=offline,
                progress=progress,
                calendar=result.calendar,
                visit_log=visit_log,
            )
            maps_files.append(
                write_manifest(
                    unit.maps_staging,
                    week_manifest(plan.week, settings),
                    maps_files,
                    name=MAPS_MANIFEST,
                )
            )
            staged.files += maps_files
        crash_point("maps-staged")
    except BaseException:
        unit.discard()
        raise
    return staged


@dataclass
class StagedWeek:
    """A week's exports and maps, written into one staged unit (:mod:`routeplan.io.week_unit`)."""

    unit: WeekUnit
    files: list[Path]

    @property
    def exports(self) -> Path:
        """The week's exports folder (``out/week-NN``)."""
        return self.unit.exports

    def commit(self) -> list[Path]:
        """Put the exports and maps in place as one unit; the files' documented paths."""
        self.unit.commit()
        return [self.unit.placed(path) for path in self.files]


def _stage_exports(
    prepared: Prepared, result: BuildResult, kpis: dict[str, pd.DataFrame], folder: Path
) -> list[Path]:
    """Exports, KPI CSVs, the report and rejects into ``folder``; the manifest last."""
    plan, settings = result.plan, prepared.settings
    route_lines = {key: [p for leg in lines for p in leg] for key, lines in result.legs.items()}
    exported = write_week_files(
        plan, folder, settings=settings, reps=prepared.reps, legs=route_lines
    )
    files = [path for paths in exported.values() for path in paths]
    files += write_kpi_csvs(kpis, folder, week=plan.week)
    files.append(write_report_html(kpis, report_path(folder, plan.week), week=plan.week))
    files += write_rejects(prepared.inputs.rejects, folder)
    files += write_setup_warnings(prepared.setup, folder)
    if result.unservable is not None and len(result.unservable):
        files.append(
            write_csv(result.unservable, folder / "unservable.csv", columns=UNSERVABLE_COLUMNS)
        )
    files.append(write_week_manifest(plan, folder, files, settings=settings))
    return files


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
    unservable = unservable_of(prepared)
    due = due[~due["client_id"].isin(set(unservable["client_id"]))]
    earlier = [stored.routes for w in weeks if (stored := store.load_week_plan(w)) is not None]
    planned = pd.concat([*earlier, plan.routes], ignore_index=True)
    tables = kpi_tables(
        plan,
        settings=prepared.settings,
        reps=prepared.reps,
        due=due,
        planned=planned,
        log=log if len(log) else None,
        clients=prepared.clients,
    )
    if len(unservable):
        tables["unservable"] = unservable.reset_index(drop=True)
    return tables


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
                _(
                    "week {week} has not been built yet (built: {built})",
                    week=week,
                    built=", ".join(map(str, built)) if built else _("none"),
                ),
                hint=_("run: routeplan build --week {week}", week=week),
            )
        tables = week_kpis(prepared, plan, store)
    written = write_week_report(tables, out_dir, week=week, settings=prepared.settings)
    return ReportOutcome(tables=tables, written=written)
