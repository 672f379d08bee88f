"""Why a due visit was dropped: stable codes for machines, translated sentences for people.

The solver returns a code per dropped visit (:data:`routeplan.routing.REASONS`); the planner
adds :data:`REASON_REP_WEEK_FAILED` for every visit of a rep-week whose solve failed (its
``reason_code`` carries the error: ``rep_week_failed error=...``, see
:mod:`routeplan.model.reasons`). ``dropped.csv`` and the plan store keep the code in
``reason_code``; ``reason`` is the sentence in the language of the run, worded from the code
in the main process (and again when a stored plan is read in another language).
"""

from __future__ import annotations

from routeplan.model.reasons import DROPPED_TEXTS, Reason, encode
from routeplan.model.reasons import reason_text as _worded

REASON_REP_WEEK_FAILED = "rep_week_failed"
"""Dropped: the rep's whole week could not be solved (the error is an argument)."""

REASON_CODES: tuple[str, ...] = (*DROPPED_TEXTS, REASON_REP_WEEK_FAILED)
"""Every code a dropped visit's ``reason_code`` starts with."""


def failed_code(error: str) -> str:
    """The ``reason_code`` of a visit of a rep-week whose solve failed with ``error``.

    Examples
    --------
    >>> failed_code("out of memory")
    'rep_week_failed error=out%20of%20memory'

    """
    return encode([Reason(REASON_REP_WEEK_FAILED, {"error": error})])


def reason_text(code: str, *, detail: str = "") -> str:
    """The sentence a person reads for a dropped visit's reason code, in the active language.

    Parameters
    ----------
    code
        One of :data:`REASON_CODES` (or a full ``reason_code`` with arguments).
    detail
        For a bare :data:`REASON_REP_WEEK_FAILED`, the error that stopped the solve.

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
        code = failed_code(detail)
    return _worded(code)
