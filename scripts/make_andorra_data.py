"""Generate the Andorra road-mode demo data set in ``data/andorra/``.

Usage::

    python scripts/make_andorra_data.py [--seed 11] [--out data/andorra] \
        [--osm data/osm/andorra.osm.pbf]

The output is deterministic: the same OSM extract and seed give byte-identical files.

Source: ``data/osm/andorra.osm.pbf``, the whole of Andorra as of 2013 (the GraphHopper test
extract ``core/files/andorra.osm.pbf``, unchanged bytes; © OpenStreetMap contributors,
ODbL 1.0).

What it makes
-------------
``clients.csv``
    About 1,200 accounts (the routeplan input contract plus the extra columns ``category``,
    ``area``, ``parish``, ``source`` and ``osm_id``):

    * **Real accounts** (``source = osm``): every ``shop=*`` and every
      ``amenity=restaurant|fast_food|cafe|bar|pub|nightclub|pharmacy|fuel|car_wash`` of the
      extract whose position (centroid for buildings) lies in a parish and within
      :data:`MAX_SNAP_M` of the drivable network's largest strongly connected component (the
      part routeplan's OSM mode keeps and snaps to). Name, position and category are real;
      the address is ``addr:street addr:housenumber`` when tagged (two POIs), otherwise the
      name of the nearest named drivable way within :data:`ADDRESS_RADIUS_M` (derived), then
      the parish. The extract has no ``opening_hours`` at all, so every real account gets the
      default hours of its category (values that parse would be used, as in the Helsinki
      script). The other amenities of the extract (105 parkings, 35 shelters, toilets,
      churches, banks, ...) are not sales accounts and are left out.
    * **Synthetic accounts** (``source = synthetic``): seeded points on real town streets.
      Candidate streets are the ``residential|living_street|unclassified|tertiary|secondary|
      primary`` segments of the strongly connected component (no tunnels, bridges, mountain
      passes), only where the network is urban: at least :data:`TOWN_DENSITY_M` metres of
      road within :data:`TOWN_RADIUS_M` of the segment's midpoint, and within
      :data:`PLACE_RADIUS_M` of a town, village or hamlet place node. A segment weighs its
      length × that local road length (denser streets carry more shops). Each parish gets
      synthetic accounts in proportion to its total weight (largest remainder); inside the
      parish a segment is drawn by weight, a point uniformly along it, and the account is set
      back 6–20 m to one side (the shop front). The address is the way's OSM ``name`` (else
      the nearest named way within 150 m, else the village) and the parish; the name is a
      Catalan category word + the nearest village or town ("Farmàcia Sispony 2"). 10 % of
      them have no opening hours.

    Sales figures are synthetic for every account, drawn as in ``make_demo_data.py``:
    lognormal ``revenue`` (sigma 1.3) times a category factor, Beta ``margin`` mildly
    anti-correlated with revenue, ``orders_per_year`` growing with revenue, ``potential``
    1.0–1.9 × revenue except 5 % of the accounts outside the top fifth at 3–8 ×.
    ``tier``, ``zone`` and ``service_min`` are left empty (the pipeline fills them).

``zones.geojson``
    Five territories (properties ``zone``, ``rep_id``, ``name``, ``parishes``) built from the
    parish boundaries, the ``admin_level=7`` relations of the extract. Canillo has no relation
    there and the extract has no ``admin_level=2`` country outline, so Canillo is built as the
    remainder: the convex hull of the drivable road nodes, buffered by
    :data:`HULL_BUFFER_M`, minus the six parishes; of the pieces left, the one with the most
    road nodes (the upper Valira d'Orient valley: Canillo, Soldeu, el Tarter) is Canillo, the
    others (bits of Spain and France along the border) are dropped. Two reps cover two
    parishes each; their zones are the dissolved (unioned) parish polygons. All vertices are
    snapped to a 1e-6 degree grid.

``reps.csv``
    Five reps R1..R5, each living in a different town (Andorra la Vella, les Escaldes,
    Encamp, La Massana, Sant Julià de Lòria) at a point on a residential street of the road
    graph, working Mon–Fri 08:00–17:00 with a 30 min lunch at 12:00, at most 12 visits a day.

``routeplan.toml``
    The commented configuration: OSM road mode on ``../osm/andorra.osm.pbf``, Europe/Andorra,
    a 12-week cycle from Monday 2027-01-04 and Andorra's public holidays of 2027 (from the
    ``holidays`` package 0.109, hard-coded in :data:`HOLIDAYS_2027`).

Requires ``pyrosm`` (reads the PBF), numpy, pandas, geopandas, scipy, shapely. Imports nothing
from routeplan but ``routeplan.config`` (to check the written configuration).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import time
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OSM = REPO / "data" / "osm" / "andorra.osm.pbf"
DEFAULT_OUT = REPO / "data" / "andorra"
N_ACCOUNTS = 1200
METRIC_CRS = "EPSG:25831"  # ETRS89 / UTM 31N: metres, Andorra lies in zone 31
GRID_DEG = 1e-6  # zone vertices are snapped to this grid (about 0.1 m)

AMENITIES = (
    "restaurant",
    "fast_food",
    "cafe",
    "bar",
    "pub",
    "nightclub",
    "pharmacy",
    "fuel",
    "car_wash",
)
POI_FILTER: dict[str, Any] = {"shop": True, "amenity": list(AMENITIES)}

MAX_SNAP_M = 100.0  # every account lies closer than this to the strongly connected roads
ADDRESS_RADIUS_M = 60.0  # a real POI without addr:street takes the nearest named way this close
HULL_BUFFER_M = 500.0
TOWN_RADIUS_M = 250.0
TOWN_DENSITY_M = 1200.0  # road metres within TOWN_RADIUS_M: about 6 km of road per km2
# A street counts as a town street within this distance of a place node of the type
PLACE_RADIUS_M = {"town": 1500.0, "village": 600.0, "hamlet": 300.0}
SETBACK_M = (6.0, 20.0)  # synthetic accounts stand this far from the street's centre line
STREET_CLASSES = frozenset(
    {"residential", "living_street", "unclassified", "tertiary", "secondary", "primary"}
)
NOT_A_STREET = re.compile(r"^(Túnel|Port |Coll )", re.IGNORECASE)

# Parishes (names as in the OSM relations) and the zone each belongs to; two reps cover two.
ZONES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    # zone, name, parishes, home town (a place node of the extract)
    ("Z1", "Andorra la Vella", ("Andorra la Vella",), "Andorra la Vella"),
    ("Z2", "Escaldes-Engordany", ("Escaldes-Engordany",), "les Escaldes"),
    ("Z3", "Encamp i Canillo", ("Encamp", "Canillo"), "Encamp"),
    ("Z4", "La Massana i Ordino", ("La Massana", "Ordino"), "La Massana"),
    ("Z5", "Sant Julià de Lòria", ("Sant Julià de Lòria",), "Sant Julià de Lòria"),
)
PARISH_ORDER = (
    "Andorra la Vella",
    "Canillo",
    "Encamp",
    "Escaldes-Engordany",
    "La Massana",
    "Ordino",
    "Sant Julià de Lòria",
)
REP_NAMES = ("Jordi Puig", "Montserrat Vidal", "Marc Font", "Núria Casal", "Pere Riba")

# Places the 2013 extract lacks as place nodes (lon, lat): Pas de la Casa, the big shopping
# village on the French border, is in Encamp parish.
EXTRA_PLACES: tuple[tuple[str, str, float, float], ...] = (
    ("Pas de la Casa", "town", 1.7325, 42.5425),
)

# Synthetic categories: (OSM-like category, Catalan name word, weight, revenue factor).
SYNTH_CATEGORIES: tuple[tuple[str, str, float, float], ...] = (
    ("supermarket", "Supermercat", 0.08, 3.0),
    ("convenience", "Botiga", 0.08, 0.8),
    ("clothes", "Botiga de roba", 0.10, 1.0),
    ("perfumery", "Perfumeria", 0.05, 1.4),
    ("electronics", "Electrònica", 0.05, 1.5),
    ("tobacco", "Estanc", 0.04, 1.2),
    ("sports", "Esports", 0.05, 1.2),
    ("hairdresser", "Perruqueria", 0.05, 0.5),
    ("hardware", "Ferreteria", 0.03, 1.8),
    ("bakery", "Forn de pa", 0.03, 0.8),
    ("optician", "Òptica", 0.02, 0.9),
    ("restaurant", "Restaurant", 0.18, 1.3),
    ("cafe", "Cafeteria", 0.08, 0.7),
    ("fast_food", "Entrepans", 0.04, 0.8),
    ("bar", "Bar", 0.08, 0.9),
    ("pharmacy", "Farmàcia", 0.02, 2.5),
    ("fuel", "Benzinera", 0.02, 3.0),
)
REVENUE_FACTOR = {cat: factor for cat, _, _, factor in SYNTH_CATEGORIES}
CATEGORY_WORD = {cat: word for cat, word, _, _ in SYNTH_CATEGORIES}

# Weekday hours used when OSM has none that parse: (opens, closes).
DEFAULT_HOURS = {
    "supermarket": ("09:00", "20:00"),
    "convenience": ("08:00", "21:00"),
    "pharmacy": ("09:00", "20:00"),
    "fuel": ("07:00", "22:00"),
    "car_wash": ("08:00", "20:00"),
    "restaurant": ("12:00", "23:00"),
    "cafe": ("08:00", "20:00"),
    "fast_food": ("11:00", "23:00"),
    "bakery": ("07:00", "14:00"),
    "pub": ("17:00", "23:59"),
    "bar": ("09:00", "23:59"),
    "nightclub": ("23:00", "23:59"),
}
SHOP_HOURS = ("09:30", "20:00")

# Andorra's public holidays of 2027 as listed by the `holidays` package 0.109
# (holidays.country_holidays("AD", years=2027)).
HOLIDAYS_2027: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2027, 1, 1), "New Year's Day"),
    (dt.date(2027, 1, 6), "Epiphany"),
    (dt.date(2027, 2, 8), "Carnival Monday"),
    (dt.date(2027, 3, 14), "Constitution Day (a Sunday)"),
    (dt.date(2027, 3, 26), "Good Friday"),
    (dt.date(2027, 3, 29), "Easter Monday"),
    (dt.date(2027, 5, 1), "Labour Day (a Saturday)"),
    (dt.date(2027, 5, 17), "Whit Monday"),
    (dt.date(2027, 8, 15), "Assumption (a Sunday)"),
    (dt.date(2027, 9, 8), "Our Lady of Meritxell, national day"),
    (dt.date(2027, 11, 1), "All Saints' Day"),
    (dt.date(2027, 12, 8), "Immaculate Conception"),
    (dt.date(2027, 12, 25), "Christmas Day (a Saturday)"),
    (dt.date(2027, 12, 26), "St Stephen's Day (a Sunday)"),
)
CYCLE_START = dt.date(2027, 1, 4)
CYCLE_WEEKS = 12

# Default tiering for the workload estimate: (share of accounts, visits per week, service min).
TIER_LOAD = ((0.01, 2.0, 60.0), (0.03, 1.0, 45.0), (0.15, 0.25, 30.0), (1.0, 1.0 / 12, 20.0))
POTENTIAL_RATIO = 3.0

_FORWARD_ONEWAY = frozenset({"yes", "true", "1"})
_REVERSE_ONEWAY = frozenset({"-1", "reverse"})
_NOT_ONEWAY = frozenset({"no", "false", "0", "reversible", "alternating"})


# --------------------------------------------------------------------------- OSM reading


def _text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    return ""


def _tags(value: object) -> dict[str, str]:
    if isinstance(value, str) and value:
        try:
            parsed = json.loads(value)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return value if isinstance(value, dict) else {}


def read_osm(osm_path: Path) -> dict[str, Any]:
    """Everything the script needs from the extract, read once with pyrosm."""
    import pyrosm  # imported here: only this script needs it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        osm = pyrosm.OSM(str(osm_path))
        nodes, edges = osm.get_network(network_type="driving", nodes=True)
        parishes = osm.get_boundaries()
        pois = osm.get_pois(custom_filter=POI_FILTER)
        places = osm.get_data_by_custom_criteria(
            custom_filter={"place": ["town", "village", "hamlet"]},
            filter_type="keep",
            keep_nodes=True,
            keep_ways=False,
            keep_relations=False,
        )
        centroids = pois.geometry.centroid
    pois = pois.assign(lon=centroids.x.to_numpy(), lat=centroids.y.to_numpy())
    return {"nodes": nodes, "edges": edges, "parishes": parishes, "pois": pois, "places": places}


# --------------------------------------------------------------------------- road network


def strong_component_edges(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """The drivable segments inside the largest strongly connected component.

    One-way rules as routeplan's road graph: ``oneway=yes/true/1`` forward only, ``-1``
    backward only, roundabouts and motorways one-way unless ``oneway=no``.

    Returns
    -------
    pandas.DataFrame
        The segments (columns of pyrosm's edges plus x0, y0, x1, y1 in metres), sorted by way
        id, u and v.
    """
    node_ids = np.unique(nodes["id"].to_numpy(dtype=np.int64))
    u = np.searchsorted(node_ids, edges["u"].to_numpy(dtype=np.int64))
    v = np.searchsorted(node_ids, edges["v"].to_numpy(dtype=np.int64))
    oneway = edges["oneway"].astype("string").str.lower().fillna("")
    junction = edges["junction"].astype("string").str.lower().fillna("")
    highway = edges["highway"].astype("string").str.lower().fillna("")
    implied = (junction.isin({"roundabout", "circular"}) | (highway == "motorway")) & ~oneway.isin(
        _NOT_ONEWAY
    )
    forward_only = (
        oneway.isin(_FORWARD_ONEWAY) | (implied & ~oneway.isin(_REVERSE_ONEWAY))
    ).to_numpy()
    backward_only = oneway.isin(_REVERSE_ONEWAY).to_numpy()
    tail = np.concatenate([u[~backward_only], v[~forward_only]])
    head = np.concatenate([v[~backward_only], u[~forward_only]])
    n = len(node_ids)
    graph = csr_matrix((np.ones(len(tail)), (tail, head)), shape=(n, n))
    _, labels = connected_components(graph, directed=True, connection="strong")
    largest = np.bincount(labels).argmax()
    keep = (labels[u] == largest) & (labels[v] == largest)
    coords = nodes.drop_duplicates("id").set_index("id").loc[node_ids]
    out = edges.loc[keep].copy()
    xy = gpd.GeoSeries(gpd.points_from_xy(coords["lon"], coords["lat"]), crs="EPSG:4326").to_crs(
        METRIC_CRS
    )
    x, y = xy.x.to_numpy(), xy.y.to_numpy()
    out["x0"], out["y0"] = x[u[keep]], y[u[keep]]
    out["x1"], out["y1"] = x[v[keep]], y[v[keep]]
    out["lon0"] = coords["lon"].to_numpy()[u[keep]]
    out["lat0"] = coords["lat"].to_numpy()[u[keep]]
    out["lon1"] = coords["lon"].to_numpy()[v[keep]]
    out["lat1"] = coords["lat"].to_numpy()[v[keep]]
    out["in_scc"] = True
    out = out.sort_values(["id", "u", "v"], kind="stable").reset_index(drop=True)
    out.attrs["scc_nodes"] = int((labels == largest).sum())
    out.attrs["all_nodes"] = n
    return out


def segment_distance_m(
    segments: pd.DataFrame, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Distance (m) of each point to the nearest segment, and that segment's row."""
    lines = shapely.linestrings(
        np.stack(
            [
                segments[["x0", "y0"]].to_numpy(),
                segments[["x1", "y1"]].to_numpy(),
            ],
            axis=1,
        )
    )
    tree = shapely.STRtree(lines)
    points = shapely.points(x, y)
    nearest = tree.query_nearest(points, all_matches=False)[1]
    return shapely.distance(points, lines[nearest]), nearest


# --------------------------------------------------------------------------- zones


def parish_polygons(parishes: gpd.GeoDataFrame, segments: pd.DataFrame) -> dict[str, BaseGeometry]:
    """Polygons (EPSG:4326, on the 1e-6 grid) of the seven parishes; Canillo built as remainder."""
    metric = parishes.to_crs(METRIC_CRS)
    known = {
        str(name): shapely.set_precision(geom, GRID_DEG)
        for name, geom in zip(parishes["name"], parishes.geometry, strict=True)
    }
    points = np.unique(
        np.concatenate([segments[["x0", "y0"]].to_numpy(), segments[["x1", "y1"]].to_numpy()]),
        axis=0,
    )
    hull = shapely.convex_hull(shapely.multipoints(points)).buffer(HULL_BUFFER_M)
    rest = hull.difference(shapely.union_all(list(metric.geometry)))
    pieces = list(shapely.get_parts(rest))
    counts = [int(shapely.contains(p, shapely.points(points)).sum()) for p in pieces]
    canillo_m = pieces[int(np.argmax(counts))]
    canillo = gpd.GeoSeries([canillo_m], crs=METRIC_CRS).to_crs("EPSG:4326").iloc[0]
    canillo = shapely.set_precision(canillo, GRID_DEG)
    # cut it back exactly along the neighbours' (grid-snapped) borders
    canillo = shapely.difference(
        canillo, shapely.union_all(list(known.values()), grid_size=GRID_DEG), grid_size=GRID_DEG
    )
    canillo = max(shapely.get_parts(canillo), key=lambda g: g.area)
    known["Canillo"] = canillo
    missing = [p for p in PARISH_ORDER if p not in known]
    if missing:
        msg = f"parish boundaries missing from the extract: {missing}"
        raise RuntimeError(msg)
    return {p: known[p] for p in PARISH_ORDER}


def zone_polygons(parish: dict[str, BaseGeometry]) -> list[BaseGeometry]:
    """The five zone polygons: one parish each, or two parishes dissolved."""
    return [
        shapely.union_all([parish[p] for p in parishes], grid_size=GRID_DEG)
        for _, _, parishes, _ in ZONES
    ]


def parish_of(parish: dict[str, BaseGeometry], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Name of the parish strictly containing each point, '' when none or several."""
    points = shapely.points(lon, lat)
    inside = np.array([shapely.contains(geom, points) for geom in parish.values()])
    names = np.array(list(parish), dtype=object)
    out = np.where(inside.sum(axis=0) == 1, names[inside.argmax(axis=0)], "")
    return out.astype(object)


# --------------------------------------------------------------------------- hours

_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_RULE = re.compile(
    rf"(?P<days>{_DAY}(?:\s*[-,]\s*{_DAY})*)\s+(?P<open>\d{{1,2}}:\d{{2}})\s*-\s*"
    rf"(?P<close>\d{{1,2}}:\d{{2}})",
    re.IGNORECASE,
)
_EVERY_DAY = re.compile(r"^(?P<open>\d{1,2}:\d{2})\s*-\s*(?P<close>\d{1,2}:\d{2})$")
_DAY_NAMES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def _expand_days(spec: str) -> list[int]:
    days: list[int] = []
    for part in re.split(r"\s*,\s*", spec.strip()):
        if "-" in part:
            first, last = (p.strip().capitalize() for p in part.split("-"))
            a, b = _DAY_NAMES.index(first), _DAY_NAMES.index(last)
            days.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            days.append(_DAY_NAMES.index(part.capitalize()))
    return days


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_weekday_hours(value: object) -> tuple[str, str] | None:
    """Weekday visiting window from an OSM ``opening_hours`` value, or None.

    Same rules as ``make_demo_data.parse_weekday_hours``: ``24/7``, a bare time range and day
    ranges with one time range each parse; the window is the latest weekday opening and the
    earliest weekday closing; closing at or after midnight becomes ``23:59``.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text == "24/7":
        return ("00:00", "23:59")
    per_day: dict[int, tuple[int, int]] = {}
    every_day = _EVERY_DAY.match(text)
    matches = [every_day] if every_day else list(_RULE.finditer(text))
    for match in matches:
        opens, closes = _minutes(match["open"]), _minutes(match["close"])
        if closes <= opens or closes >= 24 * 60:
            closes = 23 * 60 + 59
        if opens >= 24 * 60:
            continue
        days = range(7) if match is every_day else _expand_days(match["days"])
        for day in days:
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
    """Plausible weekday opening hours of a category (Andorran shops open long hours)."""
    return DEFAULT_HOURS.get(category, SHOP_HOURS)


# --------------------------------------------------------------------------- accounts


class Places:
    """Nearest named village or town of a point (metric coordinates)."""

    def __init__(self, places: pd.DataFrame) -> None:
        rows = []
        for place in places.itertuples(index=False):
            name = _text(_tags(place.tags).get("name")) or _text(getattr(place, "name", None))
            if name:
                rows.append((name, _text(place.place), float(place.lon), float(place.lat)))
        rows.extend(EXTRA_PLACES)
        rows.sort()
        self.names = [r[0] for r in rows]
        self.kinds = [r[1] for r in rows]
        self.centres = {r[0]: (r[2], r[3]) for r in rows}
        xy = gpd.GeoSeries(
            gpd.points_from_xy([r[2] for r in rows], [r[3] for r in rows]), crs="EPSG:4326"
        ).to_crs(METRIC_CRS)
        self.xy = np.column_stack([xy.x, xy.y])
        self.tree = cKDTree(self.xy)

    def near_any(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Whether each point lies within :data:`PLACE_RADIUS_M` of a place of its type."""
        near = np.zeros(len(x), dtype=bool)
        points = np.column_stack([x, y])
        for kind, radius in PLACE_RADIUS_M.items():
            mine = np.array([k == kind for k in self.kinds])
            if mine.any():
                dist, _ = cKDTree(self.xy[mine]).query(points)
                near |= dist <= radius
        return near

    def nearest(self, x: np.ndarray, y: np.ndarray) -> list[str]:
        _, idx = self.tree.query(np.column_stack([x, y]))
        return [self.names[i] for i in idx]


def _osm_category(amenity: str, shop: str) -> str:
    if amenity:
        return amenity
    return "shop" if shop in ("", "yes") else shop


def _fallback_name(category: str, street: str) -> str:
    label = category.replace("_", " ").capitalize()
    return f"{label} ({street})" if street else f"{label} (unnamed)"


def _metric(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xy = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs(METRIC_CRS)
    return xy.x.to_numpy(), xy.y.to_numpy()


def real_accounts(
    pois: gpd.GeoDataFrame,
    segments: pd.DataFrame,
    parish: dict[str, BaseGeometry],
    places: Places,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Shops and commercial amenities of the extract as account rows, sorted by OSM type and id.

    Returns
    -------
    tuple
        (the accounts, how many POIs were left out and why).
    """
    lon = pois["lon"].to_numpy()
    lat = pois["lat"].to_numpy()
    x, y = _metric(lon, lat)
    snap_m, _ = segment_distance_m(segments, x, y)
    named = segments[segments["name"].map(_text) != ""].reset_index(drop=True)
    street_m, street_row = segment_distance_m(named, x, y)
    in_parish = parish_of(parish, np.round(lon, 6), np.round(lat, 6))
    area = places.nearest(x, y)
    rows = []
    dropped = {"outside the parishes": 0, f"farther than {MAX_SNAP_M:.0f} m from the roads": 0}
    for i in range(len(pois)):
        if not in_parish[i]:
            dropped["outside the parishes"] += 1
            continue
        if snap_m[i] >= MAX_SNAP_M:
            dropped[f"farther than {MAX_SNAP_M:.0f} m from the roads"] += 1
            continue
        tags = _tags(pois["tags"].iat[i])
        category = _osm_category(_text(pois["amenity"].iat[i]), _text(pois["shop"].iat[i]))
        street = _text(pois["addr:street"].iat[i])
        number = _text(pois["addr:housenumber"].iat[i])
        if not street and street_m[i] < ADDRESS_RADIUS_M:
            street = _text(named["name"].iat[street_row[i]])
        address = f"{street} {number}" if street and number else street
        address = f"{address}, {in_parish[i]}" if address else in_parish[i]
        name = _text(pois["name"].iat[i]) or _fallback_name(category, street)
        hours = parse_weekday_hours(tags.get("opening_hours")) or default_hours(category)
        rows.append(
            {
                "name": name,
                "lat": round(float(lat[i]), 6),
                "lon": round(float(lon[i]), 6),
                "address": address,
                "opens": hours[0],
                "closes": hours[1],
                "category": category,
                "area": area[i],
                "parish": in_parish[i],
                "source": "osm",
                "osm_id": f"{pois['osm_type'].iat[i]}/{int(pois['id'].iat[i])}",
                "_sort": (str(pois["osm_type"].iat[i]), int(pois["id"].iat[i])),
            }
        )
    frame = pd.DataFrame(rows).sort_values("_sort", kind="stable").drop(columns="_sort")
    return frame.reset_index(drop=True), dropped


def town_streets(
    segments: pd.DataFrame, parish: dict[str, BaseGeometry], places: Places
) -> pd.DataFrame:
    """Candidate street segments for synthetic accounts, with their length, parish and street.

    ``street`` is the way's own name, else the nearest named way within 150 m, else ''.
    """
    mid_x = 0.5 * (segments["x0"] + segments["x1"]).to_numpy()
    mid_y = 0.5 * (segments["y0"] + segments["y1"]).to_numpy()
    length = np.hypot(
        (segments["x1"] - segments["x0"]).to_numpy(), (segments["y1"] - segments["y0"]).to_numpy()
    )
    tree = cKDTree(np.column_stack([mid_x, mid_y]))
    neighbours = tree.query_ball_point(np.column_stack([mid_x, mid_y]), TOWN_RADIUS_M)
    density = np.array([length[idx].sum() for idx in neighbours])
    name = segments["name"].map(_text)
    flag = segments["tunnel"].map(_text).str.lower().isin({"yes", "true", "1", "building_passage"})
    flag |= segments["bridge"].map(_text).str.lower().isin({"yes", "true", "1", "viaduct"})
    ok = (
        segments["highway"].isin(STREET_CLASSES).to_numpy()
        & ~name.str.match(NOT_A_STREET).to_numpy()
        & ~flag.to_numpy()
        & (density >= TOWN_DENSITY_M)
        & places.near_any(mid_x, mid_y)
        & (length >= 5.0)
    )
    named = segments[(name != "") & ~name.str.match(NOT_A_STREET)].reset_index(drop=True)
    street_m, street_row = segment_distance_m(named, mid_x, mid_y)
    nearest_name = named["name"].map(_text).to_numpy()[street_row]
    street = np.where(name != "", name, np.where(street_m < 150.0, nearest_name, ""))
    streets = segments.loc[ok].copy()
    streets["length_m"] = length[ok]
    streets["density_m"] = density[ok]
    streets["weight"] = length[ok] * density[ok] / 1000.0
    streets["street"] = street[ok]
    mid_lon = 0.5 * (streets["lon0"] + streets["lon1"]).to_numpy()
    mid_lat = 0.5 * (streets["lat0"] + streets["lat1"]).to_numpy()
    streets["parish"] = parish_of(parish, mid_lon, mid_lat)
    return streets[streets["parish"] != ""].reset_index(drop=True)


def allocate(weights: dict[str, float], total: int) -> dict[str, int]:
    """Integer shares of ``total`` proportional to ``weights`` (largest remainder)."""
    names = list(weights)
    w = np.array([weights[n] for n in names], dtype=float)
    exact = w / w.sum() * total
    count = np.floor(exact).astype(int)
    order = np.argsort(-(exact - count), kind="stable")
    count[order[: total - int(count.sum())]] += 1
    return dict(zip(names, (int(c) for c in count), strict=True))


def synthetic_accounts(
    rng: np.random.Generator,
    n: int,
    streets: pd.DataFrame,
    parish: dict[str, BaseGeometry],
    places: Places,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Seeded accounts on town streets, per parish in proportion to street length."""
    weight_by_parish = streets.groupby("parish", sort=True)["weight"].sum().to_dict()
    quota = allocate({p: weight_by_parish.get(p, 0.0) for p in PARISH_ORDER}, n)
    cats = [c for c, _, _, _ in SYNTH_CATEGORIES]
    p_cat = np.array([w for _, _, w, _ in SYNTH_CATEGORIES])
    p_cat = p_cat / p_cat.sum()
    seen: dict[str, int] = {}
    rows = []
    for name_of_parish in PARISH_ORDER:
        mine = streets[streets["parish"] == name_of_parish].reset_index(drop=True)
        if quota[name_of_parish] == 0:
            continue
        prob = mine["weight"].to_numpy() / mine["weight"].sum()
        made = 0
        while made < quota[name_of_parish]:
            seg = mine.iloc[int(rng.choice(len(mine), p=prob))]
            t = rng.uniform(0.0, 1.0)
            side = 1.0 if rng.random() < 0.5 else -1.0
            setback = rng.uniform(*SETBACK_M)
            dx, dy = seg["x1"] - seg["x0"], seg["y1"] - seg["y0"]
            norm = math.hypot(dx, dy)
            px = seg["x0"] + t * dx - side * dy / norm * setback
            py = seg["y0"] + t * dy + side * dx / norm * setback
            lonlat = gpd.GeoSeries(gpd.points_from_xy([px], [py]), crs=METRIC_CRS).to_crs(
                "EPSG:4326"
            )
            lon = round(float(lonlat.x.iat[0]), 6)
            lat = round(float(lonlat.y.iat[0]), 6)
            if parish_of(parish, np.array([lon]), np.array([lat]))[0] != name_of_parish:
                continue  # set back across a parish border: draw again
            category = cats[int(rng.choice(len(cats), p=p_cat))]
            area = places.nearest(np.array([px]), np.array([py]))[0]
            base = f"{CATEGORY_WORD[category]} {area}"
            seen[base] = seen.get(base, 0) + 1
            label = base if seen[base] == 1 else f"{base} {seen[base]}"
            if rng.random() < 0.1:
                opens, closes = "", ""  # unknown hours: the planner treats the day as open
            else:
                opens, closes = default_hours(category)
            rows.append(
                {
                    "name": label,
                    "lat": lat,
                    "lon": lon,
                    "address": f"{seg['street'] or area}, {name_of_parish}",
                    "opens": opens,
                    "closes": closes,
                    "category": category,
                    "area": area,
                    "parish": name_of_parish,
                    "source": "synthetic",
                    "osm_id": "",
                }
            )
            made += 1
    return pd.DataFrame(rows), quota


# --------------------------------------------------------------------------- sales


def add_sales(rng: np.random.Generator, accounts: pd.DataFrame) -> pd.DataFrame:
    """Add revenue, margin, orders_per_year and potential (as ``make_demo_data.add_sales``)."""
    from scipy import stats  # imported here: slow to import, only needed for the draws

    out = accounts.copy()
    n = len(out)
    z = rng.standard_normal(n)
    factor = out["category"].map(REVENUE_FACTOR).fillna(1.0).to_numpy()
    revenue = np.exp(math.log(22_000) + 1.3 * z) * factor
    revenue = np.maximum(np.round(revenue, -1), 500.0)

    u = stats.norm.cdf(-0.3 * z + math.sqrt(1 - 0.09) * rng.standard_normal(n))
    margin = 0.05 + 0.55 * stats.beta.ppf(u, 2.5, 3.5)

    order_value = 400.0 * (revenue / 10_000) ** 0.6 * np.exp(rng.normal(0.0, 0.35, n))
    orders = np.clip(np.round(revenue / order_value), 1, 260).astype(int)

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


def workload_minutes(accounts: pd.DataFrame) -> np.ndarray:
    """Estimated weekly minutes of each account (default tiers), as ``make_demo_data``.

    Visits per week × (service minutes + travel estimate); the travel estimate is the
    distance to the 5th nearest account × 1.6 (mountain roads) at 35 km/h, at most 25 min.
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
    x, y = _metric(accounts["lon"].to_numpy(), accounts["lat"].to_numpy())
    dist, _ = cKDTree(np.column_stack([x, y])).query(np.column_stack([x, y]), k=6)
    travel = np.minimum(dist[:, 5] / 1000 * 1.6 / 35.0 * 60.0, 25.0)
    return visits * (service + travel)


# --------------------------------------------------------------------------- reps


def place_reps(segments: pd.DataFrame, places: Places) -> pd.DataFrame:
    """One rep per zone, living on the residential street nearest their home town's centre."""
    centres = places.centres
    residential = segments[segments["highway"].isin({"residential", "living_street"})]
    residential = residential.reset_index(drop=True)
    rows = []
    for k, (zone, _, _, town) in enumerate(ZONES):
        x, y = _metric(np.array([centres[town][0]]), np.array([centres[town][1]]))
        _, row = segment_distance_m(residential, x, y)
        seg = residential.iloc[int(row[0])]
        rows.append(
            {
                "rep_id": f"R{k + 1}",
                "name": REP_NAMES[k],
                "home_lat": round(0.5 * (seg["lat0"] + seg["lat1"]), 6),
                "home_lon": round(0.5 * (seg["lon0"] + seg["lon1"]), 6),
                "zone": zone,
                "day_start": "08:00",
                "day_end": "17:00",
                "lunch_start": "12:00",
                "lunch_min": 30,
                "workdays": "Mon Tue Wed Thu Fri",
                "max_visits_per_day": 12,
            }
        )
    return pd.DataFrame(rows)


def zones_geojson(polygons: list[BaseGeometry]) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the zones (coordinates rounded to 6 decimals)."""
    features = []
    for k, ((zone, name, parishes, _), poly) in enumerate(zip(ZONES, polygons, strict=True)):
        geometry = json.loads(json.dumps(mapping(poly)), parse_float=lambda s: round(float(s), 6))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "zone": zone,
                    "rep_id": f"R{k + 1}",
                    "name": name,
                    "parishes": " + ".join(parishes),
                },
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- configuration

TOML_TEMPLATE = """\
# routeplan.toml — configuration of the Andorra road-mode demo (written by
# scripts/make_andorra_data.py; edit the script, not this file, to keep it reproducible).
# Every key has a default (see src/routeplan/config.py); unknown keys are an error.
# Times are HH:MM, dates are ISO (YYYY-MM-DD).

[cycle]
weeks = {weeks}                        # length of the planning cycle
start_date = {start}           # must be a Monday
# Andorra's public holidays of 2027 (source: the `holidays` package 0.109, country "AD");
# no visits are planned on them. Days outside the cycle or on a weekend change nothing.
holidays = [
{holidays}
]
timezone = "Europe/Andorra"

[ui]
language = "es"                   # maps, report, calendars and the CLI in Spanish (en, es, pt-BR)

[tiers]
rule = "shares"                   # "shares" (Pareto/ABC) or "matrix" (volume x margin)
scope = "company"                 # rank accounts company-wide ("company") or within each zone
order = ["AAA", "AA", "A", "B"]   # tiers, highest priority first
score = {{ revenue = 1.0 }}         # ranking score: weighted sum of client columns
hysteresis = 0.0                  # 0.1 keeps a tier unless the account moves 10 % past a cut

[tiers.shares]
basis = "accounts"                # shares of accounts ("accounts") or of revenue ("revenue")
shares = {{ AAA = 0.01, AA = 0.03, A = 0.15 }}  # the last tier (B) takes the rest

[tiers.potential]
enabled = true                    # promote accounts with large untapped potential
column = "potential"
min_ratio = 3.0                   # potential >= 3 x revenue ...
promote_steps = 1                 # ... moves the account up one tier

# Visit cadence per tier: visits_per_week (weekly tiers) or every_weeks (>= 2) with slack.
[cadence.AAA]
visits_per_week = 2
service_min = 60
min_gap_days = 2                  # at least two days between the two weekly visits

[cadence.AA]
visits_per_week = 1
service_min = 45

[cadence.A]
every_weeks = 4
slack_weeks = 1                   # may move one week earlier or later
service_min = 30

[cadence.B]
every_weeks = 12
slack_weeks = 2
service_min = 20

# Default working day; reps.csv can override each field per rep.
[workday]
day_start = "08:00"
day_end = "17:00"
lunch_start = "12:00"
lunch_min = 30
workdays = ["Mon", "Tue", "Wed", "Thu", "Fri"]
max_visits_per_day = 12
overtime_max_min = 0

[travel]
mode = "osm"                      # drive on the OSM road graph (one-way streets, road classes)
# The whole of Andorra, 2013 (© OpenStreetMap contributors, ODbL). A relative path is looked
# up next to this file first, then from the current directory.
osm_file = "../osm/andorra.osm.pbf"
snap_warn_m = 250.0               # report accounts farther than this from any road
# Used only with mode = "haversine" (straight line x circuity at an average speed):
speed_kmh = 35.0
circuity = 1.6                    # mountain valleys: roads wind more than in a city grid

# Road speeds where a way has no maxspeed (most of Andorra's network): the OSRM car defaults
# are too fast for mountain roads. These fit two reference drives on this graph: Andorra la
# Vella - Pas de la Casa (33 km) about 43 min, Andorra la Vella - Ordino about 15 min.
[travel.speeds]
maxspeed_factor = 0.7             # share of a posted limit driven on average

[travel.speeds.classes]           # km/h by highway class where a way has no maxspeed
primary = 45.0
primary_link = 25.0
secondary = 35.0
secondary_link = 20.0
tertiary = 30.0
unclassified = 20.0
residential = 20.0

[solver]
seconds_per_rep_week = 2.0        # OR-Tools time limit for each rep-week
workers = 0                       # 0 = one process per core
seed = 0
"""


def routeplan_toml() -> str:
    """Text of ``routeplan.toml``, checked against ``routeplan.config``."""
    holidays = "\n".join(f"  {day.isoformat()},  # {name}" for day, name in HOLIDAYS_2027)
    text = TOML_TEMPLATE.format(weeks=CYCLE_WEEKS, start=CYCLE_START.isoformat(), holidays=holidays)
    import tomllib

    from routeplan.config import settings_from_dict

    settings_from_dict(tomllib.loads(text), source="generated routeplan.toml")
    return text


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
    "parish",
    "source",
    "osm_id",
]


def build(osm_path: Path, seed: int) -> dict[str, Any]:
    """Build clients, reps, zones and the configuration from the extract and the seed."""
    rng = np.random.default_rng(seed)
    osm = read_osm(osm_path)
    segments = strong_component_edges(osm["nodes"], osm["edges"])
    parish = parish_polygons(osm["parishes"], segments)
    places = Places(osm["places"])
    real, dropped = real_accounts(osm["pois"], segments, parish, places)
    streets = town_streets(segments, parish, places)
    synth, quota = synthetic_accounts(rng, N_ACCOUNTS - len(real), streets, parish, places)
    accounts = pd.concat([real, synth], ignore_index=True)
    accounts = add_sales(rng, accounts)
    accounts.insert(0, "client_id", [f"C{i + 1:04d}" for i in range(len(accounts))])
    for column in ("tier", "zone", "service_min"):
        accounts[column] = ""

    # every account within snapping distance of the strongly connected roads, in one zone
    x, y = _metric(accounts["lon"].to_numpy(), accounts["lat"].to_numpy())
    snap_m, _ = segment_distance_m(segments, x, y)
    if (snap_m >= MAX_SNAP_M).any():
        msg = f"{int((snap_m >= MAX_SNAP_M).sum())} accounts farther than {MAX_SNAP_M} m"
        raise RuntimeError(msg)
    polygons = zone_polygons(parish)
    points = shapely.points(accounts["lon"].to_numpy(), accounts["lat"].to_numpy())
    inside = np.array([shapely.contains(poly, points) for poly in polygons])
    if not (inside.sum(axis=0) == 1).all():
        msg = "an account lies on a zone border or outside every zone"
        raise RuntimeError(msg)
    zone_of = inside.argmax(axis=0)
    reps = place_reps(segments, places)
    w = workload_minutes(accounts)
    return {
        "clients": accounts[CLIENT_COLUMNS],
        "reps": reps,
        "zones": zones_geojson(polygons),
        "toml": routeplan_toml(),
        "stats": {
            "dropped": dropped,
            "quota": quota,
            "zone_of": zone_of,
            "workload_h": [float(w[zone_of == k].sum() / 60) for k in range(len(ZONES))],
            "snap_m": snap_m,
            "scc": (segments.attrs["scc_nodes"], segments.attrs["all_nodes"]),
            "street_km": streets.groupby("parish")["length_m"].sum().div(1000).round(1).to_dict(),
            "parish_km2": {
                p: round(
                    float(gpd.GeoSeries([g], crs="EPSG:4326").to_crs(METRIC_CRS).area.iat[0] / 1e6),
                    1,
                )
                for p, g in parish.items()
            },
        },
    }


def write(out: Path, built: dict[str, Any]) -> None:
    """Write clients.csv, reps.csv, zones.geojson and routeplan.toml into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    built["clients"].to_csv(out / "clients.csv", index=False, lineterminator="\n")
    built["reps"].to_csv(out / "reps.csv", index=False, lineterminator="\n")
    text = json.dumps(built["zones"], ensure_ascii=False, separators=(",", ":"))
    (out / "zones.geojson").write_text(text + "\n", encoding="utf-8")
    (out / "routeplan.toml").write_text(built["toml"], encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11, help="random seed (default 11)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--osm", type=Path, default=DEFAULT_OSM, help="OSM .pbf extract")
    parser.add_argument("--verbose", action="store_true", help="print counts per parish and zone")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    built = build(args.osm, args.seed)
    write(args.out, built)
    clients, stats = built["clients"], built["stats"]
    real = int((clients["source"] == "osm").sum())
    print(
        f"wrote {len(clients)} clients ({real} real OSM POIs, {len(clients) - real} synthetic), "
        f"{len(built['reps'])} reps, {len(built['zones']['features'])} zones to {args.out} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    if args.verbose:
        print("left out:", stats["dropped"])
        print("strongly connected nodes:", stats["scc"])
        print("parish km2:", stats["parish_km2"])
        print("town street km:", stats["street_km"])
        print(pd.crosstab(clients["parish"], clients["source"], margins=True))
        for k, (zone, name, _, _) in enumerate(ZONES):
            n = int((stats["zone_of"] == k).sum())
            print(f"{zone} {name}: {n} accounts, ~{stats['workload_h'][k]:.1f} h/week (estimate)")
        snap = stats["snap_m"]
        print(f"snap distance m: median {np.median(snap):.1f}, max {snap.max():.1f}")


if __name__ == "__main__":
    main()
