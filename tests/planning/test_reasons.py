"""Dropped visits carry a stable reason code and a sentence in the run's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.world import tiny_clients, write_world

from routeplan.i18n import use_language
from routeplan.planning.prepare import prepare
from routeplan.planning.reasons import REASON_CODES, REASON_REP_WEEK_FAILED, reason_text
from routeplan.planning.week import build_week
from routeplan.routing import REASONS


def test_every_solver_code_has_a_sentence_in_each_language() -> None:
    assert set(REASONS) | {REASON_REP_WEEK_FAILED} == set(REASON_CODES)
    english = {code: reason_text(code, detail="x") for code in REASON_CODES}
    for language in ("es", "pt-BR"):
        with use_language(language):
            for code in REASON_CODES:
                assert reason_text(code, detail="x") != english[code], (language, code)
    assert reason_text("something_new") == "something_new"


@pytest.mark.parametrize("workers", [1, 2])
def test_dropped_reasons_are_coded_and_worded_in_the_main_process(
    tmp_path: Path, workers: int
) -> None:
    clients = tiny_clients()
    clients.loc[clients["opens"] != "", ["opens", "closes"]] = ["06:00", "07:00"]  # before work
    folder = write_world(tmp_path / "data", clients=clients)
    prepared = prepare(folder)
    with use_language("es"):
        result = build_week(prepared, 1, workers=workers)
    dropped = result.plan.dropped
    assert "closed_all_days" in set(dropped["reason_code"])
    assert set(dropped["reason_code"]) <= set(REASON_CODES)
    with use_language("es"):
        expected = [reason_text(code) for code in dropped["reason_code"]]
    assert dropped["reason"].tolist() == expected
    assert all(text.startswith(("no cabe", "fuera del horario", "ningún")) for text in expected)
