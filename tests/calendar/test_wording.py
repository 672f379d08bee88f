"""The calendar's English reasons worded in the run's language; unknown phrases kept."""

from __future__ import annotations

import pytest

from routeplan.calendar.wording import reason_text
from routeplan.i18n import use_language


@pytest.mark.parametrize(
    ("reason", "spanish"),
    [
        ("every 4 weeks, phase 2", "cada 4 semanas, fase 2"),
        (
            "every 4 weeks, phase 1 (round-robin); moved +1 wk for balance; locked to week 3",
            "cada 4 semanas, fase 1 (rotativa); movida +1 sem. para equilibrar la carga; "
            "fijada a la semana 3",
        ),
        ("2 visits/week, Mon+Thu; holiday week: 1 of 2 visits",
         "2 visitas/semana, lun+jue; semana con feriado: 1 de 2 visitas"),
        ("1 visit/week; locked to Tue", "1 visita/semana; fijada al martes"),
        ("catch-up: missed in week 11", "recuperación: perdida en la semana 11"),
        ("catch-up: dropped in week 3", "recuperación: descartada en la semana 3"),
        ("by hand; no open workday", "by hand; ningún día laborable con el cliente abierto"),
    ],
)  # fmt: skip
def test_reasons_in_spanish(reason: str, spanish: str) -> None:
    with use_language("es"):
        assert reason_text(reason) == spanish


def test_reasons_in_portuguese_and_english() -> None:
    with use_language("pt-BR"):
        assert reason_text("every 2 weeks, phase 1") == "a cada 2 semanas, fase 1"
    assert reason_text("every 2 weeks, phase 1") == "every 2 weeks, phase 1"
    assert reason_text(None) == reason_text(float("nan")) == ""
