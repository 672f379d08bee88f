"""Territories: zone assignment, the workload model, rebalancing.

Territories: zone assignment by location, the weekly workload model, and zone rebalancing. The
public names are imported on first use, so zone assignment (every command, the field app's
start) loads without the rebalancing model (scipy.optimize).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from routeplan.lazy import lazy_getattr

if TYPE_CHECKING:
    from routeplan.territory.assignment import assign_zones
    from routeplan.territory.balance import BalanceOptions, BalanceResult, balance_zones
    from routeplan.territory.workload import client_workload

_LAZY = {
    "assign_zones": "routeplan.territory.assignment",
    "BalanceOptions": "routeplan.territory.balance",
    "BalanceResult": "routeplan.territory.balance",
    "balance_zones": "routeplan.territory.balance",
    "client_workload": "routeplan.territory.workload",
}

__all__ = ["BalanceOptions", "BalanceResult", "assign_zones", "balance_zones", "client_workload"]


__getattr__ = lazy_getattr(__name__, _LAZY, globals())
