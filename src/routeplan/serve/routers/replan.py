"""``POST /api/v1/weeks/{week}/reps/{rep_id}/replan``: re-plan the rest of today."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from routeplan.i18n import _
from routeplan.serve.routers.stops import check_week, parse_date
from routeplan.serve.security import Principal, require_principal, require_rep_access
from routeplan.serve.state import FieldState, field_state
from routeplan.timefmt import seconds_of

router = APIRouter()


class ReplanIn(BaseModel):
    """Where the rep is now and what time it is."""

    model_config = ConfigDict(extra="forbid")

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    time: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, local")
    date: str | None = Field(default=None, max_length=10, description="default: today")
    lunch_taken: bool = False


class ReplannedStop(BaseModel):
    """A remaining stop in its new place."""

    seq: int
    client_id: str
    name: str
    arrive: str
    start: str
    depart: str
    km: float


class DroppedStop(BaseModel):
    """A stop that cannot fit today: logged as missed, a catch-up in the next build."""

    client_id: str
    name: str
    reason: str = Field(description="reason code (stable English)")
    label: str = Field(description="the reason in the app's language")


class LunchOut(BaseModel):
    """The lunch break in the new order of the day (HH:MM, local)."""

    start: str
    end: str


class ReplanOut(BaseModel):
    """The new order of the rest of the day."""

    date: str
    status: str
    stops: list[ReplannedStop]
    dropped: list[DroppedStop]
    moved: list[str]
    end: str | None
    lunch: LunchOut | None = Field(
        default=None, description="the break, when it falls between now and coming home"
    )


@router.post("/api/v1/weeks/{week}/reps/{rep_id}/replan", response_model=ReplanOut, tags=["replan"])
def replan(
    week: int,
    rep_id: str,
    body: ReplanIn,
    principal: Principal = Depends(require_principal),
    state: FieldState = Depends(field_state),
) -> ReplanOut:
    """Re-solve the remaining stops of the day from the current position and time."""
    require_rep_access(principal.person, rep_id, state)
    check_week(state, week)
    day = parse_date(body.date) if body.date else state.today()
    if state.week_of(day) != week:
        raise HTTPException(
            status_code=422,
            detail=_("Date {date} is not in week {week}.", date=day.isoformat(), week=week),
        )
    from routeplan.serve.replan import DayPosition, replan_day  # OR-Tools: on first re-plan

    at = DayPosition(day, body.lat, body.lon, seconds_of(body.time), body.lunch_taken)
    result = replan_day(state, week, rep_id, at)
    return ReplanOut(
        date=day.isoformat(),
        status=result.status,
        stops=[ReplannedStop(**s) for s in result.stops],
        dropped=[DroppedStop(**d) for d in result.dropped],
        moved=result.moved,
        end=result.end,
        lunch=LunchOut(start=result.lunch[0], end=result.lunch[1]) if result.lunch else None,
    )
