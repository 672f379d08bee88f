"""One iCalendar file per rep: an event per planned visit, in the cycle's time zone.

Each visit ``VEVENT`` holds SUMMARY ``"<client name> (<tier>)"``, LOCATION (the address), GEO,
DTSTART/DTEND with ``TZID`` = ``[cycle] timezone`` (start of service to departure), a
DESCRIPTION with tier, reason and map links, URL (the day's route in Google Maps) and a stable
UID ``w<NN>-<rep>-<client>-<date>@routeplan`` so re-importing a re-planned week updates events
instead of duplicating them. A day's lunch break (``break_start``/``break_end`` of its routes
row) is one more event, UID ``w<NN>-<rep>-lunch-<date>@routeplan``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import pandas as pd

from routeplan.errors import ConfigError
from routeplan.i18n import _, current_language, format_time
from routeplan.links import directions_links
from routeplan.model.reasons import reason_text
from routeplan.write_errors import writing

DayLinks = Mapping[tuple[str, str], Sequence[str]]
"""Map links per rep-day: ``day_links[(rep_id, date)] = [url, ...]`` (long days may need more)."""

MAPS_WAYPOINTS_PER_LINK = 9
"""Google Maps directions URLs take at most 9 waypoints between origin and destination."""

PRODID = "-//routeplan//week plan//EN"


def zone_of(name: str) -> ZoneInfo:
    """Return the :class:`~zoneinfo.ZoneInfo` of ``[cycle] timezone``.

    Parameters
    ----------
    name
        An IANA time-zone name such as ``"Europe/Helsinki"``.

    Returns
    -------
    zoneinfo.ZoneInfo
        The zone.

    Raises
    ------
    ConfigError
        When the name is not a known time zone.

    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            _(
                "routeplan.toml: key 'cycle.timezone': '{name}' is not a known time zone",
                name=name,
            ),
            hint=_("use an IANA name such as 'Europe/Helsinki'"),
        ) from exc


def local_datetime(date_iso: str, hhmm: str, zone: ZoneInfo) -> dt.datetime:
    """Return the aware datetime of ``hhmm`` on ``date_iso`` in ``zone`` (DST-correct).

    Parameters
    ----------
    date_iso
        An ISO date, ``"2027-07-05"``.
    hhmm
        A wall-clock time, ``"09:30"``.
    zone
        The time zone.

    Returns
    -------
    datetime.datetime
        The aware local datetime.

    """
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return dt.datetime.combine(dt.date.fromisoformat(date_iso), dt.time(hours, minutes), zone)


def vtimezone_around(zone: ZoneInfo, day: dt.date) -> icalendar.Timezone:
    """Build the VTIMEZONE of ``zone`` with the rules from the year before ``day`` to the next.

    Parameters
    ----------
    zone
        The time zone.
    day
        A day the calendar's events fall on.

    Returns
    -------
    icalendar.Timezone
        A compact VTIMEZONE (a few DST transitions instead of 1970-2038).

    """
    return icalendar.Timezone.from_tzid(
        zone.key,
        first_date=dt.date(day.year - 1, 1, 1),
        last_date=dt.date(day.year + 1, 12, 31),
    )


def position_link(lat: float, lon: float) -> str:
    """Return a Google Maps link to one position."""
    return f"https://www.google.com/maps/search/?api=1&query={lat:.6f},{lon:.6f}"


def day_route_links(home: tuple[float, float], stops: Sequence[tuple[float, float]]) -> list[str]:
    """Google Maps directions links for a day: home → stops → home, split into legs of 9 stops.

    Parameters
    ----------
    home
        (lat, lon) of the rep's home.
    stops
        (lat, lon) of the stops in visiting order.

    Returns
    -------
    list of str
        One link per leg; each leg starts where the previous ended.

    """
    return directions_links(home, stops, max_waypoints=MAPS_WAYPOINTS_PER_LINK)


def visit_uid(week: int, rep_id: str, client_id: str, date_iso: str) -> str:
    """Return the stable UID of a visit event."""
    return f"w{week:02d}-{rep_id}-{client_id}-{date_iso}@routeplan"


def rep_week_calendar(
    routes: pd.DataFrame,
    *,
    rep_id: str,
    week: int,
    zone: ZoneInfo,
    day_links: DayLinks,
    stamp: dt.datetime,
    vtimezone: icalendar.Timezone | None = None,
) -> icalendar.Calendar:
    """Build the calendar of one rep's week: one VEVENT per planned visit.

    Parameters
    ----------
    routes
        The rep's rows of ``WeekPlan.routes``.
    rep_id
        The rep.
    week
        The cycle week.
    zone
        The cycle's time zone.
    day_links
        Links to each day's route, ``day_links[(rep_id, date)] = [url, ...]``; the first is the
        event's URL.
    stamp
        DTSTAMP of every event (aware); fixed per week so reruns give identical files.
    vtimezone
        The VTIMEZONE of ``zone`` (see :func:`vtimezone_around`), built once for many
        calendars; default: built here for 1970-2038.

    Returns
    -------
    icalendar.Calendar
        The calendar with a VTIMEZONE for ``zone``.

    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("routeplan {rep} week {week}", rep=rep_id, week=week))
    calendar.add("x-wr-timezone", zone.key)
    if vtimezone is not None:
        calendar.add_component(vtimezone)
    ordered = routes.sort_values(["date", "seq"], kind="stable")
    stops_per_day = ordered["date"].astype(str).value_counts().to_dict()
    for visit in ordered.to_dict("records"):
        date_iso = str(visit["date"])
        links = list(day_links.get((rep_id, date_iso), ()))
        event = _visit_event(visit, (rep_id, week), zone, stamp, links)
        lat, lon = float(visit["lat"]), float(visit["lon"])
        event.add(
            "description",
            _visit_description(visit, int(stops_per_day[date_iso]), links, lat, lon),
            parameters={"LANGUAGE": current_language().replace("_", "-")},
        )
        calendar.add_component(event)
        if isinstance(visit.get("break_start"), str) and visit["break_start"]:
            calendar.add_component(_lunch_event(visit, (rep_id, week), zone, stamp))
    if vtimezone is None:
        calendar.add_missing_timezones()
    return calendar


def _visit_event(
    visit: dict,
    rep_week: tuple[str, int],
    zone: ZoneInfo,
    stamp: dt.datetime,
    links: list[str],
) -> icalendar.Event:
    """The VEVENT of one visit (``rep_week`` = rep, week), all but its description."""
    rep_id, week = rep_week
    date_iso = str(visit["date"])
    lat, lon = float(visit["lat"]), float(visit["lon"])
    address = str(visit["address"] or "").strip()
    event = icalendar.Event()
    event.add("uid", visit_uid(week, rep_id, str(visit["client_id"]), date_iso))
    event.add("dtstamp", stamp)
    event.add("summary", f"{visit['name']} ({visit['tier']})")
    event.add("dtstart", local_datetime(date_iso, str(visit["start"]), zone))
    event.add("dtend", local_datetime(date_iso, str(visit["depart"]), zone))
    event.add("location", address or f"{lat:.6f}, {lon:.6f}")
    event.add("geo", (lat, lon))
    event.add("url", links[0] if links else position_link(lat, lon))
    event.add("categories", [str(visit["tier"])])
    return event


def lunch_uid(week: int, rep_id: str, date_iso: str) -> str:
    """Return the stable UID of a day's lunch-break event."""
    return f"w{week:02d}-{rep_id}-lunch-{date_iso}@routeplan"


def _lunch_event(
    visit: dict, rep_week: tuple[str, int], zone: ZoneInfo, stamp: dt.datetime
) -> icalendar.Event:
    """The VEVENT of the lunch break shown on ``visit``'s row (``break_start``/``break_end``)."""
    rep_id, week = rep_week
    date_iso = str(visit["date"])
    event = icalendar.Event()
    event.add("uid", lunch_uid(week, rep_id, date_iso))
    event.add("dtstamp", stamp)
    event.add("summary", _("Lunch break"))
    event.add("dtstart", local_datetime(date_iso, str(visit["break_start"]), zone))
    event.add("dtend", local_datetime(date_iso, str(visit["break_end"]), zone))
    event.add("transp", "OPAQUE")
    event.add("categories", ["break"])
    return event


def _visit_description(
    visit: dict, stops_today: int, links: list[str], lat: float, lon: float
) -> str:
    """The event's text: client, tier, reason, stop and timing, route and map links."""
    lines = [
        _("Client: {client} ({client_id})", client=visit["name"], client_id=visit["client_id"]),
        _("Tier: {tier}", tier=visit["tier"]),
        _("Why this week: {reason}", reason=reason_text(visit.get("reason_code"), visit["reason"])),
        _(
            "Stop {seq} of {stops}; arrive {arrive}, wait {wait} min, service {service} min",
            seq=int(visit["seq"]),
            stops=stops_today,
            arrive=format_time(str(visit["arrive"])),
            wait=int(visit["wait_min"]),
            service=int(visit["service_min"]),
        ),
    ]
    if bool(visit["catch_up"]):
        lines.append(_("Catch-up visit carried over from an earlier week"))
    if links:
        lines.extend(_("Day route: {link}", link=link) for link in links)
    lines.append(_("Client on the map: {link}", link=position_link(lat, lon)))
    return "\n".join(lines)


def write_rep_ics(calendar: icalendar.Calendar, path: Path) -> Path:
    """Write a calendar to ``path`` (CRLF line ends as RFC 5545 requires).

    Parameters
    ----------
    calendar
        The calendar.
    path
        The ``.ics`` file.

    Returns
    -------
    pathlib.Path
        ``path``.

    """
    with writing(path):
        path.write_bytes(calendar.to_ical())
    return path
