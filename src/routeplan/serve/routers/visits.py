"""``POST /api/v1/visits``: a check-in and outcome from the field, idempotent by key."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
from fastapi import APIRouter, Depends, Header, HTTPException, Response
from pydantic import BaseModel, ConfigDict, Field

from routeplan.i18n import _
from routeplan.planning.field_log import FieldVisit, record_field_visit
from routeplan.serve.routers.stops import parse_date
from routeplan.serve.security import Principal, forbidden, require_principal, require_rep_access
from routeplan.serve.state import FieldState, field_state
from routeplan.travel.haversine import haversine_m

router = APIRouter()

Outcome = Literal["done", "missed", "rescheduled", "closed"]


class VisitIn(BaseModel):
    """A visit as the phone reports it."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1, max_length=100)
    date: str = Field(min_length=10, max_length=10, description="YYYY-MM-DD")
    status: Outcome
    rep_id: str | None = Field(
        default=None, max_length=100, description="a manager records for this rep"
    )
    checked_in_at: dt.datetime | None = None
    checked_out_at: dt.datetime | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    note: str = Field(default="", max_length=1000)
    order_value: float | None = Field(default=None, ge=0, le=1e9)
    client_key: str | None = Field(
        default=None,
        min_length=8,
        max_length=100,
        description="idempotency key (or the Idempotency-Key header)",
    )


class VisitOut(BaseModel):
    """What was recorded."""

    visit_id: int
    client_id: str
    date: str
    status: str
    outcome: str
    new: bool
    replayed: bool
    distance_m: float | None


def _rep_of(body: VisitIn, principal: Principal, state: FieldState) -> str:
    person = principal.person
    rep_id = body.rep_id or person.rep_id
    if rep_id is None:
        raise HTTPException(status_code=422, detail=_("A manager must give the rep_id."))
    require_rep_access(person, rep_id, state)
    return rep_id


def _field_visit(body: VisitIn, rep_id: str, state: FieldState) -> tuple[FieldVisit, float | None]:
    day = parse_date(body.date)
    week = state.week_of(day)
    if week is None:
        raise HTTPException(
            status_code=422, detail=_("Date {date} is outside the cycle.", date=body.date)
        )
    facts = state.client_facts.get(body.client_id)
    if facts is None:
        raise HTTPException(
            status_code=422, detail=_("Unknown client '{client_id}'.", client_id=body.client_id)
        )
    client_rep, client_lat, client_lon = facts
    if client_rep != rep_id:
        raise forbidden(_("Client {client_id} is not in your plan.", client_id=body.client_id))
    if (body.lat is None) != (body.lon is None):
        raise HTTPException(status_code=422, detail=_("Give both lat and lon, or neither."))
    distance = None
    if body.lat is not None and body.lon is not None:
        here = np.array([body.lat, body.lon], dtype=float)
        there = np.array([client_lat, client_lon], dtype=float)
        distance = round(float(haversine_m(here[:1], here[1:], there[:1], there[1:])[0]), 1)
    visit = FieldVisit(
        client_id=body.client_id,
        rep_id=rep_id,
        date=day.isoformat(),
        week=week,
        outcome=body.status,
        note=body.note.strip(),
        checked_in_at=body.checked_in_at.isoformat() if body.checked_in_at else None,
        checked_out_at=body.checked_out_at.isoformat() if body.checked_out_at else None,
        lat=body.lat,
        lon=body.lon,
        distance_m=distance,
        order_value=body.order_value,
    )
    return visit, distance


@router.post("/api/v1/visits", response_model=VisitOut, status_code=201, tags=["visits"])
def post_visit(
    body: VisitIn,
    response: Response,
    idempotency_key: str | None = Header(default=None, max_length=100),
    principal: Principal = Depends(require_principal),
    state: FieldState = Depends(field_state),
) -> VisitOut:
    """Record a check-in and its outcome in the visit log (``source = field``).

    ``done`` is logged as done; ``missed``, ``rescheduled`` and ``closed`` as missed, so the
    next ``build`` plans a catch-up exactly as for a miss imported from a CRM. The same key
    (``client_key`` or the ``Idempotency-Key`` header) posted again returns the first answer
    with status 200 and writes nothing; the same key with other data is a 409.
    """
    key = body.client_key or idempotency_key
    if not key or len(key) < 8:
        raise HTTPException(
            status_code=422, detail=_("An idempotency key of 8 or more characters is needed.")
        )
    rep_id = _rep_of(body, principal, state)
    visit, distance = _field_visit(body, rep_id, state)
    pid = principal.person.person_id
    recorded = state.locked(lambda store: record_field_visit(store, visit, person_id=pid, key=key))
    if recorded.conflict:
        raise HTTPException(
            status_code=409, detail=_("This idempotency key was used for another visit.")
        )
    if recorded.replayed:
        response.status_code = 200
    data = dict(recorded.response)
    return VisitOut(
        visit_id=int(str(data["visit_id"])),
        client_id=str(data["client_id"]),
        date=str(data["date"]),
        status=str(data["status"]),
        outcome=str(data["outcome"]),
        new=bool(data["new"]),
        replayed=recorded.replayed,
        distance_m=distance,
    )
