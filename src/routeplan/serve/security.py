"""Who is asking, and may they: sessions, Bearer tokens, CSRF and access rules.

A request is signed in by a session cookie (:data:`SESSION_COOKIE`, set by the sign-in page:
Secure, HttpOnly, SameSite=Lax) or by ``Authorization: Bearer <token>`` (an API token). A
request that changes something with a session cookie must also carry the session's CSRF token,
in the ``X-CSRF-Token`` header or the ``csrf_token`` form field; Bearer requests need none (a
browser never adds that header on its own). Failures: no or bad credentials → 401, a valid
person asking for someone else's plan or a manager page → 403, CSRF missing or wrong → 403.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request

from routeplan.i18n import _
from routeplan.planning.people import Grant, Person, check_token
from routeplan.serve.state import FieldState, field_state

SESSION_COOKIE = "rp_session"
"""Name of the session cookie."""
CSRF_HEADER = "X-CSRF-Token"
"""Header that carries the CSRF token of a session."""
CSRF_FIELD = "csrf_token"
"""Form field that carries the CSRF token (HTML forms)."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Principal:
    """A signed-in person and how they signed in (``session`` or ``api``)."""

    person: Person
    kind: str
    token: str
    csrf: str | None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_principal(request: Request, state: FieldState) -> Principal | None:
    """The signed-in person of a request, or None (no, expired or revoked credentials)."""
    bearer = _bearer(request)
    if bearer is not None:
        token, kinds = bearer, ("api",)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        token, kinds = cookie, ("session",)
    grant: Grant | None = state.locked(lambda store: check_token(store, token, kinds=kinds))
    if grant is None:
        return None
    return Principal(grant.person, grant.kind, token, grant.csrf)


class NotSignedIn(HTTPException):
    """401: no valid credentials."""

    def __init__(self) -> None:
        super().__init__(
            status_code=401,
            detail=_("Not signed in: open your sign-in link or send a Bearer token."),
            headers={"WWW-Authenticate": "Bearer"},
        )


def forbidden(detail: str) -> HTTPException:
    """403 with a one-line reason."""
    return HTTPException(status_code=403, detail=detail)


async def check_csrf(request: Request, principal: Principal) -> None:
    """Refuse (403) a session request that changes something without its CSRF token."""
    if request.method in SAFE_METHODS or principal.kind != "session":
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not principal.csrf or not secrets.compare_digest(sent, principal.csrf):
        raise forbidden(_("Missing or wrong CSRF token: reload the page and try again."))


async def require_principal(
    request: Request, state: FieldState = Depends(field_state)
) -> Principal:
    """FastAPI dependency: the signed-in person (401 if none), CSRF checked (403)."""
    principal = current_principal(request, state)
    if principal is None:
        raise NotSignedIn()
    await check_csrf(request, principal)
    return principal


async def require_manager(principal: Principal = Depends(require_principal)) -> Principal:
    """FastAPI dependency: a signed-in manager (403 for a rep)."""
    if not principal.person.is_manager:
        raise forbidden(_("Only managers may see this page."))
    return principal


def may_see_rep(person: Person, rep_id: str, state: FieldState) -> bool:
    """True when ``person`` may read and write the plan of ``rep_id``.

    A rep: only their own. A manager: reps of their zones, or every rep when they have none.
    """
    if not person.is_manager:
        return person.rep_id == rep_id
    zone = state.rep_zone(rep_id)
    return zone is not None and (not person.zones or zone in person.zones)


def require_rep_access(person: Person, rep_id: str, state: FieldState) -> None:
    """Raise 403 unless ``person`` may see ``rep_id`` (unknown reps too: nothing leaks)."""
    if not may_see_rep(person, rep_id, state):
        raise forbidden(_("You may not see the plan of rep {rep_id}.", rep_id=rep_id))


def visible_reps(person: Person, state: FieldState) -> list[str]:
    """Reps a person may see, in the reps file's order."""
    return [str(r) for r in state.reps.index if may_see_rep(person, str(r), state)]
