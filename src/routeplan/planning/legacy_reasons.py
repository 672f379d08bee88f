"""The English reason sentences of plan stores before schema 5, turned into reason codes.

Up to schema 4 the calendar and the routes kept why a visit is due as an English sentence
built from fixed phrases (``"every 4 weeks, phase 2; locked to Tue"``), and a dropped visit
of a failed rep-week kept its error only in its sentence. Migration 5 of
:mod:`routeplan.planning.store` reads each stored sentence once with :func:`legacy_code`, so
an old store shows its reasons in any language afterwards. Nothing else reads sentences: new
rows are written with codes (:mod:`routeplan.model.reasons`).
"""

from __future__ import annotations

import re

from routeplan.model.reasons import Reason, encode

_DAY = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"

_PHRASES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    (
        re.compile(r"every (\d+) weeks, phase (\d+) \(round-robin\)"),
        "every_n_weeks_round_robin",
        ("weeks", "phase"),
    ),
    (re.compile(r"every (\d+) weeks, phase (\d+)"), "every_n_weeks", ("weeks", "phase")),
    (re.compile(r"(\d+) visits/week, ([A-Za-z+]*)"), "per_week_days", ("count", "days")),
    (re.compile(r"(\d+) visits?/week"), "per_week", ("count",)),
    (re.compile(r"moved ([+-]\d+) wk for balance"), "balance_shift", ("shift",)),
    (re.compile(r"locked to week (\d+)"), "locked_week", ("week",)),
    (re.compile(rf"locked to ({_DAY})"), "locked_day", ("day",)),
    (re.compile(r"no workday this week(?:: .*)?"), "no_workday_week", ()),
    (re.compile(r"no open workday"), "no_open_workday", ()),
    (
        re.compile(r"open days allow (\d+) of (\d+) visits"),
        "open_days_allow",
        ("allowed", "visits"),
    ),
    (re.compile(r"holiday week: (\d+) of (\d+) visits"), "holiday_fewer", ("allowed", "visits")),
    (re.compile(r"holiday week: days (\d+) apart"), "holiday_gap", ("gap",)),
    (re.compile(r"holiday week: days moved"), "holiday_moved", ()),
    (re.compile(r"catch-up: missed in week (\d+)"), "catch_up_missed", ("week",)),
    (re.compile(r"catch-up: dropped in week (\d+)"), "catch_up_dropped", ("week",)),
    (re.compile(r"rep-week could not be solved: (.*)"), "rep_week_failed", ("error",)),
)
"""Each phrase routeplan wrote before schema 5, its code and the names of its numbers."""


def _reason(phrase: str) -> Reason | None:
    for pattern, code, names in _PHRASES:
        match = pattern.fullmatch(phrase.strip())
        if match is not None:
            return Reason(code, dict(zip(names, match.groups(), strict=True)))
    return None


def legacy_code(sentence: str | None) -> str:
    """The ``reason_code`` of a sentence of an older store; empty when a phrase is unknown.

    A sentence with any phrase not written by routeplan (a note typed by hand) gets no code,
    so it is shown as it was stored.

    Examples
    --------
    >>> legacy_code("every 4 weeks, phase 2; locked to Tue")
    'every_n_weeks weeks=4 phase=2; locked_day day=Tue'
    >>> legacy_code("by hand")
    ''

    """
    if not sentence:
        return ""
    if sentence.startswith("rep-week could not be solved: "):
        phrases = [sentence]  # the error may itself hold "; "
    else:
        phrases = sentence.split("; ")
    reasons = [_reason(p) for p in phrases]
    if any(r is None for r in reasons):
        return ""
    return encode(r for r in reasons if r is not None)
