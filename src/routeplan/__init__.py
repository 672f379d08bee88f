"""routeplan: plan field-sales visits from tiers, territories and weekly OR-Tools routes."""

__version__ = "0.1.0"
