"""Where the clients are, and what follows from it: time zone, country, language, currency.

Offline: the time zone comes from the clients' coordinates (timezonefinder's polygons), the
country from the time zone (CLDR via Babel), the language and currency from the country
(CLDR), the public holidays from the ``holidays`` package.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from babel.core import get_global
from babel.numbers import get_territory_currencies

from routeplan.i18n import SUPPORTED_LANGUAGES, is_regional

SAMPLE = 400
"""Clients looked up for the time zone (evenly spread over the file)."""


@dataclass(frozen=True)
class Place:
    """What the clients' coordinates say about where the team works.

    ``timezones`` counts the sampled clients per time zone, most frequent first.
    """

    timezone: str
    country: str | None
    language: str
    currency: str | None
    timezones: dict[str, int] = field(default_factory=dict)


def timezones_of(lat: np.ndarray, lon: np.ndarray, *, sample: int = SAMPLE) -> Counter[str]:
    """Time zones of up to ``sample`` clients, counted.

    Parameters
    ----------
    lat, lon
        Coordinates in degrees (WGS84).
    sample
        How many clients to look up, evenly spread.

    Returns
    -------
    Counter
        Time zone name → clients; points at sea are left out.

    """
    from timezonefinder import TimezoneFinder  # loads its polygons: only when asked

    finder = TimezoneFinder()
    picks = np.unique(np.linspace(0, len(lat) - 1, num=min(sample, len(lat))).astype(int))
    found: Counter[str] = Counter()
    for i in picks:
        zone = finder.timezone_at(lng=float(lon[i]), lat=float(lat[i]))
        if zone:
            found[zone] += 1
    return found


def language_of(country: str | None) -> str:
    """The supported ``[ui] language`` spoken in ``country`` (``CO`` → ``es-CO``), else ``en``.

    Examples
    --------
    >>> language_of("CO"), language_of("BR"), language_of("AR"), language_of("FI")
    ('es-CO', 'pt-BR', 'es-AR', 'en')

    """
    if country is None:
        return "en"
    spoken = get_global("territory_languages").get(country, {})
    official = [lang for lang, info in spoken.items() if info.get("official_status")]
    ranked = sorted(official or spoken, key=lambda lang: -spoken[lang]["population_percent"])
    for language in ranked:
        regional = f"{language}_{country}"
        if regional in SUPPORTED_LANGUAGES or is_regional(regional):
            return regional.replace("_", "-")
        if language in SUPPORTED_LANGUAGES:
            return language
    return "en"


def place_of(lat: np.ndarray, lon: np.ndarray) -> Place:
    """The time zone, country, language and currency of clients at these coordinates.

    Parameters
    ----------
    lat, lon
        The clients' coordinates.

    Returns
    -------
    Place
        The most common time zone among the clients and what follows from it.

    Raises
    ------
    ValueError
        When no client lies in a known time zone.

    """
    zones = timezones_of(lat, lon)
    if not zones:
        msg = "no client lies inside a known time zone"
        raise ValueError(msg)
    timezone = zones.most_common(1)[0][0]
    country = get_global("zone_territories").get(timezone)
    currencies = get_territory_currencies(country, dt.date.today()) if country else []
    return Place(
        timezone=timezone,
        country=country,
        language=language_of(country),
        currency=currencies[0] if currencies else None,
        timezones=dict(zones.most_common()),
    )


def public_holidays(
    country: str | None, start: dt.date, end: dt.date, *, language: str = "en"
) -> dict[dt.date, str]:
    """The country's public holidays from ``start`` to ``end`` (inclusive), with their names.

    Parameters
    ----------
    country
        ISO 3166 code such as ``"CO"``; None gives none.
    start, end
        The cycle's first and last day.
    language
        Language of the names (``es``, ``pt_BR``; English when the package lacks it).

    Returns
    -------
    dict
        Date → name, in date order; empty when the country is unknown to ``holidays``.

    """
    import holidays

    if country is None or country not in holidays.list_supported_countries():
        return {}
    years = list(range(start.year, end.year + 1))
    code = language.replace("-", "_")
    offered = set(holidays.country_holidays(country).supported_languages)
    chosen = next((c for c in (code, code.split("_")[0], "en_US") if c in offered), None)
    found = holidays.country_holidays(country, years=years, language=chosen)
    return {day: str(name) for day, name in sorted(found.items()) if start <= day <= end}
