"""Generate the bundled Helsinki demo data set in ``data/demo/``.

Usage::

    python scripts/make_demo_data.py [--seed 7] [--out data/demo] [--osm data/osm/helsinki.osm.pbf]

The output is deterministic: the same OSM extract and seed give byte-identical files.

What it makes
-------------
``clients.csv``
    About 1,500 accounts (the routeplan input contract plus the extra columns ``category``,
    ``area``, ``source`` and ``osm_id``):

    * **Real accounts** (``source = osm``): every shop and every pharmacy, restaurant, cafe,
      fast-food place, pub and bar in the OSM extract of central Helsinki
      (``data/osm/helsinki.osm.pbf``, about 1.0 × 1.7 km; © OpenStreetMap contributors,
      ODbL 1.0). Name, position (centroid for buildings), address
      (``addr:street`` + ``addr:housenumber``) and opening hours are real. Weekday opening
      hours are parsed from simple OSM ``opening_hours`` values (``"Mo-Fr 09:00-18:00; Sa
      ..."``): ``opens`` is the latest weekday opening and ``closes`` the earliest weekday
      closing, so the window holds Monday to Friday; closing after midnight becomes ``23:59``.
      Values that do not parse get a plausible default for the category.
    * **Synthetic accounts** (``source = synthetic``): seeded points filling the Helsinki,
      Espoo and Vantaa mainland around the centre (24.60–25.25 E, 60.13–60.36 N), kept on land
      by a hand-drawn coarse coastline polygon (:data:`LAND`) that excludes the sea and the
      islands south of the centre, and kept out of the OSM extract's box. They cluster like
      real retail: Gaussian clusters around named suburb centres (:data:`CENTRES`, weight
      falling off with distance from the centre), line clusters along main roads
      (:data:`ROADS`) and a thin background whose density decays with distance. Names are
      category + area ("Kahvila Tapiola 2"); the address is only "area, city".

    Sales figures are synthetic for every account: ``revenue`` (annual EUR) is lognormal
    (sigma 1.3) times a category factor, so the top 1 % of accounts hold about 15 % of revenue
    and the top 20 % about two thirds; ``margin`` is a scaled Beta(2.5, 3.5) in 0.05–0.60,
    slightly lower for big accounts; ``orders_per_year`` grows with revenue (integer >= 1);
    ``potential`` is 1.0–1.9 × revenue, except for 5 % of the accounts outside the top fifth,
    whose potential is 3–8 × revenue (the development case the potential rule promotes).
    ``tier``, ``zone`` and ``service_min`` are left empty (the pipeline fills them).

``zones.geojson``
    Six territories Z1..Z6 (properties ``zone``, ``rep_id``) that partition the land polygon
    without gaps or overlaps. They come from recursive bisection of the accounts by straight
    cuts (6 -> 3 + 3 -> 1 + 2 -> 1 + 1): each cut splits the estimated weekly workload in the
    wanted ratio, and of the candidate directions (every 5 degrees all round) the one with the most
    compact halves wins. A cut always passes through a gap of at least 0.4 m between accounts,
    so every account lies strictly inside one zone. The workload estimate per account is its
    expected visits per week (tiers by revenue rank with the default shares and cadences,
    potential promotion included) times service minutes plus a travel estimate from the
    distance to its 5th nearest neighbour (× 1.35 circuity at 30 km/h, at most 20 min).

``reps.csv``
    Six reps R1..R6, one per zone, living in a residential district inside their zone, working
    Mon–Fri 08:00–17:00 with a 30 min lunch at 12:00, at most 12 visits a day.

``routeplan.toml`` is hand-written and not touched by this script.

Requires ``pyrosm`` (reads the PBF), numpy, pandas, scipy, shapely.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import cKDTree
from shapely import affinity
from shapely.geometry import Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OSM = REPO / "data" / "osm" / "helsinki.osm.pbf"
DEFAULT_OUT = REPO / "data" / "demo"
N_ACCOUNTS = 1500
N_REPS = 6
POI_FILTER = {
    "shop": True,
    "amenity": ["pharmacy", "restaurant", "cafe", "fast_food", "pub", "bar"],
}

# Local flat projection (km) around the city centre; lines in km are lines in degrees.
LAT0 = 60.17
KM_PER_DEG_LAT = 111.0
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(LAT0))
CENTRE = (24.945, 60.171)  # lon, lat: Helsinki railway station / Esplanadi

# Coarse mainland of Helsinki, Espoo and Vantaa (lon, lat). The southern edge follows the
# coast from Kivenlahti in the west to Östersundom in the east, leaving out the sea, the bays
# (Laajalahti, Vanhankaupunginlahti) and the islands (Lauttasaari, Katajanokka, Kulosaari,
# Laajasalo, Suomenlinna). Drawn by hand from memory of the map: a few hundred metres off.
LAND = Polygon(
    [
        (24.600, 60.150),
        (24.640, 60.147),
        (24.660, 60.141),
        (24.690, 60.150),
        (24.720, 60.151),
        (24.760, 60.154),
        (24.790, 60.161),
        (24.815, 60.170),
        (24.830, 60.180),
        (24.850, 60.195),
        (24.870, 60.190),
        (24.890, 60.180),
        (24.905, 60.165),
        (24.915, 60.158),
        (24.930, 60.155),
        (24.945, 60.157),
        (24.960, 60.158),
        (24.957, 60.163),
        (24.958, 60.170),
        (24.965, 60.175),
        (24.960, 60.180),
        (24.975, 60.183),
        (24.985, 60.190),
        (24.990, 60.200),
        (25.010, 60.212),
        (25.025, 60.200),
        (25.030, 60.187),
        (25.060, 60.195),
        (25.090, 60.196),
        (25.110, 60.194),
        (25.140, 60.190),
        (25.170, 60.195),
        (25.200, 60.200),
        (25.230, 60.215),
        (25.250, 60.220),
        (25.250, 60.360),
        (24.600, 60.360),
    ]
)


@dataclass(frozen=True)
class Centre:
    """A named suburb centre: a Gaussian cluster of synthetic accounts."""

    name: str
    city: str
    lon: float
    lat: float
    sigma_km: float
    weight: float


CENTRES: tuple[Centre, ...] = (
    Centre("Kallio", "Helsinki", 24.950, 60.185, 0.55, 3.0),
    Centre("Kamppi", "Helsinki", 24.922, 60.167, 0.35, 2.0),
    Centre("Töölö", "Helsinki", 24.922, 60.182, 0.45, 2.0),
    Centre("Punavuori", "Helsinki", 24.940, 60.160, 0.25, 1.0),
    Centre("Pasila", "Helsinki", 24.934, 60.199, 0.50, 1.5),
    Centre("Vallila", "Helsinki", 24.955, 60.195, 0.40, 1.0),
    Centre("Munkkiniemi", "Helsinki", 24.878, 60.197, 0.40, 0.8),
    Centre("Herttoniemi", "Helsinki", 25.032, 60.196, 0.55, 1.0),
    Centre("Itäkeskus", "Helsinki", 25.081, 60.210, 0.70, 1.6),
    Centre("Oulunkylä", "Helsinki", 24.966, 60.229, 0.40, 0.6),
    Centre("Malmi", "Helsinki", 25.011, 60.251, 0.60, 1.0),
    Centre("Kannelmäki", "Helsinki", 24.877, 60.240, 0.40, 0.6),
    Centre("Kontula", "Helsinki", 25.082, 60.236, 0.45, 0.7),
    Centre("Vuosaari", "Helsinki", 25.144, 60.209, 0.55, 0.8),
    Centre("Tapiola", "Espoo", 24.805, 60.176, 0.50, 1.2),
    Centre("Leppävaara", "Espoo", 24.813, 60.219, 0.60, 1.3),
    Centre("Matinkylä", "Espoo", 24.738, 60.160, 0.55, 1.1),
    Centre("Espoonlahti", "Espoo", 24.656, 60.151, 0.50, 0.7),
    Centre("Espoon keskus", "Espoo", 24.656, 60.205, 0.50, 0.6),
    Centre("Myyrmäki", "Vantaa", 24.854, 60.261, 0.60, 0.9),
    Centre("Kivistö", "Vantaa", 24.850, 60.316, 0.45, 0.4),
    Centre("Tikkurila", "Vantaa", 25.044, 60.292, 0.70, 1.1),
    Centre("Hakunila", "Vantaa", 25.110, 60.277, 0.40, 0.4),
    Centre("Koivukylä", "Vantaa", 25.060, 60.325, 0.45, 0.4),
    Centre("Korso", "Vantaa", 25.080, 60.351, 0.40, 0.3),
)

# Main roads as polylines (lon, lat): shops line up along them.
ROADS: tuple[tuple[tuple[float, float], ...], ...] = (
    # Mannerheimintie - Hämeenlinnanväylä, north-west
    ((24.930, 60.180), (24.915, 60.195), (24.900, 60.215), (24.880, 60.245), (24.855, 60.290)),
    # Hämeentie - Lahdenväylä, north-east to Tikkurila
    ((24.952, 60.182), (24.958, 60.197), (24.978, 60.210), (25.010, 60.235), (25.045, 60.290)),
    # Itäväylä, east
    ((25.030, 60.197), (25.060, 60.203), (25.081, 60.210), (25.120, 60.215), (25.150, 60.222)),
    # Kehä I, Leppävaara - Itäkeskus
    ((24.813, 60.219), (24.870, 60.235), (24.940, 60.235), (25.010, 60.230), (25.075, 60.215)),
    # Turunväylä, Leppävaara - Espoon keskus
    ((24.813, 60.219), (24.760, 60.212), (24.700, 60.208), (24.656, 60.205)),
    # Länsiväylä corridor, Tapiola - Matinkylä - Espoonlahti
    ((24.830, 60.178), (24.780, 60.166), (24.738, 60.160), (24.690, 60.155), (24.656, 60.151)),
)

# Residential districts (name, lon, lat) where reps may live.
HOMES: tuple[tuple[str, float, float], ...] = (
    ("Kruununhaka", 24.955, 60.173),
    ("Ullanlinna", 24.948, 60.159),
    ("Etu-Töölö", 24.924, 60.175),
    ("Kallio", 24.947, 60.187),
    ("Käpylä", 24.948, 60.214),
    ("Munkkivuori", 24.880, 60.205),
    ("Pakila", 24.943, 60.245),
    ("Herttoniemi", 25.035, 60.200),
    ("Kontula", 25.085, 60.234),
    ("Malmi", 25.015, 60.255),
    ("Tapiola", 24.800, 60.180),
    ("Leppävaara", 24.820, 60.222),
    ("Espoon keskus", 24.660, 60.208),
    ("Myyrmäki", 24.850, 60.263),
    ("Tikkurila", 25.050, 60.297),
    ("Vuosaari", 25.140, 60.212),
)

REP_NAMES = (
    "Aino Virtanen",
    "Mikko Korhonen",
    "Laura Nieminen",
    "Juha Mäkinen",
    "Sanna Hämäläinen",
    "Antti Laine",
)

# Synthetic categories: (OSM-like category, Finnish name prefix, weight, revenue factor).
SYNTH_CATEGORIES: tuple[tuple[str, str, float, float], ...] = (
    ("supermarket", "Lähikauppa", 0.12, 3.0),
    ("convenience", "Kioski", 0.08, 0.8),
    ("clothes", "Vaatekauppa", 0.10, 1.0),
    ("hairdresser", "Parturi-kampaamo", 0.06, 0.5),
    ("hardware", "Rautakauppa", 0.04, 1.8),
    ("florist", "Kukkakauppa", 0.03, 0.6),
    ("bakery", "Leipomo", 0.03, 0.8),
    ("optician", "Optikko", 0.02, 0.9),
    ("sports", "Urheilukauppa", 0.03, 1.2),
    ("restaurant", "Ravintola", 0.20, 1.3),
    ("cafe", "Kahvila", 0.10, 0.7),
    ("fast_food", "Grilli", 0.08, 0.8),
    ("pub", "Pub", 0.06, 1.0),
    ("bar", "Baari", 0.03, 0.9),
    ("pharmacy", "Apteekki", 0.02, 2.5),
)
REVENUE_FACTOR = {cat: factor for cat, _, _, factor in SYNTH_CATEGORIES}

# Weekday hours used when OSM has none that parse: (opens, closes).
DEFAULT_HOURS = {
    "supermarket": ("07:00", "21:00"),
    "convenience": ("07:00", "21:00"),
    "kiosk": ("07:00", "21:00"),
    "pharmacy": ("09:00", "20:00"),
    "restaurant": ("11:00", "22:00"),
    "cafe": ("08:00", "18:00"),
    "fast_food": ("10:00", "22:00"),
    "bakery": ("07:00", "17:00"),
    "pub": ("14:00", "23:59"),
    "bar": ("15:00", "23:59"),
}
SHOP_HOURS = ("10:00", "18:00")

# Default tiering (routeplan.config defaults) for the workload estimate behind the zones:
# (share of accounts, visits per week, service minutes), highest tier first.
TIER_LOAD = ((0.01, 2.0, 60.0), (0.03, 1.0, 45.0), (0.15, 0.25, 30.0), (1.0, 1.0 / 12, 20.0))
POTENTIAL_RATIO = 3.0
MIN_GAP_KM = 0.0004  # a zone border passes at least 0.2 m from every account


# --------------------------------------------------------------------------- projection


def to_km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Project lon/lat (degrees) to local km around :data:`CENTRE`."""
    x = (np.asarray(lon) - CENTRE[0]) * KM_PER_DEG_LON
    y = (np.asarray(lat) - CENTRE[1]) * KM_PER_DEG_LAT
    return np.column_stack([x, y])


def km_geom_to_deg(geom: BaseGeometry) -> BaseGeometry:
    """Map a geometry in local km back to lon/lat degrees."""
    return affinity.affine_transform(
        geom, [1 / KM_PER_DEG_LON, 0, 0, 1 / KM_PER_DEG_LAT, CENTRE[0], CENTRE[1]]
    )


def deg_geom_to_km(geom: BaseGeometry) -> BaseGeometry:
    """Map a lon/lat geometry to local km."""
    return affinity.affine_transform(
        geom,
        [
            KM_PER_DEG_LON,
            0,
            0,
            KM_PER_DEG_LAT,
            -CENTRE[0] * KM_PER_DEG_LON,
            -CENTRE[1] * KM_PER_DEG_LAT,
        ],
    )


# --------------------------------------------------------------------------- OSM accounts

_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_RULE = re.compile(
    rf"(?P<days>{_DAY}(?:\s*[-,]\s*{_DAY})*)\s+(?P<open>\d{{1,2}}:\d{{2}})\s*-\s*"
    rf"(?P<close>\d{{1,2}}:\d{{2}})"
)
_DAY_NAMES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def _expand_days(spec: str) -> list[int]:
    days: list[int] = []
    for part in re.split(r"\s*,\s*", spec.strip()):
        if "-" in part:
            first, last = (p.strip() for p in part.split("-"))
            a, b = _DAY_NAMES.index(first), _DAY_NAMES.index(last)
            days.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            days.append(_DAY_NAMES.index(part))
    return days


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_weekday_hours(value: object) -> tuple[str, str] | None:
    """Weekday visiting window from an OSM ``opening_hours`` value, or None.

    Only simple values parse: ``24/7`` and day ranges with one time range each. Later rules
    override earlier ones for the same day, as in OSM. The window is the latest opening and
    the earliest closing over the weekdays (Mo–Fr) that have hours; a closing at or after
    midnight becomes ``23:59``.

    Parameters
    ----------
    value
        The tag value (may be missing).

    Returns
    -------
    tuple of str or None
        ``(opens, closes)`` as ``HH:MM``, or None when the value does not parse.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text == "24/7":
        return ("00:00", "23:59")
    per_day: dict[int, tuple[int, int]] = {}
    for match in _RULE.finditer(text):
        opens, closes = _minutes(match["open"]), _minutes(match["close"])
        if closes <= opens or closes >= 24 * 60:
            closes = 23 * 60 + 59
        if opens >= 24 * 60:
            continue
        for day in _expand_days(match["days"]):
            per_day[day] = (opens, closes)
    weekdays = [per_day[d] for d in range(5) if d in per_day]
    if not weekdays:
        return None
    opens = max(o for o, _ in weekdays)
    closes = min(c for _, c in weekdays)
    if closes - opens < 60:
        return None
    return (_hhmm(opens), _hhmm(closes))


def default_hours(category: str) -> tuple[str, str]:
    """Plausible weekday opening hours of a category."""
    return DEFAULT_HOURS.get(category, SHOP_HOURS)


def load_osm_accounts(osm_path: Path) -> pd.DataFrame:
    """Shops and food/drink amenities of the OSM extract as account rows.

    Parameters
    ----------
    osm_path
        The ``.osm.pbf`` extract.

    Returns
    -------
    pandas.DataFrame
        Columns name, lat, lon, address, opens, closes, category, area, source, osm_id,
        sorted by OSM type and id.
    """
    import pyrosm  # imported here: only this script needs it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pois = pyrosm.OSM(str(osm_path)).get_pois(custom_filter=POI_FILTER)
        centroids = pois.geometry.centroid
    rows = []
    for i, poi in enumerate(pois.itertuples(index=False)):
        category = _osm_category(poi)
        street = _text(pois["addr:street"].iat[i])
        number = _text(pois["addr:housenumber"].iat[i])
        address = f"{street} {number}" if street and number else street
        if address:
            address = f"{address}, Helsinki"
        name = _text(poi.name) or _fallback_name(category, street)
        hours = parse_weekday_hours(poi.opening_hours) or default_hours(category)
        rows.append(
            {
                "name": name,
                "lat": round(float(centroids.iat[i].y), 6),
                "lon": round(float(centroids.iat[i].x), 6),
                "address": address,
                "opens": hours[0],
                "closes": hours[1],
                "category": category,
                "area": "Keskusta",
                "source": "osm",
                "osm_id": f"{poi.osm_type}/{int(poi.id)}",
                "_sort": (str(poi.osm_type), int(poi.id)),
            }
        )
    frame = pd.DataFrame(rows).sort_values("_sort", kind="stable").drop(columns="_sort")
    return frame.reset_index(drop=True)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    return ""


def _osm_category(poi: object) -> str:
    amenity = _text(getattr(poi, "amenity", None))
    if amenity:
        return amenity
    shop = _text(getattr(poi, "shop", None))
    return "shop" if shop in ("", "yes") else shop


def _fallback_name(category: str, street: str) -> str:
    label = category.replace("_", " ").capitalize()
    return f"{label} ({street})" if street else f"{label} (unnamed)"


# --------------------------------------------------------------------------- synthetic


def _in_extract_box(lon: float, lat: float, box: tuple[float, float, float, float]) -> bool:
    pad = 0.0015
    return box[0] - pad <= lon <= box[2] + pad and box[1] - pad <= lat <= box[3] + pad


def sample_synthetic_points(
    rng: np.random.Generator, n: int, *, extract_box: tuple[float, float, float, float]
) -> list[tuple[float, float]]:
    """Seeded lon/lat points on land: suburb clusters, road lines and a thin background.

    Parameters
    ----------
    rng
        The random generator.
    n
        How many points.
    extract_box
        (min lon, min lat, max lon, max lat) of the OSM extract; no point falls in it.

    Returns
    -------
    list of tuple
        ``n`` (lon, lat) points.
    """
    centre_km = {c.name: to_km(np.array([c.lon]), np.array([c.lat]))[0] for c in CENTRES}
    weights = np.array([c.weight for c in CENTRES])
    weights = weights / weights.sum()
    road_km = [to_km(np.array([p[0] for p in r]), np.array([p[1] for p in r])) for r in ROADS]
    road_len = np.array([np.linalg.norm(np.diff(r, axis=0), axis=1).sum() for r in road_km])
    road_p = road_len / road_len.sum()
    land_km = deg_geom_to_km(LAND)

    points: list[tuple[float, float]] = []
    while len(points) < n:
        kind = rng.choice(3, p=[0.62, 0.25, 0.13])
        if kind == 0:  # suburb-centre cluster
            c = CENTRES[rng.choice(len(CENTRES), p=weights)]
            xy = centre_km[c.name] + rng.normal(0.0, c.sigma_km, 2)
        elif kind == 1:  # along a main road
            r = road_km[rng.choice(len(ROADS), p=road_p)]
            seg = np.linalg.norm(np.diff(r, axis=0), axis=1)
            s = rng.uniform(0.0, seg.sum())
            k = int(np.searchsorted(np.cumsum(seg), s))
            k = min(k, len(seg) - 1)
            t = (s - (np.cumsum(seg)[k] - seg[k])) / seg[k]
            base = r[k] + t * (r[k + 1] - r[k])
            direction = (r[k + 1] - r[k]) / seg[k]
            normal = np.array([-direction[1], direction[0]])
            xy = base + normal * rng.normal(0.0, 0.15)
        else:  # background, density decaying with distance from the centre
            radius = rng.exponential(7.0)
            angle = rng.uniform(0.0, 2 * math.pi)
            xy = np.array([radius * math.cos(angle), radius * math.sin(angle)])
        point_km = Point(float(xy[0]), float(xy[1]))
        if not land_km.contains(point_km):
            continue
        lon = round(CENTRE[0] + xy[0] / KM_PER_DEG_LON, 6)
        lat = round(CENTRE[1] + xy[1] / KM_PER_DEG_LAT, 6)
        if not (24.60 <= lon <= 25.25 and 60.13 <= lat <= 60.36):
            continue
        if _in_extract_box(lon, lat, extract_box):
            continue
        points.append((lon, lat))
    return points


def synthetic_accounts(
    rng: np.random.Generator, n: int, *, extract_box: tuple[float, float, float, float]
) -> pd.DataFrame:
    """Synthetic accounts around the centre (same columns as :func:`load_osm_accounts`)."""
    points = sample_synthetic_points(rng, n, extract_box=extract_box)
    cats = [c for c, _, _, _ in SYNTH_CATEGORIES]
    prefix = {c: p for c, p, _, _ in SYNTH_CATEGORIES}
    p = np.array([w for _, _, w, _ in SYNTH_CATEGORIES])
    chosen = rng.choice(len(cats), size=n, p=p / p.sum())
    centres_km = np.array([to_km(np.array([c.lon]), np.array([c.lat]))[0] for c in CENTRES])
    seen: dict[str, int] = {}
    rows = []
    for (lon, lat), ci in zip(points, chosen, strict=True):
        category = cats[ci]
        xy = to_km(np.array([lon]), np.array([lat]))[0]
        nearest = CENTRES[int(np.argmin(np.linalg.norm(centres_km - xy, axis=1)))]
        base = f"{prefix[category]} {nearest.name}"
        seen[base] = seen.get(base, 0) + 1
        name = base if seen[base] == 1 else f"{base} {seen[base]}"
        if rng.random() < 0.1:
            opens, closes = "", ""  # unknown hours: the planner treats the day as open
        else:
            opens, closes = default_hours(category)
        rows.append(
            {
                "name": name,
                "lat": lat,
                "lon": lon,
                "address": f"{nearest.name}, {nearest.city}",
                "opens": opens,
                "closes": closes,
                "category": category,
                "area": nearest.name,
                "source": "synthetic",
                "osm_id": "",
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- sales


def add_sales(rng: np.random.Generator, accounts: pd.DataFrame) -> pd.DataFrame:
    """Add revenue, margin, orders_per_year and potential (all seeded, heavy-tailed revenue).

    Parameters
    ----------
    rng
        The random generator.
    accounts
        Accounts with a ``category`` column.

    Returns
    -------
    pandas.DataFrame
        A copy with the four sales columns.
    """
    out = accounts.copy()
    n = len(out)
    z = rng.standard_normal(n)
    factor = out["category"].map(REVENUE_FACTOR).fillna(1.0).to_numpy()
    revenue = np.exp(math.log(22_000) + 1.3 * z) * factor
    revenue = np.maximum(np.round(revenue, -1), 500.0)

    # Margin: scaled Beta(2.5, 3.5), mildly anti-correlated with revenue (Gaussian copula).
    u = stats.norm.cdf(-0.3 * z + math.sqrt(1 - 0.09) * rng.standard_normal(n))
    margin = 0.05 + 0.55 * stats.beta.ppf(u, 2.5, 3.5)

    # Orders: average order value grows with revenue, so orders grow sub-linearly.
    order_value = 400.0 * (revenue / 10_000) ** 0.6 * np.exp(rng.normal(0.0, 0.35, n))
    orders = np.clip(np.round(revenue / order_value), 1, 260).astype(int)

    # Potential: usually a little above revenue; 5 % of the non-top accounts 3-8x.
    ratio = 1.0 + rng.gamma(2.0, 0.15, n).clip(0.0, 0.9)
    rank = pd.Series(revenue).rank(ascending=False, method="first").to_numpy()
    eligible = np.flatnonzero(rank > 0.2 * n)
    developing = rng.choice(eligible, size=round(0.05 * n), replace=False)
    ratio[developing] = rng.uniform(3.0, 8.0, developing.size)
    potential = np.round(revenue * ratio, -1)

    out["revenue"] = revenue.astype(int)
    out["margin"] = np.round(margin, 3)
    out["orders_per_year"] = orders
    out["potential"] = potential.astype(int)
    return out


# --------------------------------------------------------------------------- zones


def workload_minutes(accounts: pd.DataFrame) -> np.ndarray:
    """Estimated weekly workload (minutes) of each account, for balancing zones.

    Tiers by revenue rank with the default shares (1 % / 3 % / 15 % / rest), one step up for
    potential >= 3 x revenue; visits per week x (service minutes + travel estimate). The
    travel estimate is the distance to the 5th nearest account x 1.35 at 30 km/h, at most
    20 minutes.
    """
    n = len(accounts)
    rank = accounts["revenue"].rank(ascending=False, method="first").to_numpy() - 1
    tier = np.full(n, len(TIER_LOAD) - 1)
    cum = 0.0
    for t, (share, _, _) in enumerate(TIER_LOAD[:-1]):
        lo, cum = cum, cum + share
        tier[(rank >= lo * n) & (rank < cum * n)] = t
    promote = (accounts["potential"] >= POTENTIAL_RATIO * accounts["revenue"]).to_numpy()
    tier = np.where(promote, np.maximum(tier - 1, 0), tier)
    visits = np.array([TIER_LOAD[t][1] for t in tier])
    service = np.array([TIER_LOAD[t][2] for t in tier])
    xy = to_km(accounts["lon"].to_numpy(), accounts["lat"].to_numpy())
    dist, _ = cKDTree(xy).query(xy, k=6)
    travel = np.minimum(dist[:, 5] * 1.35 / 30.0 * 60.0, 20.0)
    return visits * (service + travel)


def _cut(
    xy: np.ndarray, w: np.ndarray, fraction: float, angle: float
) -> tuple[float, np.ndarray, float] | None:
    """Cut at ``fraction`` of the weight along direction ``angle``: (offset, left mask, cost)."""
    direction = np.array([math.cos(angle), math.sin(angle)])
    proj = xy @ direction
    order = np.argsort(proj, kind="stable")
    cum = np.cumsum(w[order])
    target = fraction * cum[-1]
    # candidate gaps wide enough (>= 0.4 m) that no account lies on or near the cut line
    gaps = np.diff(proj[order])
    ok = np.flatnonzero(gaps >= MIN_GAP_KM)
    if ok.size == 0:
        return None
    k = ok[np.argmin(np.abs(cum[ok] - target))]
    offset = 0.5 * (proj[order][k] + proj[order][k + 1])
    left = proj < offset
    cost = 0.0
    for mask in (left, ~left):
        ww = w[mask]
        centre = (xy[mask] * ww[:, None]).sum(axis=0) / ww.sum()
        cost += float((ww * ((xy[mask] - centre) ** 2).sum(axis=1)).sum())
    return offset, left, cost


def bisect_zones(
    xy: np.ndarray, w: np.ndarray, region: BaseGeometry, k: int
) -> list[tuple[BaseGeometry, np.ndarray]]:
    """Split ``region`` (local km) into ``k`` parts of about equal weight by straight cuts.

    Parameters
    ----------
    xy
        Account positions (km), all inside ``region``.
    w
        Their weights.
    region
        The polygon to split.
    k
        Number of parts.

    Returns
    -------
    list of tuple
        ``(polygon, indices of the accounts inside)`` per part.
    """
    idx = np.arange(len(xy))
    return _bisect(xy, w, idx, region, k)


def _bisect(
    xy: np.ndarray, w: np.ndarray, idx: np.ndarray, region: BaseGeometry, k: int
) -> list[tuple[BaseGeometry, np.ndarray]]:
    if k == 1:
        return [(region, idx)]
    k_left = k // 2
    best = None
    for degrees in range(0, 360, 5):
        angle = math.radians(degrees)
        found = _cut(xy[idx], w[idx], k_left / k, angle)
        if found is not None and (best is None or found[2] < best[2][2]):
            best = (angle, degrees, found)
    if best is None:
        msg = "no cut direction found"
        raise RuntimeError(msg)
    angle, _, (offset, left, _) = best
    d = np.array([math.cos(angle), math.sin(angle)])
    normal = np.array([-d[1], d[0]])
    big = 1000.0
    base = d * offset
    p1, p2 = base - normal * big, base + normal * big
    left_half = Polygon([tuple(p1), tuple(p2), tuple(p2 - d * big), tuple(p1 - d * big)])
    right_half = Polygon([tuple(p1), tuple(p2), tuple(p2 + d * big), tuple(p1 + d * big)])
    parts = []
    parts += _bisect(xy, w, idx[left], region.intersection(left_half), k_left)
    parts += _bisect(xy, w, idx[~left], region.intersection(right_half), k - k_left)
    return parts


def make_zones(accounts: pd.DataFrame) -> tuple[list[BaseGeometry], np.ndarray, np.ndarray]:
    """Six territories partitioning the land polygon, balanced by estimated workload.

    Returns
    -------
    tuple
        (zone polygons in lon/lat, ordered Z1..Z6 from the centre outwards; zone index of each
        account; workload minutes of each account).
    """
    xy = to_km(accounts["lon"].to_numpy(), accounts["lat"].to_numpy())
    w = workload_minutes(accounts)
    parts = bisect_zones(xy, w, deg_geom_to_km(LAND), N_REPS)

    # order Z1..Z6 by the distance of each zone's workload centre from the city centre
    def centre_distance(part: tuple[BaseGeometry, np.ndarray]) -> float:
        members = part[1]
        c = (xy[members] * w[members, None]).sum(axis=0) / w[members].sum()
        return float(np.hypot(*c))

    parts.sort(key=centre_distance)
    zone_of = np.empty(len(accounts), dtype=int)
    polygons = []
    for z, (poly, members) in enumerate(parts):
        zone_of[members] = z
        polygons.append(km_geom_to_deg(poly))
    return polygons, zone_of, w


def place_reps(
    polygons: list[BaseGeometry], accounts: pd.DataFrame, zone_of: np.ndarray, w: np.ndarray
) -> pd.DataFrame:
    """One rep per zone, living in the residential district nearest the zone's workload centre."""
    rows = []
    for z, poly in enumerate(polygons):
        members = np.flatnonzero(zone_of == z)
        lon = float(np.average(accounts["lon"].to_numpy()[members], weights=w[members]))
        lat = float(np.average(accounts["lat"].to_numpy()[members], weights=w[members]))
        inside = [h for h in HOMES if poly.contains(Point(h[1], h[2]))]
        if inside:
            home = min(inside, key=lambda h: math.hypot((h[1] - lon) * 0.5, h[2] - lat))
            home_lon, home_lat = home[1], home[2]
        else:
            p = poly.representative_point()
            home_lon, home_lat = p.x, p.y
        rows.append(
            {
                "rep_id": f"R{z + 1}",
                "name": REP_NAMES[z],
                "home_lat": round(home_lat, 6),
                "home_lon": round(home_lon, 6),
                "zone": f"Z{z + 1}",
                "day_start": "08:00",
                "day_end": "17:00",
                "lunch_start": "12:00",
                "lunch_min": 30,
                "workdays": "Mon Tue Wed Thu Fri",
                "max_visits_per_day": 12,
            }
        )
    return pd.DataFrame(rows)


def zones_geojson(polygons: list[BaseGeometry]) -> dict[str, object]:
    """GeoJSON FeatureCollection of the zones (coordinates rounded to 6 decimals)."""
    features = []
    for z, poly in enumerate(polygons):
        geometry = json.loads(json.dumps(mapping(poly)), parse_float=lambda s: round(float(s), 6))
        features.append(
            {
                "type": "Feature",
                "properties": {"zone": f"Z{z + 1}", "rep_id": f"R{z + 1}"},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- main

CLIENT_COLUMNS = [
    "client_id",
    "name",
    "lat",
    "lon",
    "address",
    "revenue",
    "margin",
    "orders_per_year",
    "potential",
    "tier",
    "zone",
    "opens",
    "closes",
    "service_min",
    "category",
    "area",
    "source",
    "osm_id",
]


def build(osm_path: Path, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, object]]:
    """Build clients, reps and zones from the OSM extract and the seed.

    Parameters
    ----------
    osm_path
        The ``.osm.pbf`` extract of central Helsinki.
    seed
        Seed of every random draw.

    Returns
    -------
    tuple
        (clients DataFrame, reps DataFrame, zones GeoJSON dict).
    """
    rng = np.random.default_rng(seed)
    real = load_osm_accounts(osm_path)
    box = (
        float(real["lon"].min()),
        float(real["lat"].min()),
        float(real["lon"].max()),
        float(real["lat"].max()),
    )
    synth = synthetic_accounts(rng, N_ACCOUNTS - len(real), extract_box=box)
    accounts = pd.concat([real, synth], ignore_index=True)
    accounts = add_sales(rng, accounts)
    accounts.insert(0, "client_id", [f"C{i + 1:04d}" for i in range(len(accounts))])
    for column in ("tier", "zone", "service_min"):
        accounts[column] = ""
    polygons, zone_of, w = make_zones(accounts)
    reps = place_reps(polygons, accounts, zone_of, w)
    return accounts[CLIENT_COLUMNS], reps, zones_geojson(polygons)


def write(out: Path, clients: pd.DataFrame, reps: pd.DataFrame, zones: dict[str, object]) -> None:
    """Write clients.csv, reps.csv and zones.geojson into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    clients.to_csv(out / "clients.csv", index=False, lineterminator="\n")
    reps.to_csv(out / "reps.csv", index=False, lineterminator="\n")
    text = json.dumps(zones, ensure_ascii=False, separators=(",", ":"))
    (out / "zones.geojson").write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--osm", type=Path, default=DEFAULT_OSM, help="OSM .pbf extract")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    clients, reps, zones = build(args.osm, args.seed)
    write(args.out, clients, reps, zones)
    real = int((clients["source"] == "osm").sum())
    print(
        f"wrote {len(clients)} clients ({real} real OSM POIs, {len(clients) - real} synthetic), "
        f"{len(reps)} reps, {len(zones['features'])} zones to {args.out} "
        f"in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
