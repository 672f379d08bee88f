"""Tiering of accounts, with a reason for every tier.

Tiering of accounts: share (Pareto) or volume × margin rules, potential, overrides, hysteresis,
a reason for every tier, and the summary per tier.
"""

from routeplan.tiers.rules import Tiering, assign_tiers, tier_clients, tier_diff
from routeplan.tiers.summary import tier_summary

__all__ = ["Tiering", "assign_tiers", "tier_clients", "tier_diff", "tier_summary"]
