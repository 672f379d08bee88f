"""A rep's working day, resolved once: the rep's own values where given, else ``[workday]``."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from routeplan.config import WEEKDAYS, WorkdayConfig, minutes_of
from routeplan.i18n import _


@dataclass(frozen=True)
class RepDay:
    """The working day of one rep; times in minutes since midnight.

    Every place that needs a rep's hours (routing vehicles, calendar weekdays, capacity in
    KPIs and maps, tier capacity checks) reads them from here, so a rep's ``reps.csv`` row
    and the ``[workday]`` defaults are combined by one rule.
    """

    day_start_min: int
    day_end_min: int
    lunch_start_min: int
    lunch_min: int
    workdays: tuple[int, ...]
    max_visits: int
    overtime_max_min: int

    @property
    def available_min(self) -> int:
        """Minutes of one day for driving, waiting and visits: day length minus lunch."""
        return max(self.day_end_min - self.day_start_min - self.lunch_min, 0)

    @property
    def workday_mask(self) -> int:
        """The workdays as a bitmask, bit 0 = Monday."""
        return sum(1 << d for d in self.workdays)

    @property
    def workday_names(self) -> tuple[str, ...]:
        """The workdays as names (``Mon`` … ``Sun``)."""
        return tuple(WEEKDAYS[d] for d in self.workdays)


def _given(rep: Mapping[str, object] | None, key: str) -> object | None:
    """The rep's own value of ``key``, or None when absent or empty."""
    if rep is None:
        return None
    value = rep.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _weekdays(text: str) -> tuple[int, ...]:
    names = [name[:3].title() for name in text.replace(",", " ").split()]
    unknown = [name for name in names if name not in WEEKDAYS]
    if unknown:
        msg = _(
            "unknown weekday(s) {unknown}; use {days}", unknown=unknown, days=" ".join(WEEKDAYS)
        )
        raise ValueError(msg)
    return tuple(sorted({WEEKDAYS.index(name) for name in names}))


def rep_day(rep: Mapping[str, object] | None, workday: WorkdayConfig) -> RepDay:
    """Resolve a rep's working day: its ``reps.csv`` values, else the ``[workday]`` defaults.

    Parameters
    ----------
    rep
        One row of the reps table (a mapping or a ``pandas.Series``) with optional
        ``day_start``, ``day_end``, ``lunch_start`` (HH:MM), ``lunch_min``, ``workdays``
        ("Mon Tue …") and ``max_visits_per_day``; None for the defaults alone.
    workday
        The configured default day.

    Returns
    -------
    RepDay
        The resolved day.

    Examples
    --------
    >>> from routeplan.config import WorkdayConfig
    >>> day = rep_day({"day_end": "16:00", "lunch_min": ""}, WorkdayConfig())
    >>> day.day_end_min, day.lunch_min, day.available_min, day.workday_names[-1]
    (960, 30, 450, 'Fri')

    """

    def value(key: str, default: object) -> str:
        given = _given(rep, key)
        return str(default if given is None else given)

    workdays = _given(rep, "workdays")
    return RepDay(
        day_start_min=minutes_of(value("day_start", workday.day_start)),
        day_end_min=minutes_of(value("day_end", workday.day_end)),
        lunch_start_min=minutes_of(value("lunch_start", workday.lunch_start)),
        lunch_min=int(float(value("lunch_min", workday.lunch_min))),
        workdays=_weekdays(str(workdays) if workdays is not None else " ".join(workday.workdays)),
        max_visits=int(float(value("max_visits_per_day", workday.max_visits_per_day))),
        overtime_max_min=workday.overtime_max_min,
    )
