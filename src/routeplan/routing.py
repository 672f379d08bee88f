"""OR-Tools model for one rep-week: arrays and dataclasses in, dataclasses out.

The problem knows nothing about files, maps or geopandas: locations are rows of a travel
matrix, times are seconds since midnight, days are indices into ``RepWeekProblem.days``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

TIER_PENALTY_S: dict[str, int] = {"AAA": 10_000_000, "AA": 1_000_000, "A": 100_000, "B": 10_000}
"""Default cost of dropping one visit, in objective units (seconds of driving), by tier."""


@dataclass(frozen=True)
class Day:
    """One workday of the rep: one OR-Tools vehicle.

    ``start_node``/``end_node`` are rows of the travel matrix (the rep's home or office).
    """

    weekday: int
    start_node: int
    end_node: int
    start_s: int
    end_s: int
    lunch_start_s: int | None = None
    lunch_s: int = 0
    max_visits: int = 12
    overtime_max_s: int = 0


@dataclass(frozen=True)
class Visit:
    """One visit to schedule this week.

    ``allowed_days`` are indices into ``RepWeekProblem.days``. ``windows`` are opening
    intervals in seconds since midnight (one or two a day). Visits with the same ``client_id``
    are put on different days at least ``min_gap_days`` apart (in weekdays).
    """

    visit_id: str
    client_id: str
    node: int
    service_s: int
    tier: str
    allowed_days: tuple[int, ...]
    windows: tuple[tuple[int, int], ...] = ()
    min_gap_days: int = 1
    penalty: int | None = None
    locked_day: int | None = None
    locked_seq: int | None = None


@dataclass
class RepWeekProblem:
    """One rep's week: travel matrices over locations, the workdays and the visits."""

    duration_s: np.ndarray
    distance_m: np.ndarray
    days: list[Day]
    visits: list[Visit]
    rep_id: str = ""
    day_balance_weight: int = 0

    def __post_init__(self) -> None:
        n = self.duration_s.shape[0]
        if self.duration_s.shape != (n, n) or self.distance_m.shape != (n, n):
            msg = "duration_s and distance_m must be square and of the same shape."
            raise ValueError(msg)
        for visit in self.visits:
            if not 0 <= visit.node < n:
                msg = f"visit {visit.visit_id} refers to node {visit.node} outside the matrix."
                raise ValueError(msg)
            if any(not 0 <= d < len(self.days) for d in visit.allowed_days):
                msg = f"visit {visit.visit_id} allows a day outside 0..{len(self.days) - 1}."
                raise ValueError(msg)


@dataclass(frozen=True)
class Stop:
    """A visit as planned: times in seconds since midnight, leg from the previous stop."""

    visit_id: str
    client_id: str
    node: int
    seq: int
    arrive_s: int
    start_s: int
    depart_s: int
    travel_s: int
    distance_m: int

    @property
    def wait_s(self) -> int:
        """Seconds waited between arrival and the start of service."""
        return self.start_s - self.arrive_s


@dataclass
class DayRoute:
    """One day's route: stops in order, plus the drive home."""

    day: int
    stops: list[Stop]
    start_s: int
    end_s: int
    travel_s: int
    distance_m: int
    lunch_start_s: int | None = None


@dataclass(frozen=True)
class Dropped:
    """A visit that could not be planned, with the reason (never silent)."""

    visit_id: str
    client_id: str
    tier: str
    reason: str


@dataclass
class RepWeekSolution:
    """The routes of one rep-week."""

    routes: list[DayRoute]
    dropped: list[Dropped]
    status: str
    objective: int
    runtime_s: float
    rep_id: str = ""
    stats: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.runtime_s < 0:
            msg = "Negative runtime not understood."
            raise ValueError(msg)

    @property
    def travel_s(self) -> int:
        """Total driving seconds of the week."""
        return sum(r.travel_s for r in self.routes)

    @property
    def distance_m(self) -> int:
        """Total driving metres of the week."""
        return sum(r.distance_m for r in self.routes)
