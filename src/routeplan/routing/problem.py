"""The rep-week problem and its solution: arrays and dataclasses, no solver objects.

The problem knows nothing about files, maps or geopandas: locations are rows of a travel
matrix, times are seconds since midnight, days are indices into ``RepWeekProblem.days``.
Reasons for dropped visits are stable codes (:data:`REASONS`); callers word them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

DEFAULT_DROP_PENALTY = 10_000
"""Cost of dropping a visit when the caller gives none, in objective units (drive seconds)."""


@dataclass(frozen=True)
class Day:
    """One workday of the rep: one OR-Tools vehicle.

    ``start_node``/``end_node`` are rows of the travel matrix (the rep's home or office; they
    may differ). The rep leaves at or after ``start_s`` and is back by ``end_s``; up to
    ``overtime_max_s`` more is allowed at a cost per second. When ``lunch_start_s`` is set and
    ``lunch_s > 0``, a break of ``lunch_s`` seconds starts within ``lunch_window_s`` of
    ``lunch_start_s`` (default ±60 min), never during a visit. ``capacity`` bounds the summed
    ``Visit.demand`` of the day (None: no bound). ``max_stretch_s`` > 0 forbids any stretch
    of the route (from leaving home to coming back) longer than that without the lunch break
    (the time before leaving and after coming back counts as a break). Day shape, soft:
    each second of service below ``min_work_s`` or above ``max_work_s`` (when set) costs
    ``shape_cost_per_s`` objective units, so work moves from full days to light ones; using
    the day at all costs ``used_cost`` (leave whole days free). Each second the rep waits
    (arrived before a visit may start; the lunch break taken between leaving and coming back
    counts too) costs ``wait_cost_per_s``; the rep then leaves home no later than the
    earliest lunch start (see :func:`routeplan.routing.model.latest_leave`).
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
    lunch_window_s: int = 3600
    capacity: int | None = None
    max_stretch_s: int = 0
    min_work_s: int = 0
    max_work_s: int | None = None
    shape_cost_per_s: int = 0
    used_cost: int = 0
    wait_cost_per_s: int = 0


@dataclass(frozen=True)
class Visit:
    """One visit to schedule this week.

    ``allowed_days`` are indices into ``RepWeekProblem.days``. ``windows`` are opening
    intervals in seconds since midnight (one or two a day). Visits with the same ``client_id``
    are put on different days at least ``min_gap_days`` apart (in weekdays). Service starts
    and ends inside one window; no windows means open all day. ``penalty`` is the objective
    cost of dropping the visit (the solver knows no tier names: callers derive it from their
    tier order, see :func:`routeplan.planning.problems.drop_penalty`). ``locked_day`` (an index
    into the days) pins the visit to
    that day whatever ``allowed_days`` says, and it is dropped only if it cannot fit at all;
    ``locked_seq`` (1-based) fixes its order among the locked visits of that day (other visits
    may still go between them). ``preferred_day`` (an index into the days, e.g. the day of the
    client's area) costs ``RepWeekProblem.off_day_cost`` when the visit goes on another day.
    ``off_day_cost`` (when set) replaces the problem's cost for this visit (e.g. higher for
    a weekly client that keeps its weekday).
    ``slot_s`` (the client's regular time) costs :data:`~routeplan.routing.model.SLOT_COST_PER_S`
    per second the service starts outside ``slot_s ± slot_tolerance_s``.
    """

    visit_id: str
    client_id: str
    node: int
    service_s: int
    tier: str
    allowed_days: tuple[int, ...]
    windows: tuple[tuple[int, int], ...] = ()
    min_gap_days: int = 1
    penalty: int = DEFAULT_DROP_PENALTY
    locked_day: int | None = None
    locked_seq: int | None = None
    demand: int = 0
    preferred_day: int | None = None
    off_day_cost: int | None = None
    slot_s: int | None = None
    slot_tolerance_s: int = 3600


@dataclass
class RepWeekProblem:
    """One rep's week: travel matrices over locations, the workdays and the visits.

    ``duration_s`` (drive seconds, the objective) and ``distance_m`` are square integer
    matrices over locations. ``day_balance_weight`` > 0 adds that many objective units per
    second of the spread between the earliest start and the latest return over the week
    (evens out day lengths). ``allow_drops=False`` makes every visit mandatory (benchmarks).
    ``off_day_cost`` is the objective cost of a visit planned off its ``preferred_day``.
    """

    duration_s: np.ndarray
    distance_m: np.ndarray
    days: list[Day]
    visits: list[Visit]
    rep_id: str = ""
    day_balance_weight: int = 0
    allow_drops: bool = True
    off_day_cost: int = 0

    def __post_init__(self) -> None:
        n = self.duration_s.shape[0]
        if self.duration_s.shape != (n, n) or self.distance_m.shape != (n, n):
            msg = "duration_s and distance_m must be square and of the same shape."
            raise ValueError(msg)
        for visit in self.visits:
            if not 0 <= visit.node < n:
                msg = f"visit {visit.visit_id} refers to node {visit.node} outside the matrix."
                raise ValueError(msg)
            days = (
                *visit.allowed_days,
                *([visit.locked_day] if visit.locked_day is not None else []),
            )
            if any(not 0 <= d < len(self.days) for d in days):
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
        """Seconds waited between arrival and the start of service (lunch included)."""
        return self.start_s - self.arrive_s

    @property
    def service_s(self) -> int:
        """Seconds of service at the stop."""
        return self.depart_s - self.start_s


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

    @property
    def lunch_in_day(self) -> bool:
        """Whether the lunch break falls between leaving home and coming back."""
        return self.lunch_start_s is not None and self.start_s <= self.lunch_start_s < self.end_s


@dataclass(frozen=True)
class Dropped:
    """A visit that could not be planned, with the reason code (never silent).

    ``reason`` is one of :data:`REASONS`; callers word it for people.
    """

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


REASON_NO_DAY = "no_workday"
"""Dropped: the visit allows no day the rep works this week."""
REASON_HOURS = "closed_all_days"
"""Dropped: the client is closed (outside opening hours) on every allowed day."""
REASON_SPACING = "spacing"
"""Dropped: the client's other visits take the allowed days (minimum spacing)."""
REASON_CAPACITY = "week_full"
"""Dropped: the week is full (working-time capacity)."""
REASON_LOAD = "vehicle_load"
"""Dropped: the vehicle's load capacity is used up."""
REASON_TIME = "no_time_left"
"""Dropped: no time left in the allowed days' time windows."""
REASON_NO_SOLUTION = "no_solution"
"""Dropped: no feasible plan was found within the time limit."""

REASONS: tuple[str, ...] = (
    REASON_NO_DAY,
    REASON_HOURS,
    REASON_SPACING,
    REASON_CAPACITY,
    REASON_LOAD,
    REASON_TIME,
    REASON_NO_SOLUTION,
)
"""Every ``Dropped.reason`` code the solver returns; stable, English, for machines."""
