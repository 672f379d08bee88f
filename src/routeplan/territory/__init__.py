"""Territories: zone assignment, the workload model, rebalancing.

Territories: zone assignment by location, the weekly workload model, and zone rebalancing.
"""

from routeplan.territory.assignment import assign_zones
from routeplan.territory.balance import BalanceOptions, BalanceResult, balance_zones
from routeplan.territory.workload import client_workload

__all__ = ["BalanceOptions", "BalanceResult", "assign_zones", "balance_zones", "client_workload"]
