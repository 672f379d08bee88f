"""Signing in and out: the link page, sessions, API tokens and ``GET /api/v1/me``."""

from __future__ import annotations

import datetime as dt
import secrets

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from routeplan.i18n import _
from routeplan.planning.people import Person, end_token, issue_token, redeem_link
from routeplan.serve.pages import not_signed_in_page, render
from routeplan.serve.ratelimit import attempt_keys, client_address
from routeplan.serve.security import (
    CSRF_FIELD,
    SESSION_COOKIE,
    Principal,
    current_principal,
    require_principal,
    visible_reps,
)
from routeplan.serve.state import FieldState, field_state

router = APIRouter()
SIGNIN_CSRF_COOKIE = "rp_signin_csrf"
CLEAR_SITE_DATA = '"cache", "storage"'
"""What sign-out tells the browser to forget (cookies are ended by the server)."""


class SignIn(BaseModel):
    """A one-time sign-in token, exchanged for an API token."""

    token: str = Field(min_length=10, max_length=200)


class TokenOut(BaseModel):
    """An API token for ``Authorization: Bearer``."""

    access_token: str
    token_type: str = "bearer"
    expires_in_s: int
    person_id: str
    role: str


class MeOut(BaseModel):
    """The signed-in person."""

    person_id: str
    name: str
    role: str
    rep_id: str | None
    zones: list[str]
    reps: list[str]
    today: str
    week: int | None
    csrf_token: str | None = Field(
        default=None, description="the session's CSRF token (sessions only; send as X-CSRF-Token)"
    )


def _attempt_allowed(request: Request, state: FieldState, token: str) -> bool:
    """Count a sign-in attempt against the client's address and the token tried."""
    address = client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        state.options.trusted_proxies,
    )
    return state.limiter.allow_all(attempt_keys(address, token))


def _limit(request: Request, state: FieldState, token: str) -> None:
    if not _attempt_allowed(request, state, token):
        raise HTTPException(status_code=429, detail=_("Too many sign-in attempts: wait and retry."))


@router.get("/signin", include_in_schema=False)
def signin_page(request: Request, token: str = "") -> Response:
    """The page a sign-in link opens: one button that signs in (the link is not used yet)."""
    csrf = secrets.token_urlsafe(24)
    response = render(request, "signin.html", token=token, csrf=csrf)
    response.set_cookie(
        SIGNIN_CSRF_COOKIE, csrf, max_age=900, httponly=True, samesite="strict",
        secure=request.app.state.field.options.secure_cookies,
    )  # fmt: skip
    return response


@router.post("/signin", include_in_schema=False)
def signin_submit(
    request: Request,
    token: str = Form(default="", max_length=200),
    csrf_token: str = Form(default="", alias=CSRF_FIELD, max_length=200),
    state: FieldState = Depends(field_state),
) -> Response:
    """Use up the link, start a session cookie and go to the person's page."""
    expected = request.cookies.get(SIGNIN_CSRF_COOKIE, "")
    if not csrf_token or not expected or not secrets.compare_digest(csrf_token, expected):
        raise HTTPException(status_code=403, detail=_("Missing or wrong CSRF token."))
    if not _attempt_allowed(request, state, token):
        return render(request, "message.html", status_code=429, message_key="signin_limited")
    person = state.locked(lambda store: redeem_link(store, token)) if token else None
    if person is None:
        return render(request, "message.html", status_code=401, message_key="signin_failed")
    ttl = dt.timedelta(days=state.options.session_days)
    session, _csrf = state.locked(
        lambda store: issue_token(store, person.person_id, kind="session", ttl=ttl)
    )
    target = "/live" if person.is_manager else "/today"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session, max_age=int(ttl.total_seconds()), httponly=True,
        samesite="lax", secure=state.options.secure_cookies, path="/",
    )  # fmt: skip
    response.delete_cookie(SIGNIN_CSRF_COOKIE)
    return response


@router.post("/signout", include_in_schema=False)
def signout(
    principal: Principal = Depends(require_principal), state: FieldState = Depends(field_state)
) -> Response:
    """End this session (or API token) and clear what the phone kept of this person.

    ``Clear-Site-Data`` empties the service worker's cache (the last ``/today`` page) and the
    page storage (the queue of unsent visits); the signed-out page clears both again by
    script for browsers without that header. The page asks before signing out with unsent
    visits (``field.js``).
    """
    state.locked(lambda store: end_token(store, principal.token))
    response = RedirectResponse("/signed-out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@router.get("/signed-out", include_in_schema=False)
def signed_out(request: Request) -> Response:
    """Where sign-out lands."""
    return render(request, "message.html", message_key="signed_out")


@router.get("/", include_in_schema=False)
def home(request: Request, state: FieldState = Depends(field_state)) -> Response:
    """The person's page: today's route for a rep, the live page for a manager."""
    principal = current_principal(request, state)
    if principal is None:
        return not_signed_in_page(request)
    return RedirectResponse("/live" if principal.person.is_manager else "/today", status_code=303)


@router.post("/api/v1/signin", response_model=TokenOut, tags=["access"])
def api_signin(
    body: SignIn, request: Request, state: FieldState = Depends(field_state)
) -> TokenOut:
    """Exchange a one-time sign-in token for an API token (rate limited)."""
    _limit(request, state, body.token)
    person: Person | None = state.locked(lambda store: redeem_link(store, body.token))
    if person is None:
        raise HTTPException(status_code=401, detail=_("Invalid, expired or used sign-in token."))
    ttl = dt.timedelta(days=state.options.session_days)
    token, _csrf = state.locked(
        lambda store: issue_token(store, person.person_id, kind="api", ttl=ttl)
    )
    return TokenOut(
        access_token=token,
        expires_in_s=int(ttl.total_seconds()),
        person_id=person.person_id,
        role=person.role,
    )


@router.get("/api/v1/me", response_model=MeOut, tags=["access"])
def me(
    principal: Principal = Depends(require_principal), state: FieldState = Depends(field_state)
) -> MeOut:
    """Who is signed in, the reps they may see, today and its cycle week."""
    person = principal.person
    today = state.today()
    return MeOut(
        person_id=person.person_id,
        name=person.name,
        role=person.role,
        rep_id=person.rep_id,
        zones=list(person.zones),
        reps=visible_reps(person, state),
        today=today.isoformat(),
        week=state.week_of(today),
        csrf_token=principal.csrf,
    )
