"""Planning a week, from prepared inputs to the stored plan.

Planning a week: prepared inputs, rep-week problems, the week plan, the executor that runs
rep-weeks, and the SQLite plan store. The public names are imported on first use, so a light
submodule (``routeplan.planning.source``, which the command line needs at every start) loads
without geopandas and OR-Tools.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from routeplan.lazy import lazy_getattr

if TYPE_CHECKING:
    from routeplan.planning.prepare import Prepared, prepare, prepare_source
    from routeplan.planning.source import DataSource
    from routeplan.planning.store import PlanStore
    from routeplan.planning.week import BuildResult, build_week, due_visits, rep_week_problems

_LAZY = {
    "BuildResult": "routeplan.planning.week",
    "DataSource": "routeplan.planning.source",
    "PlanStore": "routeplan.planning.store",
    "Prepared": "routeplan.planning.prepare",
    "build_week": "routeplan.planning.week",
    "due_visits": "routeplan.planning.week",
    "prepare": "routeplan.planning.prepare",
    "prepare_source": "routeplan.planning.prepare",
    "rep_week_problems": "routeplan.planning.week",
}

__all__ = [
    "BuildResult",
    "DataSource",
    "PlanStore",
    "Prepared",
    "build_week",
    "due_visits",
    "prepare",
    "prepare_source",
    "rep_week_problems",
]


__getattr__ = lazy_getattr(__name__, _LAZY, globals())
