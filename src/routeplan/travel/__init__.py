"""Travel matrices, the travel-per-visit estimate and the road check.

Travel: matrices between points (haversine × circuity or an OpenStreetMap road graph), the
travel-per-visit estimate, and the road check.
"""

from routeplan.travel.estimate import travel_min_per_visit
from routeplan.travel.haversine import (
    HaversineProvider,
    MatrixProvider,
    TravelMatrices,
    haversine_m,
)

__all__ = [
    "HaversineProvider",
    "MatrixProvider",
    "TravelMatrices",
    "haversine_m",
    "travel_min_per_visit",
]
