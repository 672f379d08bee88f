"""What a rep needs at a stop: the client card, navigation links and the day's list.

Everything here returns escaped HTML: client names, addresses, phones and notes come from a CRM
and must never run in the browser.
"""

from __future__ import annotations

import math
import re
from urllib.parse import quote

import pandas as pd

from routeplan.i18n import _, ngettext
from routeplan.links import latlon_text
from routeplan.maps.base import esc, truthy
from routeplan.model.reasons import reason_text

CLIENT_INFO_COLUMNS: tuple[str, ...] = (
    "phone",
    "contact",
    "notes",
    "opens",
    "closes",
    "tier_reason_code",
    "tier_reason",
    "last_visit",
    "next_due",
)
"""Optional client columns the stop card shows when the clients table has them."""

_PHONE_KEEP = re.compile(r"[^0-9+]")


def navigation_links(lat: float, lon: float) -> dict[str, str]:
    """Turn-by-turn links from where the phone is to ``(lat, lon)``.

    Parameters
    ----------
    lat, lon
        The stop (WGS84).

    Returns
    -------
    dict of str to str
        ``google`` (Google Maps directions, no origin: the current location), ``apple``
        (Apple Maps, driving) and ``waze``.

    """
    where = latlon_text(lat, lon)
    return {
        "google": f"https://www.google.com/maps/dir/?api=1&destination={where}&travelmode=driving",
        "apple": f"https://maps.apple.com/?daddr={where}&dirflg=d",
        "waze": f"https://waze.com/ul?ll={where}&navigate=yes",
    }


def tel_href(phone: object) -> str:
    """A ``tel:`` link for a phone number as typed in a CRM, or ``""`` without digits."""
    text = "" if _blank(phone) else str(phone).strip()
    digits = _PHONE_KEEP.sub("", text)
    if sum(ch.isdigit() for ch in digits) < 3:
        return ""
    return "tel:" + quote(digits, safe="+")


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return not str(value).strip() or str(value).strip().lower() in {"nan", "nat", "none"}


def _get(row: pd.Series, column: str) -> str:
    value = row.get(column)
    return "" if _blank(value) else str(value).strip()


def _nav_buttons(lat: float, lon: float, phone: str) -> str:
    links = navigation_links(lat, lon)
    buttons = [
        f'<a class="rp-btn rp-nav" data-nav="google" href="{esc(links["google"])}" '
        f'target="_blank" rel="noopener">{esc(_("Navigate"))}</a>',
        f'<a class="rp-btn rp-nav-alt" data-nav="apple" href="{esc(links["apple"])}" '
        f'target="_blank" rel="noopener">Apple Maps</a>',
        f'<a class="rp-btn rp-nav-alt" data-nav="waze" href="{esc(links["waze"])}" '
        f'target="_blank" rel="noopener">Waze</a>',
    ]
    tel = tel_href(phone)
    if tel:
        buttons.insert(1, f'<a class="rp-btn rp-tel" href="{esc(tel)}">{esc(_("Call"))}</a>')
    return f'<div class="rp-actions">{"".join(buttons)}</div>'


def _address_line(stop: pd.Series) -> str:
    address = _get(stop, "address")
    if address:
        return f'<p class="rp-address">{esc(address)}</p>'
    where = latlon_text(float(stop["lat"]), float(stop["lon"]))
    url = f"https://www.google.com/maps/search/?api=1&query={where}"
    text = _("No address: coordinates {where}", where=where)
    return (
        f'<p class="rp-address rp-no-address"><a href="{esc(url)}" target="_blank" '
        f'rel="noopener">{esc(text)}</a></p>'
    )


def window_text(info: pd.Series) -> str:
    """The client's opening hours as ``"09:00–13:00"``, or ``""`` when unknown."""
    opens, closes = _get(info, "opens"), _get(info, "closes")
    if not opens and not closes:
        return ""
    return f"{opens or '…'}–{closes or '…'}"


def _facts(stop: pd.Series, info: pd.Series) -> list[tuple[str, str]]:
    """Label/value pairs of the card (values not escaped yet)."""
    facts = [(_("ETA"), _("{time} (planned)", time=str(stop["arrive"])))]
    wait = int(float(stop.get("wait_min", 0) or 0))
    if wait > 0:
        facts.append(
            (_("Starts"), _("{time}, waits {minutes} min", time=stop["start"], minutes=wait))
        )
    facts.append((_("Leaves"), str(stop["depart"])))
    facts.append((_("Service"), _("{minutes} min", minutes=int(stop["service_min"]))))
    window = window_text(info)
    facts.append((_("Opening hours"), window or _("not given")))
    reason = reason_text(_get(info, "tier_reason_code"), _get(info, "tier_reason"))
    tier = str(stop["tier"])
    facts.append((_("Tier"), f"{tier}: {reason}" if reason else tier))
    for column, label in (("last_visit", _("Last visit")), ("next_due", _("Next due"))):
        value = _get(info, column)
        if value:
            facts.append((label, value))
    contact = _get(info, "contact")
    if contact:
        facts.append((_("Contact"), contact))
    phone = _get(info, "phone")
    if phone:
        facts.append((_("Phone"), phone))
    return facts


def stop_card_html(stop: pd.Series, info: pd.Series | None, *, label: str) -> str:
    """The card of one stop: name, address, times, the client's facts and action buttons.

    Parameters
    ----------
    stop
        The route row (``name``, ``client_id``, ``tier``, ``lat``, ``lon``, ``address``,
        ``arrive``, ``start``, ``depart``, ``service_min``, ``wait_min``, ``catch_up``,
        ``reason``).
    info
        The client's row with any of :data:`CLIENT_INFO_COLUMNS`, or None.
    label
        The stop's number as shown on its marker (e.g. ``"3"``).

    Returns
    -------
    str
        Escaped HTML (``<div class="rp-card">``).

    """
    info = info if info is not None else pd.Series(dtype=object)
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in _facts(stop, info))
    extra = ""
    if truthy(stop.get("catch_up", False)):
        why = reason_text(_get(stop, "reason_code"), _get(stop, "reason"))
        extra += f'<p class="rp-reason">{esc(_("Catch-up visit: {reason}", reason=why))}</p>'
    notes = _get(info, "notes")
    if notes:
        extra += f'<p class="rp-notes"><b>{esc(_("Notes"))}</b> {esc(notes)}</p>'
    return (
        f'<div class="rp-card"><h3><span class="rp-num">{esc(label)}</span> '
        f"{esc(stop['name'])} <small>{esc(stop['client_id'])}</small></h3>"
        f"{_address_line(stop)}<table>{rows}</table>{extra}"
        f"{_nav_buttons(float(stop['lat']), float(stop['lon']), _get(info, 'phone'))}</div>"
    )


def next_stop_html(stop: pd.Series, info: pd.Series | None, *, label: str) -> str:
    """The "next stop" card: a headline with arrival and window, then the stop's card."""
    window = window_text(info) if info is not None else ""
    head = (
        _("Next stop · ETA {time} · open {window}", time=stop["arrive"], window=window)
        if window
        else _("Next stop · ETA {time}", time=stop["arrive"])
    )
    return f'<div class="rp-next-head">{esc(head)}</div>{stop_card_html(stop, info, label=label)}'


def idle_minutes(previous_depart: str, stop: pd.Series) -> int:
    """Minutes between leaving the previous stop and starting this one, minus the drive."""
    start = _minutes(str(stop["start"]))
    left = _minutes(previous_depart)
    return round(start - left - float(stop.get("travel_min", 0) or 0))


def _minutes(hhmm: str) -> float:
    hours, _sep, minutes = hhmm.partition(":")
    return int(hours) * 60 + int(minutes or 0)


BREAK_MIN = 20
"""Idle time (minutes) between two stops shown as a break in the day list."""


def day_list_html(day_stops: pd.DataFrame, start: str, *, date: str) -> str:
    """The day's timeline: each stop (a link to its marker) and any break between stops.

    Parameters
    ----------
    day_stops
        The day's route rows, in order.
    start
        ``HH:MM`` the rep leaves home.
    date
        The ISO date, part of each stop's key ``date#seq``.

    Returns
    -------
    str
        An ``<ol class="rp-daylist">``; "no visits" text for an empty day.

    """
    if day_stops.empty:
        return f'<p class="rp-empty">{esc(_("No visits planned on this day."))}</p>'
    items, left = [], start
    for _index, stop in day_stops.iterrows():
        idle = idle_minutes(left, stop) if left else 0
        if idle >= BREAK_MIN:
            text = _("Break or wait: {minutes} min before {time}", minutes=idle, time=stop["start"])
            items.append(f'<li class="rp-break">{esc(text)}</li>')
        seq = int(stop["seq"])
        items.append(
            f'<li><a href="#" class="rp-stop-link" data-stop="{esc(f"{date}#{seq}")}">'
            f'<span class="rp-num">{seq}</span><span class="rp-time">{esc(stop["arrive"])}'
            f'</span><span class="rp-name">{esc(stop["name"])}</span>'
            f'<span class="rp-tier">{esc(stop["tier"])}</span>'
            f"{' ↺' if truthy(stop.get('catch_up', False)) else ''}</a></li>"
        )
        left = str(stop["depart"])
    return f'<ol class="rp-daylist">{"".join(items)}</ol>'


def _gmaps_label(part: int, parts: int) -> str:
    """The text of a day's Google Maps link; numbered when the day needs several links."""
    if parts == 1:
        return _("Open in Google Maps")
    return _("Open in Google Maps ({part}/{parts})", part=part, parts=parts)


def day_links_html(links: list[str]) -> str:
    """Buttons opening the day's route in Google Maps, one per leg of at most 3 waypoints."""
    if not links:
        return ""
    total = len(links)
    buttons = "".join(
        f'<a class="rp-btn rp-gmaps" href="{esc(url)}" target="_blank" rel="noopener">'
        f"{esc(_gmaps_label(i, total))}</a>"
        for i, url in enumerate(links, 1)
    )
    title = ngettext(
        "Whole day in Google Maps ({count} part)", "Whole day in Google Maps ({count} parts)", total
    )
    return f'<div class="rp-daylinks"><p>{esc(title)}</p>{buttons}</div>'
