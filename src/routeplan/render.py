"""Write the week's HTML maps: one per rep and the managers' overview."""

from __future__ import annotations

from pathlib import Path

from routeplan.io.writers import ensure_dir
from routeplan.maps import managers_map, rep_week_map, save_map
from routeplan.plan import WeekPlan
from routeplan.planner import Prepared, Progress


def write_week_maps(
    plan: WeekPlan,
    prepared: Prepared,
    folder: Path,
    *,
    offline: bool = False,
    progress: Progress | None = None,
) -> list[Path]:
    """``<rep_id>.html`` for each rep with visits and ``index.html`` for managers."""
    ensure_dir(folder)
    rep_ids = sorted(plan.days["rep_id"].unique())
    written = []
    for done, rep_id in enumerate(rep_ids, start=1):
        m = rep_week_map(plan, rep_id, reps=prepared.reps, zones=prepared.zones)
        written.append(save_map(m, folder / f"{rep_id}.html", offline=offline))
        if progress:
            progress("maps", done, len(rep_ids) + 1)
    m = managers_map(
        plan,
        clients=prepared.clients,
        reps=prepared.reps,
        zones=prepared.zones,
        settings=prepared.settings,
    )
    written.append(save_map(m, folder / "index.html", offline=offline))
    if progress:
        progress("maps", len(rep_ids) + 1, len(rep_ids) + 1)
    return written
