"""Geocoding precision on the bundled Helsinki extract (the figures in data/README.md).

Takes the demo's real accounts (``source = osm``) that have an address, forgets their
coordinates, geocodes the addresses against ``data/osm/helsinki.osm.pbf`` and prints, per
match quality, the share of accounts and the median and 90th-percentile error in metres.

    .venv/bin/python scripts/geocode_precision.py
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from routeplan.intake.geocode import QUALITIES, geocode_one, load_index
from routeplan.travel.haversine import haversine_m

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    started = time.perf_counter()
    index = load_index(REPO / "data" / "osm" / "helsinki.osm.pbf")
    loaded = time.perf_counter() - started
    clients = pd.read_csv(REPO / "data" / "demo" / "clients.csv", dtype=str, keep_default_na=False)
    real = clients[(clients["source"] == "osm") & (clients["address"] != "")]
    started = time.perf_counter()
    matches = [geocode_one(address, index) for address in real["address"]]
    matched = time.perf_counter() - started
    quality = np.array([m.quality for m in matches])
    lat = np.array([np.nan if m.lat is None else m.lat for m in matches])
    lon = np.array([np.nan if m.lon is None else m.lon for m in matches])
    error = haversine_m(real["lat"].astype(float), real["lon"].astype(float), lat, lon)
    print(f"{len(real)} real accounts with an address; index {loaded:.1f} s, match {matched:.1f} s")
    print("quality   accounts  share  median_m  p90_m")
    for name in QUALITIES:
        mask = quality == name
        share = mask.mean()
        if name == "none" or not mask.any():
            print(f"{name:9} {mask.sum():8d} {share:6.1%}")
            continue
        print(
            f"{name:9} {mask.sum():8d} {share:6.1%} {np.median(error[mask]):9.0f}"
            f" {np.percentile(error[mask], 90):6.0f}"
        )
    placed = quality != "none"
    print(
        f"placed    {placed.sum():8d} {placed.mean():6.1%} {np.median(error[placed]):9.0f}"
        f" {np.percentile(error[placed], 90):6.0f}"
    )


if __name__ == "__main__":
    main()
