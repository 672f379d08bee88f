"""The calendar's reasons (why a client is due in a week) in the language of the run.

The calendar stores each visit's reason as English text built from fixed phrases
(:mod:`routeplan.calendar.construction`, :mod:`routeplan.calendar.updates`), kept as is in the
plan store and ``routes.csv``. :func:`reason_text` words those phrases for people in the active
language when a map, an ICS event or the managers' workbook shows them; a phrase it does not
know (a newer routeplan, a note typed by hand) is shown unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from routeplan.config import WEEKDAYS
from routeplan.i18n import _, ngettext, weekday_name

_DAY = "|".join(WEEKDAYS)


def _days(text: str) -> str:
    """``Mon+Thu`` as abbreviated weekday names of the locale, joined the same way."""
    return "+".join(
        weekday_name(WEEKDAYS.index(d), "abbreviated") if d in WEEKDAYS else d
        for d in text.split("+")
    )


_PHRASES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"every (\d+) weeks, phase (\d+) \(round-robin\)"),
        lambda m: _("every {weeks} weeks, phase {phase} (round-robin)", weeks=m[1], phase=m[2]),
    ),
    (
        re.compile(r"every (\d+) weeks, phase (\d+)"),
        lambda m: _("every {weeks} weeks, phase {phase}", weeks=m[1], phase=m[2]),
    ),
    (
        re.compile(r"(\d+) visits/week, ([A-Za-z+]+)"),
        lambda m: _("{count} visits/week, {days}", count=m[1], days=_days(m[2])),
    ),
    (
        re.compile(r"(\d+) visits?/week"),
        lambda m: ngettext("{count} visit/week", "{count} visits/week", int(m[1])),
    ),
    (
        re.compile(r"moved ([+-]\d+) wk for balance"),
        lambda m: _("moved {shift} wk for balance", shift=m[1]),
    ),
    (re.compile(r"locked to week (\d+)"), lambda m: _("locked to week {week}", week=m[1])),
    (
        re.compile(rf"locked to ({_DAY})"),
        lambda m: _("locked to {day}", day=weekday_name(WEEKDAYS.index(m[1]))),
    ),
    (
        re.compile(r"prospect"),
        lambda m: _("prospect: the prospects' cadence, whatever the tier"),
    ),
    (re.compile(r"no workday this week"), lambda m: _("no workday this week")),
    (re.compile(r"no open workday"), lambda m: _("no open workday")),
    (
        re.compile(r"open days allow (\d+) of (\d+) visits"),
        lambda m: _("open days allow {allowed} of {visits} visits", allowed=m[1], visits=m[2]),
    ),
    (
        re.compile(r"holiday week: (\d+) of (\d+) visits"),
        lambda m: _("holiday week: {allowed} of {visits} visits", allowed=m[1], visits=m[2]),
    ),
    (
        re.compile(r"holiday week: days (\d+) apart"),
        lambda m: _("holiday week: days {gap} apart", gap=m[1]),
    ),
    (re.compile(r"holiday week: days moved"), lambda m: _("holiday week: days moved")),
    (
        re.compile(r"catch-up: missed in week (\d+)"),
        lambda m: _("catch-up: missed in week {week}", week=m[1]),
    ),
    (
        re.compile(r"catch-up: dropped in week (\d+)"),
        lambda m: _("catch-up: dropped in week {week}", week=m[1]),
    ),
)
"""Each phrase the calendar writes, and how to word it in the active language."""


def _phrase(text: str) -> str:
    for pattern, word in _PHRASES:
        match = pattern.fullmatch(text.strip())
        if match is not None:
            return word(match)
    return text


def reason_text(reason: object) -> str:
    """A calendar reason (``"every 4 weeks, phase 2; locked to Tue"``) in the active language.

    Parameters
    ----------
    reason
        The ``reason`` of a calendar or route row; None or NaN give empty text.

    Returns
    -------
    str
        Each ``; ``-separated phrase worded in the active language; unknown phrases unchanged.

    Examples
    --------
    >>> reason_text("every 4 weeks, phase 2; locked to Tue")
    'every 4 weeks, phase 2; locked to Tuesday'

    """
    if reason is None or (isinstance(reason, float) and reason != reason):
        return ""
    return "; ".join(_phrase(part) for part in str(reason).split("; "))
