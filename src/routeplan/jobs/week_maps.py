"""Write the week's HTML maps: one per rep and the managers' overview."""

from __future__ import annotations

from pathlib import Path

from routeplan.io.filenames import file_stem, inside
from routeplan.io.writers import ensure_dir
from routeplan.maps.rep_map import managers_map, rep_week_map, save_map
from routeplan.model.plan import WeekPlan
from routeplan.planning.prepare import Prepared, Progress


def write_week_maps(
    plan: WeekPlan,
    prepared: Prepared,
    folder: Path,
    *,
    legs: dict[tuple[str, str], list[list[tuple[float, float]]]] | None = None,
    offline: bool = False,
    progress: Progress | None = None,
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

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    ensure_dir(folder)
    rep_ids = sorted(plan.days["rep_id"].unique())
    written = []
    for done, rep_id in enumerate(rep_ids, start=1):
        m = rep_week_map(
            plan,
            rep_id,
            reps=prepared.reps,
            zones=prepared.zones,
            legs=legs,
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
    )
    written.append(save_map(m, folder / "index.html", offline=offline))
    if progress:
        progress("maps", len(rep_ids) + 1, len(rep_ids) + 1)
    return written
