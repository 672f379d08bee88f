"""Planning a week, from prepared inputs to the stored plan.

Planning a week: prepared inputs, rep-week problems, the week plan, the executor that runs
rep-weeks, and the SQLite plan store. The public names are imported on first use, so a light
submodule (``routeplan.planning.source``, which the command line needs at every start) loads
without geopandas and OR-Tools.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    """Import a public name of the package when it is first used."""
    if name not in _LAZY:
        msg = f"module 'routeplan.planning' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
