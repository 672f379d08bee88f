"""The capacity job's file rules: no spreadsheet formulas, rounded figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from routeplan.io.writers import write_csv
from routeplan.jobs.capacity import as_written


def test_capacity_tables_are_written_rounded_and_formula_safe(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2", "Kahvila"],
            "margin_after_service": [-12.3456, 1.0, 2.0, 3.0, 4.0],
            "serve_ratio": [0.123456, 0.0, 0.0, 0.0, 0.0],
        }
    )
    out = as_written(table)
    assert out["margin_after_service"].iloc[0] == -12.35  # numbers stay numbers
    assert out["serve_ratio"].iloc[0] == 0.1235
    back = pd.read_csv(write_csv(out, tmp_path / "accounts.csv"), dtype=str)
    assert back["name"].tolist() == [
        '\'=HYPERLINK("http://x")',
        "+1",  # a number written as text is never a formula
        "'@SUM(A1)",
        "-2",
        "Kahvila",
    ]
    assert back["margin_after_service"].iloc[0] == "-12.35"
