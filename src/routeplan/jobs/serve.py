"""Jobs of the field app: build the app of a data folder, manage people and sign-in links."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from routeplan.errors import RouteplanError
from routeplan.i18n import _
from routeplan.maps.assets import find_node_modules
from routeplan.planning.people import Person, add_person, issue_token, list_people, revoke_person
from routeplan.planning.prepare import DataSource, Prepared, prepare_source
from routeplan.planning.store import PlanStore
from routeplan.serve.app import create_app
from routeplan.serve.options import ServeOptions


def prepared_inputs(source: DataSource) -> Prepared:
    """Inputs tiered against the last build's tiering, as ``build`` sees them (no setup checks)."""
    return prepare_source(source, checks=False)  # setup checks only warn; nothing here shows them


def leaflet_folder() -> Path | None:
    """Leaflet's ``dist`` folder of the local npm packages the offline maps use, or None."""
    node_modules = find_node_modules()
    if node_modules is None:
        return None
    folder = node_modules / "leaflet" / "dist"
    return folder if (folder / "leaflet.js").is_file() else None


def field_app(source: DataSource, options: ServeOptions) -> FastAPI:
    """The field app over a data folder's inputs and plan store.

    Leaflet is served from the local npm packages (:func:`leaflet_folder`) unless the
    options name a folder.
    """
    if options.leaflet_dir is None:
        options = dataclasses.replace(options, leaflet_dir=leaflet_folder())
    return create_app(prepared_inputs(source), source.store_file, options=options)


def add_rep(source: DataSource, rep_id: str) -> Person:
    """Give a rep of reps.csv access (their name from the file).

    Raises
    ------
    RouteplanError
        The rep is not in reps.csv.

    """
    reps = prepared_inputs(source).reps
    known = reps.set_index("rep_id")
    if rep_id not in known.index:
        raise RouteplanError(
            _("rep '{rep}' is not in the reps file", rep=rep_id),
            hint=_("known reps: {reps}", reps=", ".join(map(str, known.index[:20]))),
        )
    with PlanStore(source.store_file) as store:
        return add_person(
            store, rep_id, role="rep", name=str(known.loc[rep_id, "name"]), rep_id=rep_id
        )


def add_manager(source: DataSource, name: str, zones: tuple[str, ...]) -> Person:
    """Give a manager access to the reps of ``zones`` (none: every zone).

    Raises
    ------
    RouteplanError
        A zone no rep works in.

    """
    reps = prepared_inputs(source).reps
    unknown = sorted(set(zones) - set(reps["zone"].astype(str)))
    if unknown:
        zones_of_reps = reps["zone"].astype(str)
        raise RouteplanError(
            _("unknown zone(s) {zones}", zones=", ".join(unknown)),
            hint=_("zones of reps.csv: {zones}", zones=", ".join(sorted(set(zones_of_reps)))),
        )
    with PlanStore(source.store_file) as store:
        return add_person(store, name, role="manager", name=name, zones=zones)


@dataclass(frozen=True)
class SignInLink:
    """A printed sign-in link and when it stops working."""

    url: str
    expires_at: dt.datetime


def sign_in_link(source: DataSource, person_id: str, *, base_url: str, hours: float) -> SignInLink:
    """A one-time sign-in URL for a person, valid ``hours``."""
    ttl = dt.timedelta(hours=hours)
    with PlanStore(source.store_file) as store:
        token, _csrf = issue_token(store, person_id, kind="link", ttl=ttl)
    return SignInLink(f"{base_url.rstrip('/')}/signin?token={token}", dt.datetime.now(dt.UTC) + ttl)


def api_token(source: DataSource, person_id: str, *, days: int) -> str:
    """A Bearer token for the JSON API (shown once; stored hashed)."""
    with PlanStore(source.store_file) as store:
        token, _csrf = issue_token(store, person_id, kind="api", ttl=dt.timedelta(days=days))
    return token


def revoke(source: DataSource, person_id: str) -> int:
    """Revoke a person and all their tokens; the number of tokens ended."""
    with PlanStore(source.store_file) as store:
        return revoke_person(store, person_id)


def people(source: DataSource) -> list[tuple[Person, bool]]:
    """Everyone with access, and whether they are revoked."""
    with PlanStore(source.store_file) as store:
        return list_people(store)
