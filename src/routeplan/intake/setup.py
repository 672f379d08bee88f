"""Setup checks before planning: what makes a plan poor or impossible, said once with a fix.

Each check returns at most one :class:`SetupWarning` naming how many reps, zones, clients or
weeks it concerns, the fix, and the items themselves (for ``setup-warnings.csv``). None of them
stops planning; they are printed by ``validate`` and ``build``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from routeplan.config import WEEKDAYS, Settings, minutes_of
from routeplan.errors import DataWarning
from routeplan.i18n import _, ngettext
from routeplan.model.repday import rep_day
from routeplan.territory.workload import client_workload
from routeplan.travel.projection import projection_for

HOME_TOLERANCE_KM = 2.0
"""A rep's home may lie this far outside their zone before it is worth a warning."""
WORKLOAD_TOLERANCE = 0.15
"""Zones whose weekly workload is further than this from the mean are flagged."""
MIN_WORKDAYS = 3
"""Weeks of the cycle with fewer workdays than this (holidays) are flagged."""
OVERLAP_KM2 = 0.01
"""Zones overlapping by less than this (slivers from digitising) are not flagged."""


class SetupWarning(DataWarning):
    """One setup check that failed: a stable code, a message with the count, the fix, items.

    ``items`` are ``(subject, detail)`` pairs: the rep, zone, client or week and what is wrong.
    """

    def __init__(
        self, code: str, message: str, fix: str, items: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fix = fix
        self.items = list(items or [])

    def __str__(self) -> str:
        return f"{self.message} ({self.fix})"


@dataclass(frozen=True)
class SetupInputs:
    """What the checks look at: tiered clients with zones, reps, zones, settings."""

    clients: pd.DataFrame
    reps: pd.DataFrame
    zones: gpd.GeoDataFrame
    settings: Settings


def _unused(names: pd.Series, used: pd.Series) -> list[str]:
    """The ``names`` (rep ids or zones) that ``used`` never mentions, as text, in order."""
    seen = set(used)
    return [str(name) for name in names if name not in seen]


def _no_clients(code: str, names: list[str], message: str, fix: str) -> SetupWarning | None:
    """The warning that ``names`` (reps or zones) hold no client; None when there are none."""
    if not names:
        return None
    return SetupWarning(code, message, fix, [(name, _("no clients")) for name in names])


def reps_without_clients(inputs: SetupInputs) -> SetupWarning | None:
    """Reps whose zone holds no client."""
    idle = _unused(inputs.reps["rep_id"], inputs.clients["rep_id"])
    message = ngettext(
        "{count} rep has no clients: {reps}",
        "{count} reps have no clients: {reps}",
        len(idle),
        reps=", ".join(idle),
    )
    fix = _("give their zone clients, or run 'routeplan zones balance'")
    return _no_clients("rep_no_clients", idle, message, fix)


def homes_outside_zone(inputs: SetupInputs) -> SetupWarning | None:
    """Reps whose home lies more than :data:`HOME_TOLERANCE_KM` outside their zone."""
    reps, zones = inputs.reps, inputs.zones.set_index("zone")
    projection = projection_for(reps["home_lat"].to_numpy(), reps["home_lon"].to_numpy())
    items = []
    for rep in reps.itertuples():
        if rep.zone not in zones.index:
            continue
        area = projection.to_local(zones.geometry.loc[rep.zone])
        home = shapely.Point(
            projection.forward(np.array([rep.home_lon]), np.array([rep.home_lat]))[0]
        )
        distance_km = float(area.distance(home))
        if distance_km > HOME_TOLERANCE_KM:
            detail = _("home {km} km outside zone {zone}", km=f"{distance_km:.1f}", zone=rep.zone)
            items.append((str(rep.rep_id), detail))
    if not items:
        return None
    message = ngettext(
        "{count} rep lives outside their zone: {reps}",
        "{count} reps live outside their zone: {reps}",
        len(items),
        reps="; ".join(f"{r} ({d})" for r, d in items),
    )
    fix = _("check home_lat/home_lon in reps.csv (swapped or missing decimals?) and the zone")
    return SetupWarning("home_outside_zone", message, fix, items)


def unbalanced_zones(inputs: SetupInputs) -> SetupWarning | None:
    """Zones whose estimated weekly workload is further than ±15 % from the mean."""
    clients = inputs.clients
    if clients.empty:
        return None
    minutes = client_workload(clients, inputs.settings)["workload_min"]
    per_zone = minutes.groupby(clients["zone"]).sum()
    per_zone = per_zone.reindex(inputs.zones["zone"], fill_value=0.0)
    mean = float(per_zone.mean())
    if len(per_zone) < 2 or mean <= 0:
        return None
    deviation = per_zone / mean - 1.0
    off = deviation[deviation.abs() > WORKLOAD_TOLERANCE]
    if off.empty:
        return None
    items = [
        (
            str(z),
            _(
                "{hours} h/week, {dev} from the mean",
                hours=f"{per_zone[z] / 60:.1f}",
                dev=f"{d:+.0%}",
            ),
        )
        for z, d in off.items()
    ]
    message = ngettext(
        "{count} zone's weekly workload is more than 15 % from the mean: {zones}",
        "{count} zones' weekly workload is more than 15 % from the mean: {zones}",
        len(items),
        zones="; ".join(f"{z} ({d})" for z, d in items),
    )
    return SetupWarning("zone_workload", message, _("run 'routeplan zones balance'"), items)


def clients_never_open(inputs: SetupInputs) -> SetupWarning | None:
    """Clients whose opening hours leave no room for a visit within their rep's working day."""
    reps = inputs.reps.set_index("rep_id")
    items = []
    for client in inputs.clients.itertuples():
        if not client.opens or not client.closes or client.rep_id not in reps.index:
            continue
        day = rep_day(reps.loc[client.rep_id], inputs.settings.workday)
        start = max(minutes_of(client.opens), day.day_start_min)
        end = min(minutes_of(client.closes), day.day_end_min)
        if end - start < float(client.service_min):
            detail = _(
                "open {opens}-{closes}, rep {rep} works {start}-{end}",
                opens=client.opens,
                closes=client.closes,
                rep=client.rep_id,
                start=f"{day.day_start_min // 60:02d}:{day.day_start_min % 60:02d}",
                end=f"{day.day_end_min // 60:02d}:{day.day_end_min % 60:02d}",
            )
            items.append((str(client.client_id), detail))
    if not items:
        return None
    message = ngettext(
        "{count} client can never be visited: its hours do not overlap its rep's day ({first})",
        "{count} clients can never be visited: their hours do not overlap their rep's day "
        "({first})",
        len(items),
        first=f"{items[0][0]}: {items[0][1]}",
    )
    fix = _("check opens/closes in clients.csv, or the rep's day_start/day_end")
    return SetupWarning("hours_never_overlap", message, fix, items)


def short_weeks(inputs: SetupInputs) -> SetupWarning | None:
    """Weeks of the cycle that holidays cut to fewer than :data:`MIN_WORKDAYS` workdays."""
    cycle, workday = inputs.settings.cycle, inputs.settings.workday
    holidays = set(cycle.holidays)
    working = [i for i, name in enumerate(WEEKDAYS) if name in workday.workdays]
    items = []
    for week in range(1, cycle.weeks + 1):
        monday = cycle.week_start(week)
        days = [monday + dt.timedelta(days=i) for i in working]
        left = sum(day not in holidays for day in days)
        if left < MIN_WORKDAYS and len(working) >= MIN_WORKDAYS:
            items.append(
                (
                    str(week),
                    _("{count} workdays from {monday}", count=left, monday=monday.isoformat()),
                )
            )
    if not items:
        return None
    message = ngettext(
        "{count} week of the cycle has fewer than 3 workdays after holidays: week {weeks}",
        "{count} weeks of the cycle have fewer than 3 workdays after holidays: weeks {weeks}",
        len(items),
        weeks=", ".join(w for w, _d in items),
    )
    fix = _("expect fewer visits those weeks, or move [cycle] start_date")
    return SetupWarning("short_weeks", message, fix, items)


def overlapping_zones(inputs: SetupInputs) -> SetupWarning | None:
    """Pairs of zones that overlap, with the clients that lie in both."""
    zones = inputs.zones.reset_index(drop=True)
    bounds = zones.total_bounds
    projection = projection_for(np.array(bounds[[1, 3]]), np.array(bounds[[0, 2]]))
    local = [projection.to_local(g) for g in zones.geometry]
    points = gpd.points_from_xy(inputs.clients["lon"], inputs.clients["lat"])
    items = []
    for i in range(len(zones)):
        for j in range(i + 1, len(zones)):
            if local[i].intersection(local[j]).area <= OVERLAP_KM2:
                continue
            both = zones.geometry[i].intersection(zones.geometry[j])
            inside = int(np.count_nonzero(shapely.contains(both, points)))
            pair = f"{zones['zone'][i]}/{zones['zone'][j]}"
            items.append((pair, _("{count} clients in both zones", count=inside)))
    if not items:
        return None
    message = ngettext(
        "{count} pair of zones overlaps: {pairs}",
        "{count} pairs of zones overlap: {pairs}",
        len(items),
        pairs="; ".join(f"{p} ({d})" for p, d in items),
    )
    fix = _("redraw the zones so each place belongs to one (clients go to the first zone)")
    return SetupWarning("zones_overlap", message, fix, items)


def zones_without_clients(inputs: SetupInputs) -> SetupWarning | None:
    """Zones that hold no client."""
    empty = _unused(inputs.zones["zone"], inputs.clients["zone"])
    message = ngettext(
        "{count} zone has no clients: {zones}",
        "{count} zones have no clients: {zones}",
        len(empty),
        zones=", ".join(empty),
    )
    fix = _("remove the zone, or run 'routeplan zones balance' to give it clients")
    return _no_clients("zone_no_clients", empty, message, fix)


CHECKS: tuple[Callable[[SetupInputs], SetupWarning | None], ...] = (
    reps_without_clients,
    homes_outside_zone,
    unbalanced_zones,
    clients_never_open,
    short_weeks,
    overlapping_zones,
    zones_without_clients,
)
"""Every setup check, in the order they are reported."""


def setup_checks(inputs: SetupInputs) -> list[SetupWarning]:
    """Run every check of :data:`CHECKS`.

    Parameters
    ----------
    inputs
        Tiered clients with ``zone``, ``rep_id``, ``service_min``; reps; zones; settings.

    Returns
    -------
    list of SetupWarning
        One per failed check, in :data:`CHECKS` order.

    """
    found = [check(inputs) for check in CHECKS]
    return [w for w in found if w is not None]


def setup_table(warnings: list[SetupWarning]) -> pd.DataFrame:
    """The warnings as rows ``check, subject, detail, message, fix`` for ``setup-warnings.csv``."""
    rows = [
        {"check": w.code, "subject": subject, "detail": detail, "message": w.message, "fix": w.fix}
        for w in warnings
        for subject, detail in w.items
    ]
    return pd.DataFrame(rows, columns=["check", "subject", "detail", "message", "fix"])
