"""The managers' zones map of a week: each zone's outline and how far its reps have got.

A zone's progress is the share of the week's planned visits of its reps that the visit log
has as done (from the field or a CRM import). The outlines are the zones file's, in
longitude/latitude and simplified to about 10 m, so the map of a country's zones stays a small
JSON document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from routeplan.planning.store import PlanStore

if TYPE_CHECKING:
    from routeplan.serve.state import FieldState

PROGRESS_COLOURS: tuple[tuple[float, str], ...] = (
    (20.0, "#d73027"),
    (40.0, "#fc8d59"),
    (60.0, "#fee08b"),
    (80.0, "#91cf60"),
    (100.0, "#1a9850"),
)
"""Fill colour of a zone by its progress: the first step whose upper bound (%) it reaches."""
NO_PLAN_COLOUR = "#bdbdbd"
"""Fill of a zone with no visit planned this week."""


def progress_colour(pct: float | None) -> str:
    """The fill colour of a zone whose progress is ``pct`` % (None: nothing planned)."""
    if pct is None:
        return NO_PLAN_COLOUR
    for upper, colour in PROGRESS_COLOURS:
        if pct < upper:
            return colour
    return PROGRESS_COLOURS[-1][1]


def _logged(store: PlanStore, week: int) -> list[tuple]:
    """(rep_id, status, clients) of the week's visit log, a client counted once per status."""
    return store.query(
        "SELECT rep_id, status, count(DISTINCT client_id) FROM visit_log WHERE week = ? "
        "GROUP BY rep_id, status",
        (week,),
    )


def zone_progress(state: FieldState, week: int, rep_ids: list[str]) -> dict[str, Any]:
    """The week's zones of these reps as a GeoJSON FeatureCollection with their progress.

    Parameters
    ----------
    state
        The running app.
    week
        A cycle week.
    rep_ids
        The reps the asking manager may see; only their zones are returned.

    Returns
    -------
    dict
        A FeatureCollection; each feature's properties: ``zone``, ``reps``, ``planned``,
        ``done``, ``missed``, ``progress_pct`` (None when nothing is planned) and ``colour``.

    """
    plan = state.plan(week)
    routes = plan.routes if plan is not None else None
    counts: dict[str, dict[str, int]] = {}
    for rep_id in rep_ids:
        zone = state.rep_zone(rep_id)
        if zone is None:
            continue
        row = counts.setdefault(zone, {"reps": 0, "planned": 0, "done": 0, "missed": 0})
        row["reps"] += 1
        if routes is not None and not routes.empty:
            row["planned"] += int((routes["rep_id"] == rep_id).sum())
    zone_of = {rep_id: state.rep_zone(rep_id) for rep_id in rep_ids}
    for rep_id, status, n in state.locked(lambda store: _logged(store, week)):
        zone = zone_of.get(str(rep_id))
        if zone is not None and status in ("done", "missed"):
            counts[zone][str(status)] += int(n)
    outlines = state.zone_outlines()
    features = []
    for zone, row in counts.items():
        if zone not in outlines:
            continue
        pct = min(100.0, 100.0 * row["done"] / row["planned"]) if row["planned"] else None
        properties = {"zone": zone, **row, "progress_pct": None if pct is None else round(pct, 1)}
        properties["colour"] = progress_colour(pct)
        features.append({"type": "Feature", "geometry": outlines[zone], "properties": properties})
    return {"type": "FeatureCollection", "week": week, "features": features}


def progress_legend(no_plan_label: str) -> list[dict[str, str]]:
    """Rows of the map's legend: ``{"colour", "label"}``, lowest progress first."""
    rows = []
    lower = 0.0
    for upper, colour in PROGRESS_COLOURS:
        rows.append({"colour": colour, "label": f"{lower:.0f}–{upper:.0f} %"})
        lower = upper
    rows.append({"colour": NO_PLAN_COLOUR, "label": no_plan_label})
    return rows
