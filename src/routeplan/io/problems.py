"""Every problem of a validation, as one table and one ``rejects-<file>.csv`` per input file."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from routeplan.errors import Problem
from routeplan.io.writers import ensure_dir, write_csv

PROBLEM_COLUMNS: tuple[str, ...] = ("file", "row", "column", "value", "problem", "hint", "kind")
"""Columns of a rejects file; ``kind`` is a stable English code for filtering and counting."""


def problems_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """The problems as a table with :data:`PROBLEM_COLUMNS` (file names without folders).

    Parameters
    ----------
    problems
        Problems in report order.

    Returns
    -------
    pandas.DataFrame
        One row per problem; ``row`` is empty for file-wide problems.

    """
    rows = [
        {
            "file": Path(p.file).name,
            "row": p.row,
            "column": p.column or "",
            "value": p.value or "",
            "problem": p.message,
            "hint": p.hint or "",
            "kind": p.kind or "other",
        }
        for p in problems
    ]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    return frame


def count_by_kind(problems: Sequence[Problem]) -> dict[str, int]:
    """How many problems of each kind, most frequent first."""
    return dict(Counter(p.kind or "other" for p in problems).most_common())


def write_problem_files(problems: Sequence[Problem], folder: Path) -> list[Path]:
    """Write ``rejects-<file>.csv`` per input file with problems; remove stale ones.

    Parameters
    ----------
    problems
        Every problem found.
    folder
        The validation folder (``DATA/validation`` or ``--out``).

    Returns
    -------
    list of Path
        The files written, one per input file with problems (none, and no folder created,
        when there are no problems).

    """
    for stale in folder.glob("rejects-*.csv"):
        stale.unlink()
    if not problems:
        return []
    ensure_dir(folder)
    frame = problems_frame(problems)
    written = []
    for stem in dict.fromkeys(Path(p.file).stem for p in problems):
        part = frame[[Path(p.file).stem == stem for p in problems]]
        written.append(write_csv(part, folder / f"rejects-{stem}.csv", columns=PROBLEM_COLUMNS))
    return written
