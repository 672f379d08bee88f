"""Retime a routed day so that the rep waits as little as the same order of visits allows.

OR-Tools fixes each visit's start time by the cumul optimiser of the time dimension, which
only minimises costs: when waiting costs nothing (``Day.wait_cost_per_s`` 0: the build and
the field app's re-plan with ``[workday] count_waiting = false``) every schedule
of the same order with the same end is as good, and the one it returns leaves home at the
start of the day and waits at the clients (demo weeks 1-3 built in order: 133.2 h
of waiting, 39.8 h after retiming, same driving and slots; the first stop of R4's Tuesday
in week 3 was reached at 08:04 and served at 13:38, now the rep leaves at 13:35). Here each
day keeps its order, its end and every visit's window, and every visit and the lunch break
move as late as their windows allow without moving a later one: the idle time goes to before
leaving home, where it is the rep's own, instead of to a client's door. No visit moves
earlier, none leaves its window or its regular slot's tolerance (a visit already past it
stays put), and a retimed day that would break the longest-stretch rule, which the original
kept, keeps its original times. A break that comes before the first stop is taken at home
when the day still keeps the rule, else on leaving.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from routeplan.routing.lunch import StartRanges
from routeplan.routing.problem import Day, DayRoute, Stop, Visit


@dataclass(frozen=True)
class _Item:
    """A stop or the lunch break on the day's timeline: its start may grow to ``latest``."""

    start: int
    latest: int
    duration: int
    leg_out: int
    """Drive from here to the next item (0 from a stop to the lunch break after it: the
    break is taken where the rep is, and the break carries the drive to the next stop)."""


def retime_day(
    route: DayRoute,
    day: Day,
    visits: list[Visit],
    ranges: Sequence[StartRanges],
    *,
    lunch_latest_s: int | None,
) -> DayRoute:
    """The same day, with the visits and the break as late as they can be.

    Parameters
    ----------
    route
        The day as routed (stops in order, leaving home at ``start_s``).
    day
        Its working day.
    visits
        The visit of each stop, in stop order.
    ranges
        The service-start ranges of each of those visits.
    lunch_latest_s
        Latest start of the day's break (the model's window), None when it has none.

    Returns
    -------
    DayRoute
        The retimed day (``route`` itself when it has no stops, when waiting is counted by
        the routing, or when retiming would break the longest-stretch rule).

    """
    if not route.stops or day.wait_cost_per_s > 0:
        return route
    items, lunch_at = _timeline(route, day, visits, ranges, lunch_latest_s)
    starts = _latest_starts(items)
    lunch = starts[lunch_at] if lunch_at is not None else route.lunch_start_s
    stop_starts = [s for k, s in enumerate(starts) if k != lunch_at]
    first_leg = route.stops[0].travel_s
    tries = [stop_starts[0] - first_leg]  # lunch, if it comes first, at home before leaving
    if lunch_at == 0:
        tries = [t for t in tries if lunch is not None and lunch + day.lunch_s <= t]
        tries.append(starts[0])  # else leave at its start: eat, then drive
    rule = max(_longest_stretch(route, day), day.max_stretch_s)
    for leave in tries:
        retimed = _with_times(route, day, stop_starts, leave, lunch)
        if day.max_stretch_s <= 0 or _longest_stretch(retimed, day) <= rule:
            return retimed
    return route


def _timeline(
    route: DayRoute,
    day: Day,
    visits: list[Visit],
    ranges: Sequence[StartRanges],
    lunch_latest_s: int | None,
) -> tuple[list[_Item], int | None]:
    """The stops and, when it falls between leaving and the last stop, the break, in order."""
    items = []
    for k, (stop, visit) in enumerate(zip(route.stops, visits, strict=True)):
        latest = _latest_start(stop.start_s, visit, ranges[k])
        leg = route.stops[k + 1].travel_s if k + 1 < len(route.stops) else 0
        items.append(_Item(stop.start_s, latest, stop.depart_s - stop.start_s, leg))
    lunch = route.lunch_start_s
    if lunch is None or lunch_latest_s is None or not route.start_s <= lunch:
        return items, None
    before = sum(1 for s in route.stops if s.depart_s <= lunch)
    if before == len(route.stops):  # after the last stop: on the way home or at home
        return items, None
    # the break is taken where the rep is, then they drive on to the next stop
    leg = route.stops[before].travel_s
    brk = _Item(lunch, max(lunch, lunch_latest_s), day.lunch_s, leg)
    if before > 0:
        items[before - 1] = dataclasses.replace(items[before - 1], leg_out=0)
    return [*items[:before], brk, *items[before:]], before


def _latest_start(start: int, visit: Visit, ranges: StartRanges) -> int:
    """Latest start of a visit now at ``start``: the end of its range, the slot's tolerance."""
    latest = next((hi for lo, hi in ranges if lo <= start <= hi), start)
    if visit.slot_s is not None:
        latest = min(latest, max(start, visit.slot_s + visit.slot_tolerance_s))
    return latest


def _latest_starts(items: list[_Item]) -> list[int]:
    """Backward pass: the last item stays; each earlier one as late as its successor allows."""
    starts = [item.start for item in items]
    for k in range(len(items) - 2, -1, -1):
        item = items[k]
        room = starts[k + 1] - item.duration - item.leg_out
        starts[k] = max(item.start, min(item.latest, room))
    return starts


def _with_times(
    route: DayRoute, day: Day, starts: list[int], leave: int, lunch: int | None
) -> DayRoute:
    """``route`` with new service starts, arrivals recomputed as the routing reports them."""
    stops: list[Stop] = []
    depart = leave
    for stop, start in zip(route.stops, starts, strict=True):
        arrive = arrival(depart, stop.travel_s, start, lunch, day.lunch_s)
        service = stop.depart_s - stop.start_s
        stops.append(
            dataclasses.replace(stop, arrive_s=arrive, start_s=start, depart_s=start + service)
        )
        depart = start + service
    return dataclasses.replace(route, stops=stops, start_s=leave, lunch_start_s=lunch)


def arrival(depart: int, leg_s: int, start: int, lunch: int | None, lunch_s: int) -> int:
    """Arrival at a stop: drive right away, unless the break falls before the start of service.

    When the break lies between the previous departure and this start, the rep eats first if
    it begins before they would arrive, then drives (the routes as extracted from OR-Tools
    and as retimed both report arrivals by this rule).
    """
    arrive = depart + leg_s
    if lunch is not None and depart <= lunch and lunch + lunch_s <= start and lunch < arrive:
        arrive = lunch + lunch_s + leg_s
    return min(arrive, start)


def _longest_stretch(route: DayRoute, day: Day) -> int:
    """Longest time between leaving, the break and coming back (the break counts as off)."""
    lunch = route.lunch_start_s
    if lunch is None or not route.start_s <= lunch < route.end_s:
        return route.end_s - route.start_s
    return max(lunch - route.start_s, route.end_s - (lunch + day.lunch_s))
