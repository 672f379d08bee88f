"""Where a day's lunch break may start, and whether that alone keeps the longest-stretch rule.

A day with ``max_stretch_s`` forbids any stretch of work longer than that without the break.
OR-Tools can enforce it with its break-distance rule, but with a wide lunch window (±60 min)
that rule made local cheapest insertion backtrack without end on over-full weeks: in the
synthetic world of ``benchmarks/plan_quality.py`` rep R004's week 1 (74 visits, 41.3 h of
service in five 8.5 h days) got no first solution in 200 s, so all 74 visits came back as
"no feasible plan". The rule is kept instead by the window: a lunch that starts no later than
``start_s + max_stretch_s`` and no earlier than ``latest end - lunch_s - max_stretch_s``
leaves both halves of any route of the day within the stretch (08:00–17:00, 4.5 h: lunch
starts 12:00–12:30). That week is then solved in 0.7 s; over the 72 demo rep-weeks of
weeks 1–12 the routes are the same on 67 and the sum of objectives moves +0.03 %.

The narrowed window is not used for a day where it would shut out a visit that fits the
whole window (a client open only 12:00–13:15 for a 60-minute visit): that day keeps the
settings' window and the solver's rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from routeplan.routing.problem import Day

StartRanges = Sequence[tuple[int, int]]
"""A visit's ``(earliest, latest)`` service starts (see ``routing.model.usable_windows``)."""


@dataclass(frozen=True)
class LunchWindow:
    """Earliest and latest start of a day's break; ``rule_kept``: the stretch rule holds."""

    earliest_s: int
    latest_s: int
    rule_kept: bool


def lunch_window(day: Day, visits: Sequence[tuple[StartRanges, int]]) -> LunchWindow:
    """The lunch window of ``day`` given the visits that may go on it.

    Parameters
    ----------
    day
        A day with a lunch break (``lunch_start_s`` set, ``lunch_s`` > 0).
    visits
        ``(start ranges, service seconds)`` of each visit allowed on the day.

    Returns
    -------
    LunchWindow
        The narrowed window when it exists and blocks no visit the settings' window lets in;
        otherwise the settings' window (``rule_kept`` False when the day has a stretch rule
        that window does not imply: the model then adds the solver's rule).

    """
    wide = settings_window(day)
    if day.max_stretch_s <= 0:
        return LunchWindow(*wide, rule_kept=True)
    latest_end = day.end_s + day.overtime_max_s
    narrow = (
        max(wide[0], latest_end - day.lunch_s - day.max_stretch_s),
        min(wide[1], day.start_s + day.max_stretch_s),
    )
    if narrow[0] > narrow[1] or any(
        _clear_of(ranges, service, day, wide) and not _clear_of(ranges, service, day, narrow)
        for ranges, service in visits
    ):
        return LunchWindow(*wide, rule_kept=_implied(day, wide))
    return LunchWindow(*narrow, rule_kept=True)


def settings_window(day: Day) -> tuple[int, int]:
    """``lunch_start_s ± lunch_window_s``, inside the working day."""
    lunch_at = day.lunch_start_s if day.lunch_start_s is not None else day.start_s
    latest_end = day.end_s + day.overtime_max_s
    lo = max(day.start_s, lunch_at - day.lunch_window_s)
    hi = min(latest_end - day.lunch_s, lunch_at + day.lunch_window_s)
    return lo, max(lo, hi)


def _implied(day: Day, window: tuple[int, int]) -> bool:
    """Whether every route of ``day`` with its lunch starting in ``window`` keeps the rule.

    A route leaves at ``start_s`` or later and is back by ``end_s + overtime_max_s``;
    neither the time before the break nor after it (nor a whole route that eats before
    leaving or after coming back) can then exceed ``max_stretch_s``.
    """
    latest_end = day.end_s + day.overtime_max_s
    early_enough = window[1] <= day.start_s + day.max_stretch_s
    late_enough = window[0] + day.lunch_s + day.max_stretch_s >= latest_end
    return early_enough and late_enough


def _clear_of(ranges: StartRanges, service: int, day: Day, window: tuple[int, int]) -> bool:
    """Whether a visit can be served in the day beside some lunch starting in ``window``.

    Served before a lunch that starts by ``window[1]``, or after one that starts at
    ``window[0]``; travel is not counted (a visit close to the edge keeps the wide window).
    """
    latest_end = day.end_s + day.overtime_max_s
    for lo, hi in ranges:
        first = max(lo, day.start_s)
        last = min(hi, latest_end - service)
        if first > last:
            continue
        if first + service <= window[1] or last >= window[0] + day.lunch_s:
            return True
    return False
