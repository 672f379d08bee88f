"""The solver core: one rep-week as arrays and dataclasses in, routes and drops out.

Build a :class:`RepWeekProblem` (travel matrices, :class:`Day` vehicles, :class:`Visit` jobs),
call :func:`solve`, read the :class:`RepWeekSolution`. Nothing here knows about files, tiers or
maps; this package imports nothing of routeplan but :mod:`routeplan.errors`.
"""

from routeplan.routing.problem import (
    DEFAULT_DROP_PENALTY,
    REASON_CAPACITY,
    REASON_HOURS,
    REASON_LOAD,
    REASON_NO_DAY,
    REASON_NO_SOLUTION,
    REASON_SPACING,
    REASON_TIME,
    REASONS,
    Day,
    DayRoute,
    Dropped,
    RepWeekProblem,
    RepWeekSolution,
    Stop,
    Visit,
)
from routeplan.routing.search import PORTFOLIO, SearchPlan, plan_for
from routeplan.routing.solve import solve

__all__ = [
    "DEFAULT_DROP_PENALTY",
    "PORTFOLIO",
    "REASONS",
    "REASON_CAPACITY",
    "REASON_HOURS",
    "REASON_LOAD",
    "REASON_NO_DAY",
    "REASON_NO_SOLUTION",
    "REASON_SPACING",
    "REASON_TIME",
    "Day",
    "DayRoute",
    "Dropped",
    "RepWeekProblem",
    "RepWeekSolution",
    "SearchPlan",
    "Stop",
    "Visit",
    "plan_for",
    "solve",
]
