"""Why a due visit was dropped: stable codes for machines, translated sentences for people.

The solver returns a code per dropped visit (:data:`routeplan.routing.REASONS`); the planner
adds :data:`REASON_REP_WEEK_FAILED` for every visit of a rep-week whose solve failed.
``dropped.csv`` and the plan store keep the code in ``reason_code``; ``reason`` is the
sentence in the language of the run, worded here, in the main process.
"""

from __future__ import annotations

from routeplan.i18n import N_, Msgid, _, translate
from routeplan.routing import (
    REASON_CAPACITY,
    REASON_HOURS,
    REASON_LOAD,
    REASON_NO_DAY,
    REASON_NO_SOLUTION,
    REASON_SPACING,
    REASON_TIME,
)

REASON_REP_WEEK_FAILED = "rep_week_failed"
"""Dropped: the rep's whole week could not be solved (the error is in the text)."""

REASON_TEXTS: dict[str, Msgid] = {
    REASON_NO_DAY: N_("no allowed workday"),
    REASON_HOURS: N_("outside opening hours on every allowed day"),
    REASON_SPACING: N_("does not fit: other visits of the client take the allowed days (spacing)"),
    REASON_CAPACITY: N_("does not fit: week is full (capacity)"),
    REASON_LOAD: N_("does not fit: vehicle load (capacity)"),
    REASON_TIME: N_("does not fit: no time left on the allowed days (time window)"),
    REASON_NO_SOLUTION: N_("no feasible plan found within the time limit"),
}
"""The sentence of each solver code, translated when shown."""

REASON_CODES: tuple[str, ...] = (*REASON_TEXTS, REASON_REP_WEEK_FAILED)
"""Every ``reason_code`` a dropped visit can have."""


def reason_text(code: str, *, detail: str = "") -> str:
    """The sentence a person reads for a dropped visit's reason code, in the active language.

    Parameters
    ----------
    code
        One of :data:`REASON_CODES`.
    detail
        For :data:`REASON_REP_WEEK_FAILED`, the error that stopped the rep-week's solve.

    Returns
    -------
    str
        The translated sentence; an unknown code is returned as it is (never hidden).

    Examples
    --------
    >>> reason_text("closed_all_days")
    'outside opening hours on every allowed day'

    """
    if code == REASON_REP_WEEK_FAILED:
        return _("rep-week could not be solved: {error}", error=detail)
    message = REASON_TEXTS.get(code)
    return code if message is None else translate(message)
