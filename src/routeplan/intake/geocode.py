"""Offline geocoding against a local OpenStreetMap extract.

An address is matched, in this order, to an **address** (an OSM node or building with that
street and house number), a **street** (a named way, or the street's nearest-numbered address
when the number is unknown), a **locality** (the centre of the addresses of that ``addr:city``)
or **none**. Street and locality names are matched fuzzily (rapidfuzz) after normalisation
(:mod:`routeplan.intake.addresses`); the score (0–100) is that match's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from routeplan.errors import RouteplanError
from routeplan.i18n import N_, _, translate
from routeplan.intake.addresses import number_key, parse_address, plain, street_key

Quality = Literal["address", "street", "locality", "none"]
QUALITIES: tuple[Quality, ...] = ("address", "street", "locality", "none")
NO_NUMBER = N_("house number not found on the street")
NO_STREET = N_("street not found, placed at the locality")
NOTHING = N_("neither the street nor the locality is in the extract")
MIN_SCORE = 85.0
"""Lowest fuzzy score (0–100) a street or locality name must reach to count as a match."""


@dataclass
class AddressIndex:
    """What an extract knows about addresses: numbered points, streets and localities."""

    numbers: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    streets: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    localities: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    @property
    def street_names(self) -> list[str]:
        """Every street key with a numbered address or a named way."""
        return sorted(set(self.numbers) | set(self.streets))


def _centre(coords: list[tuple[float, float]]) -> tuple[float, float]:
    """The coordinate of the list closest to its mean (a point that lies on the street)."""
    array = np.asarray(coords)
    mean = array.mean(axis=0)
    best = int(np.argmin(((array - mean) ** 2).sum(axis=1)))
    return float(array[best, 0]), float(array[best, 1])


def load_index(osm_file: Path) -> AddressIndex:
    """Read the address points, buildings and named streets of an ``.osm.pbf`` extract.

    Parameters
    ----------
    osm_file
        The extract.

    Returns
    -------
    AddressIndex
        Street key → house number → (lat, lon); street key → way coordinates; locality →
        address coordinates.

    Raises
    ------
    RouteplanError
        When the file does not exist or cannot be read.

    """
    import osmium

    if not osm_file.is_file():
        raise RouteplanError(
            _("{file}: OSM extract not found", file=osm_file),
            hint=_("set [geocode] osm_file or pass --osm-file"),
        )
    index = AddressIndex()
    numbers: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
    streets: dict[str, list[tuple[float, float]]] = defaultdict(list)
    localities: dict[str, list[tuple[float, float]]] = defaultdict(list)

    def add(tags: osmium.osm.TagList, lat: float, lon: float) -> None:
        street = tags.get("addr:street")
        number = tags.get("addr:housenumber")
        if street and number:
            for single in re.split(r"[;,]", number):
                numbers[street_key(street)].setdefault(number_key(single), (lat, lon))
        if tags.get("addr:city"):
            localities[plain(tags["addr:city"])].append((lat, lon))

    for obj in osmium.FileProcessor(str(osm_file)).with_locations():
        if isinstance(obj, osmium.osm.Node) and "addr:housenumber" in obj.tags:
            add(obj.tags, obj.location.lat, obj.location.lon)
        elif isinstance(obj, osmium.osm.Way):
            coords = [(n.location.lat, n.location.lon) for n in obj.nodes if n.location.valid()]
            if not coords:
                continue
            if "addr:housenumber" in obj.tags:
                add(obj.tags, *np.asarray(coords).mean(axis=0))
            if "highway" in obj.tags and "name" in obj.tags:
                streets[street_key(obj.tags["name"])].extend(coords)
    index.numbers, index.streets, index.localities = dict(numbers), dict(streets), dict(localities)
    return index


@dataclass(frozen=True)
class Match:
    """Where an address was found and how well."""

    lat: float | None
    lon: float | None
    quality: Quality
    score: float
    matched: str = ""
    reason: str = ""


def _fuzzy(name: str, choices: list[str]) -> tuple[str, float] | None:
    from rapidfuzz import fuzz, process

    if not name or not choices:
        return None
    if name in choices:
        return name, 100.0
    found = process.extractOne(name, choices, scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
    return (found[0], float(found[1])) if found else None


def _nearest_number(numbers: dict[str, tuple[float, float]], wanted: str) -> str | None:
    digits = re.match(r"\d+", wanted)
    known = {k: int(m.group()) for k in numbers if (m := re.match(r"\d+", k))}
    if digits is None or not known:
        return None
    target = int(digits.group())
    return min(known, key=lambda k: (abs(known[k] - target), k))


def geocode_one(address: str, index: AddressIndex) -> Match:
    """Geocode one address against an index.

    Parameters
    ----------
    address
        As typed in the clients file.
    index
        From :func:`load_index`.

    Returns
    -------
    Match
        Coordinates (None for ``none``), quality, score and what was matched.

    """
    parsed = parse_address(address)
    street = _fuzzy(parsed.street, index.street_names)
    if street is not None:
        name, score = street
        numbers = index.numbers.get(name, {})
        if parsed.number and parsed.number in numbers:
            lat, lon = numbers[parsed.number]
            return Match(lat, lon, "address", score, f"{name} {parsed.number}")
        nearest = _nearest_number(numbers, parsed.number or "")
        if nearest is not None:
            lat, lon = numbers[nearest]
            return Match(lat, lon, "street", score, f"{name} {nearest}", translate(NO_NUMBER))
        coords = index.streets.get(name) or list(numbers.values())
        lat, lon = _centre(coords)
        return Match(lat, lon, "street", score, name, translate(NO_NUMBER))
    locality = _fuzzy(parsed.locality or "", sorted(index.localities))
    if locality is not None:
        lat, lon = _centre(index.localities[locality[0]])
        return Match(lat, lon, "locality", locality[1], locality[0], translate(NO_STREET))
    return Match(None, None, "none", 0.0, "", translate(NOTHING))
