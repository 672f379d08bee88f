"""A tiny synthetic world written to files, as a planner would have it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo"

# Two square zones side by side near Helsinki; one rep each.
ZONES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"zone": zone},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[x0, 60.15], [x0 + 0.1, 60.15], [x0 + 0.1, 60.25], [x0, 60.25], [x0, 60.15]]
                ],
            },
        }
        for zone, x0 in (("Z1", 24.8), ("Z2", 24.9))
    ],
}


def tiny_clients() -> pd.DataFrame:
    rows = []
    for i in range(40):
        zone_x = 24.8 if i % 2 == 0 else 24.9
        rows.append(
            {
                "client_id": f"C{i:03d}",
                "name": f"Client {i}",
                "lat": 60.16 + (i % 8) * 0.01,
                "lon": zone_x + 0.01 + (i // 8) * 0.015,
                "address": f"Katu {i}",
                "revenue": 1000.0 * (40 - i) ** 2,
                "margin": 0.2 + (i % 5) * 0.05,
                "orders_per_year": 4 + i % 10,
                "potential": 1000.0 * (40 - i) ** 2 * 1.5,
                "tier": "",
                "zone": "",
                "opens": "08:00" if i % 3 else "",
                "closes": "18:00" if i % 3 else "",
                "service_min": "",
            }
        )
    return pd.DataFrame(rows)


def tiny_reps() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "rep_id": "R1",
                "name": "Aino",
                "home_lat": 60.2,
                "home_lon": 24.85,
                "zone": "Z1",
                "day_start": "08:00",
                "day_end": "17:00",
                "lunch_start": "12:00",
                "lunch_min": 30,
                "workdays": "Mon Tue Wed Thu Fri",
                "max_visits_per_day": 10,
            },
            {
                "rep_id": "R2",
                "name": "Eero",
                "home_lat": 60.2,
                "home_lon": 24.95,
                "zone": "Z2",
                "day_start": "08:00",
                "day_end": "17:00",
                "lunch_start": "12:00",
                "lunch_min": 30,
                "workdays": "Mon Tue Wed Thu Fri",
                "max_visits_per_day": 10,
            },
        ]
    )


TOML = """
[cycle]
weeks = 4
start_date = 2027-01-04

[cadence.A]
every_weeks = 2
slack_weeks = 0

[cadence.B]
every_weeks = 4
slack_weeks = 1

[solver]
seconds_per_rep_week = 0.5
workers = 1
"""


def write_world(
    folder: Path, clients: pd.DataFrame | None = None, reps: pd.DataFrame | None = None
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (clients if clients is not None else tiny_clients()).to_csv(folder / "clients.csv", index=False)
    (reps if reps is not None else tiny_reps()).to_csv(folder / "reps.csv", index=False)
    (folder / "zones.geojson").write_text(json.dumps(ZONES))
    (folder / "routeplan.toml").write_text(TOML)
    return folder
