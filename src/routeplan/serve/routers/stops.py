"""A rep's planned stops: ``GET /api/v1/weeks/{week}/reps/{rep_id}/stops`` and the phone page."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from routeplan.i18n import _, format_date
from routeplan.serve.pages import not_signed_in_page, render
from routeplan.serve.security import (
    NotSignedIn,
    Principal,
    current_principal,
    require_principal,
    require_rep_access,
)
from routeplan.serve.state import FieldState, field_state
from routeplan.serve.views import rep_stops

router = APIRouter()


class StopOut(BaseModel):
    """One planned stop and what was logged for it."""

    date: str
    day: str
    seq: int
    client_id: str
    name: str
    tier: str
    lat: float
    lon: float
    address: str | None
    arrive: str
    start: str
    depart: str
    service_min: int | None
    km: float | None
    catch_up: bool
    reason: str | None
    break_start: str | None = Field(
        default=None, description="HH:MM: the lunch break before this stop (after it if last)"
    )
    break_end: str | None = None
    opens: str
    closes: str
    phone: str
    status: str
    outcome: str | None
    checked_in_at: str | None


class StopsOut(BaseModel):
    """The stops of one rep-week (or one day of it)."""

    week: int
    rep_id: str
    date: str | None
    stops: list[StopOut]


def check_week(state: FieldState, week: int) -> None:
    """404 for a week outside the cycle."""
    if not 1 <= week <= state.settings.cycle.weeks:
        raise HTTPException(
            status_code=404,
            detail=_(
                "Week {week} is outside the cycle (weeks 1-{weeks}).",
                week=week,
                weeks=state.settings.cycle.weeks,
            ),
        )


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD date, or 422 with a one-line reason."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise HTTPException(
            status_code=422, detail=_("Bad date '{date}': use YYYY-MM-DD.", date=text)
        ) from None


def page_day(state: FieldState, date: str | None) -> dt.date:
    """The day a page shows: ``date`` (YYYY-MM-DD, else 422) or, without one, today."""
    return parse_date(date) if date else state.today()


@router.get("/api/v1/weeks/{week}/reps/{rep_id}/stops", response_model=StopsOut, tags=["stops"])
def stops(
    week: int,
    rep_id: str,
    date: str | None = Query(default=None, max_length=10),
    principal: Principal = Depends(require_principal),
    state: FieldState = Depends(field_state),
) -> StopsOut:
    """The planned stops of a rep-week, in route order, with each stop's logged outcome."""
    require_rep_access(principal.person, rep_id, state)
    check_week(state, week)
    if date is not None:
        parse_date(date)
    items = rep_stops(state, week, rep_id, date)
    return StopsOut(week=week, rep_id=rep_id, date=date, stops=[StopOut(**s) for s in items])


def _page_data(state: FieldState, principal: Principal, day: dt.date) -> dict[str, Any]:
    rep_id = principal.person.rep_id or ""
    week = state.week_of(day)
    items = rep_stops(state, week, rep_id, day.isoformat()) if week else []
    rep = state.reps.loc[rep_id] if rep_id in state.reps.index else None
    home = [float(rep["home_lat"]), float(rep["home_lon"])] if rep is not None else None
    return {
        "rep_id": rep_id,
        "date": day.isoformat(),
        "date_label": format_date(day, "full"),
        "week": week,
        "stops": items,
        "home": home,
        "csrf": principal.csrf or "",
    }


@router.get("/today", include_in_schema=False)
def today_page(
    request: Request,
    date: str | None = Query(default=None, max_length=10),
    state: FieldState = Depends(field_state),
) -> Response:
    """The rep's phone page: today's route, the stop list and the actions per stop."""
    principal = current_principal(request, state)
    if principal is None:
        return not_signed_in_page(request)
    if principal.person.is_manager:
        raise HTTPException(status_code=403, detail=_("This page is for reps; see /live."))
    day = page_day(state, date)
    data = _page_data(state, principal, day)
    return render(
        request,
        "today.html",
        person=principal.person,
        data=data,
        data_json=json.dumps(data),
        csrf=principal.csrf or "",
    )


__all__ = ["NotSignedIn", "check_week", "page_day", "parse_date", "router"]
