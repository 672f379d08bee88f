"""Why a visit is where it is: stable reason codes with named arguments, worded when shown.

The calendar and the planner never store a sentence. Each reason is a :class:`Reason`: a
stable English code (``every_n_weeks``) and its named arguments (``weeks=4``, ``phase=2``).
A visit's reasons are kept as one text field, ``reason_code``, written by :func:`encode`::

    every_n_weeks weeks=4 phase=2; balance_shift shift=+1; locked_day day=Tue

(parts separated by ``"; "``, the code first, then ``name=value`` pairs with the values
percent-encoded, so free text such as an error message never breaks the format). A code with
no arguments is the bare code (``closed_all_days``), so a dropped visit's ``reason_code`` is
the code alone. :func:`reason_text` words a ``reason_code`` for people in the active language,
at output time: a store built in Spanish shows Portuguese when read with ``--lang pt-BR``.

Examples
--------
>>> code = encode([Reason("every_n_weeks", {"weeks": 4, "phase": 2}), Reason("holiday_moved")])
>>> code
'every_n_weeks weeks=4 phase=2; holiday_moved'
>>> reason_text(code)
'every 4 weeks, phase 2; holiday week: days moved'

"""

from __future__ import annotations

from collections.abc import Iterable

from routeplan.i18n import N_, Msgid, _, ngettext, translate, weekday_name
from routeplan.model.reason_codes import WEEKDAY_CODES, Reason, Wording, decode, encode, join
from routeplan.model.tier_wording import TIER_WORDING

__all__ = ["Reason", "decode", "encode", "join", "reason_text", "reason_texts"]

# --------------------------------------------------------------------------- wording


def _days(text: str) -> str:
    """``Mon+Thu`` as abbreviated weekday names of the locale, joined the same way."""
    return "+".join(
        weekday_name(WEEKDAY_CODES.index(d), "abbreviated") if d in WEEKDAY_CODES else d
        for d in text.split("+")
        if d
    )


def _day(code: str) -> str:
    return weekday_name(WEEKDAY_CODES.index(code)) if code in WEEKDAY_CODES else code


def _count(reason: Reason, name: str) -> int:
    try:
        return int(reason.arg(name))
    except ValueError:
        return 0


DROPPED_TEXTS: dict[str, Msgid] = {
    "no_workday": N_("no allowed workday"),
    "closed_all_days": N_("outside opening hours on every allowed day"),
    "spacing": N_("does not fit: other visits of the client take the allowed days (spacing)"),
    "week_full": N_("does not fit: week is full (capacity)"),
    "vehicle_load": N_("does not fit: vehicle load (capacity)"),
    "no_time_left": N_("does not fit: no time left on the allowed days (time window)"),
    "no_solution": N_("no feasible plan found within the time limit"),
}
"""The sentence of each code the solver gives a dropped visit (``routing.REASONS``)."""

CALENDAR_WORDING: dict[str, Wording] = {
    "every_n_weeks": lambda r: _(
        "every {weeks} weeks, phase {phase}", weeks=r.arg("weeks"), phase=r.arg("phase")
    ),
    "every_n_weeks_round_robin": lambda r: _(
        "every {weeks} weeks, phase {phase} (round-robin)",
        weeks=r.arg("weeks"),
        phase=r.arg("phase"),
    ),
    "per_week": lambda r: ngettext("{count} visit/week", "{count} visits/week", _count(r, "count")),
    "per_week_days": lambda r: _(
        "{count} visits/week, {days}", count=r.arg("count"), days=_days(r.arg("days"))
    ),
    "balance_shift": lambda r: _("moved {shift} wk for balance", shift=r.arg("shift")),
    "locked_week": lambda r: _("locked to week {week}", week=r.arg("week")),
    "locked_day": lambda r: _("locked to {day}", day=_day(r.arg("day"))),
    "no_workday_week": lambda r: _("no workday this week"),
    "no_open_workday": lambda r: _("no open workday"),
    "open_days_allow": lambda r: _(
        "open days allow {allowed} of {visits} visits",
        allowed=r.arg("allowed"),
        visits=r.arg("visits"),
    ),
    "holiday_fewer": lambda r: _(
        "holiday week: {allowed} of {visits} visits",
        allowed=r.arg("allowed"),
        visits=r.arg("visits"),
    ),
    "holiday_gap": lambda r: _("holiday week: days {gap} apart", gap=r.arg("gap")),
    "holiday_moved": lambda r: _("holiday week: days moved"),
    "not_in_calendar": lambda r: _("not in the calendar"),
    "catch_up_missed": lambda r: _("catch-up: missed in week {week}", week=r.arg("week")),
    "catch_up_dropped": lambda r: _("catch-up: dropped in week {week}", week=r.arg("week")),
}
"""The calendar's codes (why a client is due in a week, on which days)."""


def _sentence(message: Msgid) -> Wording:
    """The wording of a code that is one fixed sentence."""
    return lambda reason: translate(message)


PLAN_WORDING: dict[str, Wording] = {
    **{code: _sentence(message) for code, message in DROPPED_TEXTS.items()},
    "rep_week_failed": lambda r: _("rep-week could not be solved: {error}", error=r.arg("error")),
}
"""The planner's codes (why a due visit was dropped)."""

WORDING: dict[str, Wording] = {**CALENDAR_WORDING, **PLAN_WORDING, **TIER_WORDING}
"""Every code :func:`reason_text` words, by code."""

HOLIDAY_CODES: frozenset[str] = frozenset(
    {"no_workday_week", "open_days_allow", "holiday_fewer", "holiday_gap", "holiday_moved"}
)
"""Calendar codes of a week whose days differ from the client's standard pattern."""


def known(code: object) -> bool:
    """Whether every part of ``code`` has a wording (so :func:`reason_text` loses nothing)."""
    parts = decode(code)
    return bool(parts) and all(p.code in WORDING for p in parts)


def reason_text(code: object, fallback: object = "") -> str:
    """A ``reason_code`` worded for people in the active language, parts joined by ``"; "``.

    Parameters
    ----------
    code
        The ``reason_code`` field; None, NaN or empty give ``fallback``.
    fallback
        The text shown when ``code`` is empty or has a part no wording knows (a store or file
        of an older routeplan kept only the sentence; a newer one may have new codes).

    Returns
    -------
    str
        The translated sentence.

    Examples
    --------
    >>> reason_text("per_week count=1; locked_day day=Tue")
    '1 visit/week; locked to Tuesday'
    >>> reason_text("", "by hand")
    'by hand'

    """
    if not known(code):
        if fallback is None or (isinstance(fallback, float) and fallback != fallback):
            return str(code or "")
        return str(fallback) or str(code or "")
    return "; ".join(WORDING[p.code](p) for p in decode(code))


def reason_texts(codes: Iterable[object], fallbacks: Iterable[object] | None = None) -> list[str]:
    """:func:`reason_text` of many fields (each distinct code worded once)."""
    codes = list(codes)
    backs = list(fallbacks) if fallbacks is not None else [""] * len(codes)
    cache: dict[tuple[str, str], str] = {}
    out = []
    for code, back in zip(codes, backs, strict=True):
        key = (str(code), str(back))
        if key not in cache:
            cache[key] = reason_text(code, back)
        out.append(cache[key])
    return out
