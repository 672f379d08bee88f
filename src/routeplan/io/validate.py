"""Schema checks for tabular input: every problem collected, then reported once."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from routeplan.config import WEEKDAYS
from routeplan.errors import InputError, Problem

Kind = Literal["str", "float", "int", "hhmm", "days"]

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:00)?$")


@dataclass(frozen=True)
class Column:
    """What a column of an input table must hold.

    Parameters
    ----------
    name
        Column name in the file.
    kind
        ``str``, ``float``, ``int``, ``hhmm`` (a time such as 08:30) or ``days`` (weekday
        names separated by spaces or commas, e.g. ``Mon Tue Wed``).
    required
        The column must be present in the file.
    optional_cells
        Cells may be empty (they become ``None``/NaN).
    low, high
        Inclusive bounds for numbers.

    """

    name: str
    kind: Kind = "str"
    required: bool = True
    optional_cells: bool = False
    low: float | None = None
    high: float | None = None


@dataclass
class Checked:
    """A table after checking: good rows (typed) and rejected rows with their reasons."""

    rows: pd.DataFrame
    problems: list[Problem]

    def rejects(self, raw: pd.DataFrame) -> pd.DataFrame:
        """Raw rejected rows with a ``reject_reason`` column (all problems of the row)."""
        reasons: dict[int, list[str]] = {}
        for p in self.problems:
            if p.row is not None:
                reasons.setdefault(p.row, []).append(
                    f"{p.column}: {p.message}" if p.column else p.message
                )
        out = raw.loc[[r for r in raw.index if r in reasons]].copy()
        out.insert(0, "file_row", out.index)
        out["reject_reason"] = ["; ".join(reasons[r]) for r in out.index]
        return out


def _parse_cell(value: str, column: Column) -> tuple[object, str | None]:
    """Parse one cell; return (value, problem message or None)."""
    if value == "":
        if column.optional_cells:
            return (math.nan if column.kind in ("float", "int") else None), None
        return None, "is empty"
    if column.kind == "str":
        return value, None
    if column.kind in ("float", "int"):
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            return None, f"'{value}' is not a number"
        if not math.isfinite(number):
            return None, f"'{value}' is not a finite number"
        if column.kind == "int" and not number.is_integer():
            return None, f"'{value}' is not a whole number"
        if column.low is not None and number < column.low:
            return None, f"{value} is below the minimum {column.low:g}"
        if column.high is not None and number > column.high:
            return None, f"{value} is above the maximum {column.high:g}"
        return number, None
    if column.kind == "hhmm":
        match = _HHMM.match(value)
        if not match:
            return None, f"'{value}' is not a time HH:MM (e.g. 08:30)"
        return f"{int(match.group(1)):02d}:{match.group(2)}", None
    days = [d for d in re.split(r"[\s,;]+", value) if d]
    unknown = [d for d in days if d.capitalize()[:3] not in WEEKDAYS]
    if unknown:
        return None, f"unknown weekday(s) {unknown}; use {' '.join(WEEKDAYS)}"
    return " ".join(d.capitalize()[:3] for d in days), None


def check_table(raw: pd.DataFrame, columns: Iterable[Column], *, file: str) -> Checked:
    """Check and type every cell of ``raw`` against ``columns``.

    Parameters
    ----------
    raw
        Table from :func:`routeplan.io.tables.read_table` (strings, index = file row).
    columns
        Expected columns; unknown extra columns are kept as strings.
    file
        File name for the problems.

    Returns
    -------
    Checked
        Good rows with typed columns (optional columns absent from the file are added empty)
        and every problem found.

    Raises
    ------
    InputError
        When a required column is missing (nothing can be checked row by row then).

    """
    columns = list(columns)
    missing = [c.name for c in columns if c.required and c.name not in raw.columns]
    if missing:
        raise InputError(
            [Problem(file, "required column is missing", column=name) for name in missing],
            hint=f"the file has columns {list(raw.columns)}",
        )
    problems: list[Problem] = []
    typed = raw.copy()
    bad_rows: set[int] = set()
    for column in columns:
        if column.name not in raw.columns:
            empty = math.nan if column.kind in ("float", "int") else None
            typed[column.name] = empty
            continue
        values = []
        for row, cell in raw[column.name].items():
            value, message = _parse_cell(cell, column)
            if message is not None:
                problems.append(Problem(file, message, row=int(row), column=column.name))
                bad_rows.add(int(row))
            values.append(value)
        typed[column.name] = pd.Series(values, index=raw.index, dtype=object)
        if column.kind in ("float", "int"):
            typed[column.name] = pd.to_numeric(typed[column.name], errors="coerce")
    good = typed.loc[[r for r in typed.index if r not in bad_rows]]
    return Checked(rows=good, problems=problems)


def duplicate_problems(table: pd.DataFrame, column: str, *, file: str) -> list[Problem]:
    """A problem for every row whose ``column`` repeats an earlier row's value."""
    seen: dict[str, int] = {}
    problems = []
    for row, value in table[column].items():
        if value in seen:
            problems.append(
                Problem(
                    file, f"duplicate id '{value}' (first on row {seen[value]})", int(row), column
                )
            )
        else:
            seen[value] = int(row)
    return problems
