"""Plain contracts shared by every layer, no I/O.

Plain contracts shared by every layer, no I/O: the week plan and its columns, a rep's resolved
working day.
"""

from routeplan.model.plan import DAY_COLUMNS, DROPPED_COLUMNS, ROUTE_COLUMNS, WeekPlan
from routeplan.model.repday import RepDay, rep_day

__all__ = ["DAY_COLUMNS", "DROPPED_COLUMNS", "ROUTE_COLUMNS", "RepDay", "WeekPlan", "rep_day"]
