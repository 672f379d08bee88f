"""People of the field app and their tokens, kept in the plan store (schema 2).

A *person* is a rep (``role = rep``, tied to a ``rep_id`` of reps.csv) or a manager (``role =
manager``, with the zones they watch, none = all). A person signs in with tokens:

- ``link``: one-time sign-in token printed by ``routeplan access link``; expires, and is used
  up by the first sign-in;
- ``session``: the cookie of a signed-in browser, with its CSRF token;
- ``api``: a Bearer token for the JSON API.

Only the SHA-256 of a token is stored: tokens are 256 random bits, so a fast hash is enough
and a copy of the store lets no one sign in. Revoking a person ends every token at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from routeplan.errors import RouteplanError
from routeplan.i18n import _
from routeplan.planning.store import PlanStore

TOKEN_KINDS = ("link", "session", "api")
"""Kinds of tokens a person can hold."""


@dataclass(frozen=True)
class Person:
    """Someone who may use the field app.

    ``zones`` is empty for a manager of every zone (and for reps, who see their own plan).
    """

    person_id: str
    role: str
    name: str
    rep_id: str | None = None
    zones: tuple[str, ...] = ()

    @property
    def is_manager(self) -> bool:
        """True for a manager."""
        return self.role == "manager"


@dataclass(frozen=True)
class Grant:
    """A valid token: who holds it, its kind and (for sessions) its CSRF token."""

    person: Person
    kind: str
    csrf: str | None


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a token, the only form the store keeps."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def add_person(
    store: PlanStore,
    person_id: str,
    *,
    role: str,
    name: str,
    rep_id: str | None = None,
    zones: tuple[str, ...] = (),
) -> Person:
    """Add a person, or update their name, rep and zones and lift a revocation.

    Raises
    ------
    RouteplanError
        Empty id or an unknown role.

    """
    if not person_id.strip():
        raise RouteplanError(
            _("a person needs a non-empty id"), hint=_("e.g. routeplan access add-rep R1")
        )
    if role not in ("rep", "manager"):
        raise RouteplanError(_("unknown role '{role}'", role=role), hint=_("use rep or manager"))
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO people (person_id, role, rep_id, name, zones, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET role = "
            "excluded.role, rep_id = excluded.rep_id, name = excluded.name, "
            "zones = excluded.zones, revoked_at = NULL",
            (person_id, role, rep_id, name, ",".join(zones), _iso(_now())),
        )
    return Person(person_id, role, name, rep_id, zones)


def _person(row: tuple) -> Person:
    person_id, role, name, rep_id, zones = row
    return Person(
        person_id=str(person_id),
        role=str(role),
        name=str(name),
        rep_id=None if rep_id is None else str(rep_id),
        zones=tuple(z for z in str(zones or "").split(",") if z),
    )


def get_person(store: PlanStore, person_id: str) -> Person | None:
    """The person (not revoked) of this id, or None."""
    rows = store.query(
        "SELECT person_id, role, name, rep_id, zones FROM people "
        "WHERE person_id = ? AND revoked_at IS NULL",
        (person_id,),
    )
    return _person(rows[0]) if rows else None


def list_people(store: PlanStore) -> list[tuple[Person, bool]]:
    """Every person with whether they are revoked, by id."""
    rows = store.query(
        "SELECT person_id, role, name, rep_id, zones, revoked_at FROM people ORDER BY person_id"
    )
    return [(_person(row[:5]), row[5] is not None) for row in rows]


def issue_token(
    store: PlanStore, person_id: str, *, kind: str, ttl: dt.timedelta
) -> tuple[str, str | None]:
    """Create a token for a person; returns the token (shown once) and its CSRF token.

    Raises
    ------
    RouteplanError
        Unknown or revoked person, or an unknown kind.

    """
    if kind not in TOKEN_KINDS:
        raise RouteplanError(
            _("unknown token kind '{kind}'", kind=kind),
            hint=_("use one of {choices}", choices=", ".join(TOKEN_KINDS)),
        )
    if get_person(store, person_id) is None:
        raise RouteplanError(
            _("no person '{person}' with access", person=person_id),
            hint=_("add them first: routeplan access add-rep R1 (or add-manager NAME)"),
        )
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24) if kind == "session" else None
    now = _now()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO tokens (token_hash, person_id, kind, csrf, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (hash_token(token), person_id, kind, csrf, _iso(now), _iso(now + ttl)),
        )
    return token, csrf


def check_token(store: PlanStore, token: str, *, kinds: tuple[str, ...]) -> Grant | None:
    """The grant of a valid token of one of ``kinds`` (unexpired, unused link, not revoked)."""
    rows = store.query(
        "SELECT p.person_id, p.role, p.name, p.rep_id, p.zones, t.kind, t.csrf, t.expires_at, "
        "t.used_at FROM tokens t JOIN people p USING (person_id) WHERE t.token_hash = ? "
        "AND t.revoked_at IS NULL AND p.revoked_at IS NULL",
        (hash_token(token),),
    )
    if not rows:
        return None
    *person, kind, csrf, expires_at, used_at = rows[0]
    if kind not in kinds or dt.datetime.fromisoformat(expires_at) <= _now():
        return None
    if kind == "link" and used_at is not None:
        return None
    return Grant(_person(tuple(person)), str(kind), csrf)


def redeem_link(store: PlanStore, token: str) -> Person | None:
    """Use up a one-time sign-in link; the person, or None if invalid, expired or used.

    The check and the marking happen in one transaction, so a link signs in once even when
    two requests race.
    """
    now = _iso(_now())
    with store.transaction() as conn:
        cur = conn.execute(
            "UPDATE tokens SET used_at = ? WHERE token_hash = ? AND kind = 'link' "
            "AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ? "
            "AND person_id IN (SELECT person_id FROM people WHERE revoked_at IS NULL)",
            (now, hash_token(token), now),
        )
        if cur.rowcount != 1:
            return None
        row = conn.execute(
            "SELECT p.person_id, p.role, p.name, p.rep_id, p.zones FROM tokens t "
            "JOIN people p USING (person_id) WHERE t.token_hash = ?",
            (hash_token(token),),
        ).fetchone()
    return _person(row)


def end_token(store: PlanStore, token: str) -> None:
    """Revoke one token (sign-out)."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
            (_iso(_now()), hash_token(token)),
        )


def revoke_person(store: PlanStore, person_id: str) -> int:
    """Revoke a person and every token they hold; the number of tokens ended.

    Raises
    ------
    RouteplanError
        No such person.

    """
    now = _iso(_now())
    with store.transaction() as conn:
        conn.execute(
            "UPDATE people SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL",
            (now, person_id),
        )
        known = conn.execute("SELECT 1 FROM people WHERE person_id = ?", (person_id,)).fetchone()
        if known is None:
            raise RouteplanError(
                _("no person '{person}'", person=person_id), hint=_("see routeplan access list")
            )
        ended = conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL",
            (now, person_id),
        )
    return max(ended.rowcount, 0)
