"""``GET /api/v1/weeks/{week}/summary`` and the managers' live page ``/live``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from routeplan.i18n import _
from routeplan.serve.pages import not_signed_in_page, render
from routeplan.serve.routers.stops import check_week, page_day, parse_date
from routeplan.serve.security import Principal, current_principal, require_manager, visible_reps
from routeplan.serve.state import FieldState, field_state
from routeplan.serve.summary import week_summary
from routeplan.serve.zones import progress_legend, zone_progress

router = APIRouter()


class CheckIn(BaseModel):
    """A check-in: when, where, at which client."""

    at: str
    client_id: str
    lat: float | None
    lon: float | None


class RepDayOut(BaseModel):
    """One rep's day."""

    rep_id: str
    name: str
    zone: str
    planned: int
    done: int
    missed: int
    remaining: int
    km_so_far: float
    km_day: float
    last_check_in: CheckIn | None
    compliance_pct: float | None
    compliance_by_tier: dict[str, float]


class SummaryOut(BaseModel):
    """Every visible rep's day."""

    week: int
    date: str
    reps: list[RepDayOut]


def _date_in_week(state: FieldState, week: int, date: str | None) -> str:
    if date is None:
        today = state.today()
        day = today if state.week_of(today) == week else state.settings.cycle.week_start(week)
        return day.isoformat()
    day = parse_date(date)
    if state.week_of(day) != week:
        raise HTTPException(
            status_code=422, detail=_("Date {date} is not in week {week}.", date=date, week=week)
        )
    return day.isoformat()


@router.get("/api/v1/weeks/{week}/summary", response_model=SummaryOut, tags=["summary"])
def summary(
    week: int,
    date: str | None = Query(default=None, max_length=10),
    principal: Principal = Depends(require_manager),
    state: FieldState = Depends(field_state),
) -> SummaryOut:
    """Per rep of the manager's zones: the day's done, missed, remaining, km, last check-in."""
    check_week(state, week)
    day = _date_in_week(state, week, date)
    data = week_summary(state, week, day, visible_reps(principal.person, state))
    return SummaryOut(**data)


@router.get("/api/v1/weeks/{week}/zones", tags=["summary"])
def zones(
    week: int,
    principal: Principal = Depends(require_manager),
    state: FieldState = Depends(field_state),
) -> dict[str, Any]:
    """The manager's zones as GeoJSON, each with the week's progress (managers only).

    A FeatureCollection; each feature's properties: ``zone``, ``reps``, ``planned`` (visits
    of the week's plan), ``done`` and ``missed`` (clients logged this week), ``progress_pct``
    (done / planned; null when nothing is planned) and the map's fill ``colour``.
    """
    check_week(state, week)
    return zone_progress(state, week, visible_reps(principal.person, state))


@router.get("/live", include_in_schema=False)
def live_page(
    request: Request,
    date: str | None = Query(default=None, max_length=10),
    state: FieldState = Depends(field_state),
) -> Response:
    """The managers' live page (refreshes itself)."""
    principal = current_principal(request, state)
    if principal is None:
        return not_signed_in_page(request)
    if not principal.person.is_manager:
        raise HTTPException(status_code=403, detail=_("Only managers may see this page."))
    day = page_day(state, date)
    week = state.week_of(day)
    data = (
        week_summary(state, week, day.isoformat(), visible_reps(principal.person, state))
        if week
        else None
    )
    return render(
        request,
        "live.html",
        person=principal.person,
        data=data,
        date=day.isoformat(),
        weekday=dt.date.isoformat(day),
        legend=progress_legend(_("No visits planned this week")),
        csrf=principal.csrf or "",
    )
