"""routeplan: plan field-sales visits from tiers, territories and weekly OR-Tools routes.

The names below are the library's face for planners who script; everything else lives in the
subpackages (``routeplan.tiers``, ``routeplan.routing``, …). Importing ``routeplan`` loads none
of them: each name is imported on first use. Examples --------Plan one week of the bundled demo
in memory (no files written): >>> import routeplan >>> prepared =
routeplan.prepare(routeplan.DEMO_DATA) # doctest: +SKIP >>> week =
routeplan.build_week(prepared, 12, workers=1) # doctest: +SKIP >>> len(week.plan.routes) +
len(week.plan.dropped) == len(week.due) # doctest: +SKIP True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from routeplan.lazy import lazy_getattr
from routeplan.version import __version__

if TYPE_CHECKING:
    from routeplan.calendar.construction import build_calendar
    from routeplan.config import Settings, load_settings
    from routeplan.errors import ConfigError, DataWarning, InputError, RouteplanError
    from routeplan.io.exports import write_week_outputs
    from routeplan.io.readers import Inputs, load_inputs
    from routeplan.jobs.build import run_build
    from routeplan.model.plan import WeekPlan
    from routeplan.planning.prepare import DataSource, Prepared, prepare, travel_provider
    from routeplan.planning.week import BuildResult, build_week, due_visits, rep_week_problems
    from routeplan.routing import Day, RepWeekProblem, RepWeekSolution, Visit, solve
    from routeplan.tiers.rules import Tiering, tier_clients

DEMO_DATA = Path(__file__).resolve().parents[2] / "data" / "demo"
"""The bundled Helsinki demo (in a source checkout)."""

_LAZY: dict[str, str] = {
    "Settings": "routeplan.config",
    "load_settings": "routeplan.config",
    "Inputs": "routeplan.io.readers",
    "load_inputs": "routeplan.io.readers",
    "DataSource": "routeplan.planning.prepare",
    "Prepared": "routeplan.planning.prepare",
    "prepare": "routeplan.planning.prepare",
    "Tiering": "routeplan.tiers.rules",
    "tier_clients": "routeplan.tiers.rules",
    "build_calendar": "routeplan.calendar.construction",
    "due_visits": "routeplan.planning.week",
    "rep_week_problems": "routeplan.planning.week",
    "travel_provider": "routeplan.planning.prepare",
    "BuildResult": "routeplan.planning.week",
    "build_week": "routeplan.planning.week",
    "WeekPlan": "routeplan.model.plan",
    "Day": "routeplan.routing",
    "Visit": "routeplan.routing",
    "RepWeekProblem": "routeplan.routing",
    "RepWeekSolution": "routeplan.routing",
    "solve": "routeplan.routing",
    "write_week_outputs": "routeplan.io.exports",
    "run_build": "routeplan.jobs.build",
    "RouteplanError": "routeplan.errors",
    "InputError": "routeplan.errors",
    "ConfigError": "routeplan.errors",
    "DataWarning": "routeplan.errors",
}
"""Public name → the module that defines it."""

__all__ = [
    "DEMO_DATA",
    "BuildResult",
    "ConfigError",
    "DataSource",
    "DataWarning",
    "Day",
    "InputError",
    "Inputs",
    "Prepared",
    "RepWeekProblem",
    "RepWeekSolution",
    "RouteplanError",
    "Settings",
    "Tiering",
    "Visit",
    "WeekPlan",
    "__version__",
    "build_calendar",
    "build_week",
    "due_visits",
    "load_inputs",
    "load_settings",
    "prepare",
    "rep_week_problems",
    "run_build",
    "solve",
    "tier_clients",
    "travel_provider",
    "write_week_outputs",
]


__getattr__ = lazy_getattr(__name__, _LAZY, globals())


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
