"""The capacity job's file rules: no spreadsheet formulas, rounded figures."""

from __future__ import annotations

import pandas as pd

from routeplan.jobs.capacity import safe_text


def test_cells_that_would_be_formulas_are_neutralised() -> None:
    table = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2", "Kahvila"],
            "margin_after_service": [-12.3456, 1.0, 2.0, 3.0, 4.0],
            "serve_ratio": [0.123456, 0.0, 0.0, 0.0, 0.0],
        }
    )
    out = safe_text(table)
    assert out["name"].tolist() == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'@SUM(A1)",
        "'-2",
        "Kahvila",
    ]
    assert out["margin_after_service"].iloc[0] == -12.35  # numbers stay numbers
    assert out["serve_ratio"].iloc[0] == 0.1235
