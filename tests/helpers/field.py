"""A tiny world with week 1 built, its people, and signed-in clients of the field app."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from helpers.world import tiny_clients, write_world

TODAY = dt.date(2027, 1, 4)
"""The Monday of week 1 of the tiny world: both reps have a route that day."""
WEEK = 1
MANAGER_Z1 = "Mia"
MANAGER_ALL = "Boss"


def build_world(folder: Path, *, service_min: int | None = None) -> Path:
    """Write the tiny world and build week 1 into its plan store.

    ``service_min`` gives every visit that length (e.g. 60: Monday runs through lunch).
    """
    from routeplan.jobs.build import run_build
    from routeplan.planning.prepare import DataSource

    clients = tiny_clients()
    if service_min is not None:
        clients["service_min"] = service_min
    data = write_world(folder / "data", clients)
    with (data / "routeplan.toml").open("a", encoding="utf-8") as toml:
        # few visits a week: compact days give Monday a route of several stops to work with
        # (without day areas, which would spread the few visits over their areas' days)
        toml.write('\n[workday]\nshape = "compact"\nday_areas = false\n')
    run_build(DataSource(data), WEEK, out_dir=folder / "out", maps_dir=folder / "maps", workers=1)
    return data


def copy_world(built: Path, target: Path) -> Path:
    """A private copy of a built data folder (its plan store included)."""
    shutil.copytree(built, target)
    return target


def add_people(data: Path) -> None:
    """Reps R1 and R2, manager Mia of zone Z1 and manager Boss of every zone."""
    from routeplan.jobs.serve import add_manager, add_rep
    from routeplan.planning.prepare import DataSource

    source = DataSource(data)
    add_rep(source, "R1")
    add_rep(source, "R2")
    add_manager(source, MANAGER_Z1, ("Z1",))
    add_manager(source, MANAGER_ALL, ())


def link_token(data: Path, person_id: str, *, hours: float = 1.0) -> str:
    """The token of a fresh one-time sign-in link."""
    from routeplan.jobs.serve import sign_in_link
    from routeplan.planning.prepare import DataSource

    url = sign_in_link(DataSource(data), person_id, base_url="https://x", hours=hours).url
    return url.split("token=", 1)[1]


def api_token(data: Path, person_id: str) -> str:
    """A Bearer token of a person."""
    from routeplan.jobs.serve import api_token as make
    from routeplan.planning.prepare import DataSource

    return make(DataSource(data), person_id, days=1)


SIGNIN_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Session:
    """A browser-like client signed in by link: cookie jar plus the session's CSRF token."""

    client: object  # fastapi.testclient.TestClient
    csrf: str

    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf}


def sign_in(client: object, token: str) -> Session:
    """Open the link page, press the button, and read the CSRF token from /api/v1/me."""
    page = client.get(f"/signin?token={token}")  # type: ignore[attr-defined]
    assert page.status_code == 200, page.text
    csrf = SIGNIN_CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    done = client.post(  # type: ignore[attr-defined]
        "/signin", data={"token": token, "csrf_token": csrf}, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    me = client.get("/api/v1/me")  # type: ignore[attr-defined]
    assert me.status_code == 200, me.text
    return Session(client, me.json()["csrf_token"])
