"""Reason codes: the field format round-trips, every code is worded in es and pt-BR."""

from __future__ import annotations

import re

import pytest

from routeplan.i18n import use_language
from routeplan.model.reasons import WORDING, Reason, decode, encode, known, reason_text
from routeplan.routing import REASONS

ARGS = {
    "weeks": 4, "phase": 2, "count": 2, "days": "Mon+Thu", "shift": "+1", "week": 3,
    "day": "Tue", "allowed": 1, "visits": 2, "gap": 1, "error": "TimeoutError: x",
    "axis": "volume", "level": "high", "column": "revenue", "value": 412000, "threshold": 0.5,
    "quantile": 0.75, "zone": "N", "band": 0.2, "tier": "A", "bound": 1000.5, "rule": "B",
    "score": "revenue", "share": 0.25, "before": "B", "after": "A", "potential": 500,
    "current": 50, "file": "clients.csv", "stage": "occasional", "elsewhere": 1, "growth": 0.1,
}  # fmt: skip
"""A value for every argument a code may have."""


def test_the_field_round_trips_free_text() -> None:
    reasons = (
        Reason("every_n_weeks", {"weeks": "4", "phase": "2"}),
        Reason("rep_week_failed", {"error": "a; b = c 100% done\nnext"}),
        Reason("holiday_moved"),
    )
    field = encode(reasons)
    assert field.count("; ") == 2  # the error's own "; " is encoded
    assert decode(field) == reasons
    assert decode("") == decode(None) == decode(float("nan")) == ()


def test_every_code_is_worded_in_each_language_with_its_arguments() -> None:
    assert set(REASONS) <= set(WORDING)  # every code the solver gives a dropped visit
    english = {code: reason_text(encode([Reason(code, ARGS)])) for code in WORDING}
    for language in ("es", "pt-BR"):
        with use_language(language):
            for code in WORDING:
                text = reason_text(encode([Reason(code, ARGS)]))
                assert text and text != english[code], (language, code)
                assert not re.search(r"\{\w+\}", text), (language, code)


@pytest.mark.parametrize(
    ("field", "fallback", "shown"),
    [
        ("per_week count=1; locked_day day=Tue", "", "1 visita/semana; fijada al martes"),
        ("per_week_days count=2 days=Mon+Thu", "", "2 visitas/semana, lun+jue"),
        ("", "escrito a mano", "escrito a mano"),  # an older row: its sentence
        ("something_new x=1", "la frase guardada", "la frase guardada"),  # a newer code
        ("something_new x=1", "", "something_new x=1"),  # never hidden
    ],
)
def test_unknown_or_missing_codes_show_what_was_stored(
    field: str, fallback: str, shown: str
) -> None:
    with use_language("es"):
        assert reason_text(field, fallback) == shown
    assert known(field) == (shown not in (fallback, field))
