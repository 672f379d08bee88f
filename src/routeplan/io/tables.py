"""Read a tabular file (CSV or XLSX) as strings, keeping the file's row numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from routeplan.errors import InputError, Problem
from routeplan.i18n import _

TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".xls")


MAX_CELL_CHARS = 2000
"""Longest text a cell may hold (a longer one is a broken export, e.g. a runaway quote)."""


def _long_cell_problems(table: pd.DataFrame, *, file: str) -> list[Problem]:
    problems = []
    for column in table.columns:
        lengths = table[column].str.len()
        for row in lengths.index[lengths > MAX_CELL_CHARS]:
            message = _(
                "cell of {length} characters is longer than {limit}; a broken export?",
                length=int(lengths[row]),
                limit=MAX_CELL_CHARS,
            )
            problems.append(Problem(file, message, int(row), str(column)))
    return problems


def _trim(cell: str) -> str:
    r"""Strip a cell's spaces, but keep a leading tab or CR before a formula character.

    ``"\t=1+2"`` stays as it is, so the writers neutralise it; stripped it would be a formula.
    """
    stripped = cell.strip()
    if stripped[:1] in "=+-@" and cell.lstrip(" ")[:1] in ("\t", "\r"):
        return cell.strip(" ").rstrip()
    return stripped


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or Excel sheet with every cell as a string (empty cells as ``""``).

    The index of the result is the row number a spreadsheet would show (header = 1, first data
    row = 2), so problems can name it.

    Parameters
    ----------
    path
        A ``.csv`` (UTF-8, comma separated) or ``.xlsx`` file; the first sheet is read.

    Returns
    -------
    pandas.DataFrame
        All columns as ``str``, column names stripped.

    Raises
    ------
    InputError
        When the file is missing, empty or cannot be parsed.

    """
    if not path.exists():
        raise InputError(
            [Problem(str(path), "file not found")], hint="check --data and the file name"
        )
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
        elif suffix in (".xlsx", ".xls"):
            table = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            raise InputError(
                [Problem(str(path), f"unsupported file type '{suffix}'")],
                hint=f"use one of {', '.join(TABLE_SUFFIXES)}",
            )
    except InputError:
        raise
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            [Problem(str(path), f"cannot be read: {exc}".splitlines()[0])],
            hint="save it as UTF-8 CSV with a header row",
        ) from exc
    table.columns = [str(c).strip() for c in table.columns]
    table = table.map(lambda v: _trim(v) if isinstance(v, str) else ("" if pd.isna(v) else str(v)))
    table.index = pd.RangeIndex(2, len(table) + 2)
    problems = _long_cell_problems(table, file=str(path))
    if problems:
        raise InputError(problems, hint=_("check the file's quoting and columns"))
    return table


def find_table(folder: Path, stem: str) -> Path:
    """The file ``stem`` with a table suffix in ``folder`` (CSV preferred), for error messages.

    Parameters
    ----------
    folder
        The data folder.
    stem
        File name without suffix, e.g. ``"clients"``.

    Returns
    -------
    pathlib.Path
        The first existing ``stem.csv``/``stem.xlsx``, else the ``.csv`` path (reading it
        then reports it as missing).

    """
    for suffix in TABLE_SUFFIXES:
        candidate = folder / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    return folder / f"{stem}.csv"
