"""Read Solomon VRPTW instances (VRPLIB-style sections) into the routeplan problem model.

Distances are real Euclidean distances; the solvers get them scaled by :data:`SCALE` and
rounded up (so integer-feasible routes are feasible in real numbers too), and routes are
measured back in double precision.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from routeplan.routing import Day, RepWeekProblem, Visit

SCALE = 1000
"""Integer units per Solomon distance/time unit."""

FLEET = 25
"""Vehicles available to both engines on a 100-customer instance (free: no fixed cost)."""


@dataclass(frozen=True)
class SolomonInstance:
    """One instance; index 0 is the depot."""

    name: str
    xy: np.ndarray
    demand: np.ndarray
    ready: np.ndarray
    due: np.ndarray
    service: np.ndarray
    capacity: int
    vehicles: int = 0
    """The file's ``VEHICLES`` (0 when absent)."""

    @property
    def distance(self) -> np.ndarray:
        """Real Euclidean distance matrix."""
        diff = self.xy[:, None, :] - self.xy[None, :, :]
        return np.sqrt((diff**2).sum(axis=2))

    def scaled_matrix(self) -> np.ndarray:
        """Distances × :data:`SCALE`, rounded up to integers (used as time and cost)."""
        return np.ceil(self.distance * SCALE - 1e-9).astype(np.int64)


def fleet_for(instance: SolomonInstance) -> int:
    """Vehicles both engines get: :data:`FLEET` on a Solomon instance (100 customers); on a
    larger one 25 per 100 customers (Gehring & Homberger's 50 at 200, 100 at 400) but at most
    twice the file's ``VEHICLES`` (the best-known route count), so that the model does not
    carry dozens of empty routes."""
    clients = len(instance.xy) - 1
    if clients <= 100:
        return FLEET
    fleet = FLEET * clients // 100
    return min(fleet, 2 * instance.vehicles) if instance.vehicles else fleet


def read_solomon(path: Path) -> SolomonInstance:
    """Read one ``.vrptw`` file.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    SolomonInstance
        Coordinates, demands, windows and service times; depot first.
    """
    header: dict[str, str] = {}
    sections: dict[str, list[list[str]]] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            current = line
            sections[current] = []
        elif ":" in line and current is None:
            key, value = line.split(":", 1)
            header[key.strip()] = value.strip()
        elif current is not None:
            sections[current].append(line.split())
    coords = np.array([[float(r[1]), float(r[2])] for r in sections["NODE_COORD_SECTION"]])
    demand = np.array([int(r[1]) for r in sections["DEMAND_SECTION"]])
    tw = np.array([[int(r[1]), int(r[2])] for r in sections["TIME_WINDOW_SECTION"]])
    service = np.full(len(coords), int(header.get("SERVICE_TIME", "0")))
    service[0] = 0
    return SolomonInstance(
        name=header.get("NAME", path.stem),
        xy=coords,
        demand=demand,
        ready=tw[:, 0],
        due=tw[:, 1],
        service=service,
        capacity=int(header["CAPACITY"]),
        vehicles=int(header.get("VEHICLES", "0")),
    )


def to_problem(instance: SolomonInstance, *, vehicles: int | None = None) -> RepWeekProblem:
    """The instance as a routeplan problem: vehicles as days, no drops allowed.

    Parameters
    ----------
    instance
        The Solomon instance.
    vehicles
        Number of vehicles ("days"), all at the depot with its window and the capacity
        (default :func:`fleet_for` the number of customers).

    Returns
    -------
    RepWeekProblem
        Windows constrain the start of service (``due + service`` is the window close, since
        the model asks the service to end in the window).
    """
    if vehicles is None:
        vehicles = fleet_for(instance)
    matrix = instance.scaled_matrix()
    days = [
        Day(
            weekday=0,
            start_node=0,
            end_node=0,
            start_s=int(instance.ready[0]) * SCALE,
            end_s=int(instance.due[0]) * SCALE,
            max_visits=len(instance.xy),
            capacity=instance.capacity,
        )
        for _ in range(vehicles)
    ]
    visits = [
        Visit(
            visit_id=str(i),
            client_id=str(i),
            node=i,
            service_s=int(instance.service[i]) * SCALE,
            tier="A",
            allowed_days=tuple(range(vehicles)),
            windows=(
                (
                    int(instance.ready[i]) * SCALE,
                    (int(instance.due[i]) + int(instance.service[i])) * SCALE,
                ),
            ),
            demand=int(instance.demand[i]),
        )
        for i in range(1, len(instance.xy))
    ]
    return RepWeekProblem(
        duration_s=matrix, distance_m=matrix, days=days, visits=visits, allow_drops=False
    )


def route_cost(instance: SolomonInstance, routes: list[list[int]]) -> float:
    """Real (double precision) length of ``routes`` (client indices, depot left out)."""
    dist = instance.distance
    total = 0.0
    for route in routes:
        path = [0, *route, 0]
        total += sum(dist[a, b] for a, b in itertools.pairwise(path))
    return total


def check_routes(instance: SolomonInstance, routes: list[list[int]]) -> list[str]:
    """Problems of ``routes`` in real numbers: missed or repeated clients, windows, capacity."""
    problems: list[str] = []
    seen = sorted(c for r in routes for c in r)
    if seen != list(range(1, len(instance.xy))):
        problems.append("not every client visited exactly once")
    dist = instance.distance
    for k, route in enumerate(routes):
        if sum(int(instance.demand[c]) for c in route) > instance.capacity:
            problems.append(f"route {k} over capacity")
        t, prev = float(instance.ready[0]), 0
        for c in route:
            t = max(t + dist[prev, c], float(instance.ready[c]))
            if t > instance.due[c] + 1e-6:
                problems.append(f"route {k} late at client {c}")
            t += float(instance.service[c])
            prev = c
        if t + dist[prev, 0] > instance.due[0] + 1e-6:
            problems.append(f"route {k} back late")
    return problems


def bks(path: Path) -> dict[str, tuple[float, int]]:
    """Best-known (distance, vehicles) by instance name from ``bks.csv`` (empty if none)."""
    out: dict[str, tuple[float, int]] = {}
    if not path.exists():
        return out
    for line in path.read_text().splitlines()[1:]:
        name, distance, vehicles = line.split(",")
        out[name] = (float(distance), int(vehicles))
    return out
