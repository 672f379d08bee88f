"""Planning a week, from prepared inputs to the stored plan.

Planning a week: prepared inputs, rep-week problems, the week plan, the executor that runs
rep-weeks, and the SQLite plan store.
"""

from routeplan.planning.prepare import DataSource, Prepared, prepare, prepare_source
from routeplan.planning.store import PlanStore
from routeplan.planning.week import BuildResult, build_week, due_visits, rep_week_problems

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
