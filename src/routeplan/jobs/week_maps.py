"""Write the week's HTML maps: one per rep and the managers' overview."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from routeplan.config import CycleConfig
from routeplan.errors import RouteplanError
from routeplan.i18n import format_date
from routeplan.io.filenames import file_stem, inside
from routeplan.io.writers import ensure_dir
from routeplan.kpis.measures import last_visits
from routeplan.maps.rep_map import managers_map, rep_week_map, save_map
from routeplan.maps.streets import street_lines
from routeplan.maps.today import bounds_of
from routeplan.model.plan import WeekPlan
from routeplan.planning.prepare import Prepared, Progress, travel_provider

logger = logging.getLogger(__name__)


def road_graph(prepared: Prepared) -> object | None:
    """The OSM road graph of the configured extract (``travel.mode = "osm"``), else None.

    Read from the travel cache the build filled; a graph that cannot be read only costs the
    maps their offline streets (logged), never the build.
    """
    if prepared.settings.travel.mode != "osm":
        return None
    try:
        return getattr(travel_provider(prepared), "graph", None)
    except (RouteplanError, OSError, ValueError) as exc:
        logger.warning("no streets for the offline maps: %s", exc)
        return None


def streets_around(graph: object | None, points: list[tuple[float, float]]) -> list | None:
    """Street lines of ``graph`` around ``points`` (None without a graph or points)."""
    if graph is None or not points:
        return None
    return street_lines(graph, bounds_of(points))


def with_next_due(
    clients: pd.DataFrame, calendar: pd.DataFrame | None, *, week: int, cycle: CycleConfig
) -> pd.DataFrame:
    """Clients with ``next_due``: the Monday of their next week due after ``week``, if any.

    Parameters
    ----------
    clients
        The clients table (a ``next_due`` column already there is kept).
    calendar
        The cycle calendar (``client_id``, ``week``); None leaves the clients as they are.
    week
        The week being planned.
    cycle
        The cycle settings (where each week starts).

    Returns
    -------
    pandas.DataFrame
        A copy with ``next_due`` as text (a date in the active language), empty when none.

    """
    if calendar is None or calendar.empty or "next_due" in clients.columns:
        return clients
    later = calendar.loc[calendar["week"].astype(int) > week]
    first = later.groupby(later["client_id"].astype(str))["week"].min()
    text = {client: format_date(cycle.week_start(int(w))) for client, w in first.items()}
    out = clients.copy()
    out["next_due"] = [text.get(str(c), "") for c in out["client_id"]]
    return out


def with_last_visit(clients: pd.DataFrame, log: pd.DataFrame | None) -> pd.DataFrame:
    """Clients with ``last_visit``: the date of their latest visit logged done, in the locale.

    The visit log (the plan store's, filled by ``log import`` and the field app) wins over a
    ``last_visit`` column of the clients table (a CRM's, shown as typed) for the clients it
    knows; the others keep the CRM's value.

    Parameters
    ----------
    clients
        The clients table.
    log
        The visit log (``client_id``, ``date``, ``status``); None or empty leaves the clients
        as they are.

    Returns
    -------
    pandas.DataFrame
        A copy with ``last_visit`` as text (a date in the active language), empty when none.

    """
    if log is None or log.empty:
        return clients
    done = last_visits(log)
    text = {str(client): format_date(day) for client, day in done.items()}
    before = clients["last_visit"] if "last_visit" in clients.columns else None
    out = clients.copy()
    shown = [text.get(str(c), "") for c in out["client_id"]]
    if before is not None:
        shown = [
            new or ("" if pd.isna(old) else str(old))
            for new, old in zip(shown, before, strict=True)
        ]
    out["last_visit"] = shown
    return out


def write_week_maps(
    plan: WeekPlan,
    prepared: Prepared,
    folder: Path,
    *,
    legs: dict[tuple[str, str], list[list[tuple[float, float]]]] | None = None,
    offline: bool = False,
    progress: Progress | None = None,
    calendar: pd.DataFrame | None = None,
    visit_log: pd.DataFrame | None = None,
) -> list[Path]:
    """Write ``<stem>.html`` for each rep and ``index.html`` for managers.

    ``<stem>`` is :func:`~routeplan.io.filenames.file_stem` of the rep id.

    Parameters
    ----------
    plan
        The week plan.
    prepared
        Loaded inputs (clients, reps, zones, settings).
    folder
        Where the maps go (created).
    legs
        Road geometry per (rep_id, date): one line per leg; straight lines when None.
    offline
        Inline Leaflet and plugins from local npm packages so the maps need no CDN.
    progress
        Progress callback.
    calendar
        The cycle calendar: each stop's card then shows the client's next week due.
    visit_log
        The plan store's visit log: each stop's card then shows the client's last visit done
        (see :func:`with_last_visit`).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    ensure_dir(folder)
    rep_ids = sorted(plan.days["rep_id"].unique())
    written = []
    graph = road_graph(prepared)
    cycle = prepared.settings.cycle
    clients = with_next_due(prepared.clients, calendar, week=plan.week, cycle=cycle)
    clients = with_last_visit(clients, visit_log)
    for done, rep_id in enumerate(rep_ids, start=1):
        mine = plan.routes.loc[plan.routes["rep_id"] == rep_id]
        days = plan.days.loc[plan.days["rep_id"] == rep_id]
        points = list(zip(mine["lat"], mine["lon"], strict=True))
        points += list(zip(days["home_lat"], days["home_lon"], strict=True))
        m = rep_week_map(
            plan,
            rep_id,
            reps=prepared.reps,
            zones=prepared.zones,
            legs=legs,
            clients=clients,
            streets=streets_around(graph, points),
            tier_order=prepared.settings.tier_names,
        )
        path = inside(folder, folder / f"{file_stem(rep_id)}.html")
        written.append(save_map(m, path, offline=offline))
        if progress:
            progress("maps", done, len(rep_ids) + 1)
    m = managers_map(
        plan,
        clients=prepared.clients,
        reps=prepared.reps,
        zones=prepared.zones,
        settings=prepared.settings,
        legs=legs,
        streets=streets_around(
            graph,
            list(zip(prepared.clients["lat"], prepared.clients["lon"], strict=True)),
        ),
    )
    written.append(save_map(m, folder / "index.html", offline=offline))
    if progress:
        progress("maps", len(rep_ids) + 1, len(rep_ids) + 1)
    return written
