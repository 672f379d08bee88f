"""Schema checks for tabular input: every problem collected, then reported once."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from routeplan.config import WEEKDAYS
from routeplan.errors import InputError, Problem
from routeplan.i18n import N_, _, translate
from routeplan.io.cells import Decimal, parse_bool, parse_number, parse_time, parse_weekdays

Kind = Literal["str", "float", "int", "hhmm", "days", "bool"]

_NUMBER_HINT = N_("write numbers as 1234.5 or 1.234,5; the decimal mark is set by [input] decimal")


@dataclass(frozen=True)
class Column:
    """What a column of an input table must hold.

    Parameters
    ----------
    name
        Column name in routeplan (the file's header may be a synonym).
    kind
        ``str``, ``float``, ``int``, ``hhmm`` (a time such as 08:30 or 5:00 p. m.), ``days``
        (weekday names in English, Spanish or Portuguese, e.g. ``Mon Tue`` or ``lun a vie``)
        or ``bool`` (``TRUE``/``sí``/``não`` …).
    required
        The column must be present in the file.
    optional_cells
        Cells may be empty (they become ``None``/NaN).
    low, high
        Inclusive bounds for numbers.
    percent
        ``23,6 %`` is read as ``0.236`` (margins).

    """

    name: str
    kind: Kind = "str"
    required: bool = True
    optional_cells: bool = False
    low: float | None = None
    high: float | None = None
    percent: bool = False

    @property
    def numeric(self) -> bool:
        """The column holds numbers."""
        return self.kind in ("float", "int")


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


@dataclass(frozen=True)
class CellProblem:
    """Why a cell was refused: a stable code, the message and how to fix it."""

    kind: str
    message: str
    hint: str | None = None


def _parse_number(
    value: str, column: Column, decimal: Decimal
) -> tuple[object, CellProblem | None]:
    text = value.strip()
    scale = 1.0
    if column.percent and text.endswith("%"):
        text, scale = text[:-1].strip(), 0.01
    number = parse_number(text, decimal)
    if number is None:
        mark = _("decimal comma") if decimal == "," else _("decimal point")
        message = _("'{value}' is not a number (read with a {mark})", value=value, mark=mark)
        return None, CellProblem("not_a_number", message, translate(_NUMBER_HINT))
    number *= scale
    if not math.isfinite(number):
        return None, CellProblem("not_a_number", _("'{value}' is not a finite number", value=value))
    if column.kind == "int" and not number.is_integer():
        return None, CellProblem("not_whole", _("'{value}' is not a whole number", value=value))
    if column.low is not None and number < column.low:
        message = _("{value} is below the minimum {low}", value=value, low=f"{column.low:g}")
        return None, CellProblem("out_of_range", message)
    if column.high is not None and number > column.high:
        message = _("{value} is above the maximum {high}", value=value, high=f"{column.high:g}")
        hint = _("write a share such as 23.6 % as 0.236") if column.percent else None
        return None, CellProblem("out_of_range", message, hint)
    return number, None


def _parse_text(value: str, column: Column) -> tuple[object, CellProblem | None]:
    if column.kind == "hhmm":
        time = parse_time(value)
        if time is None:
            message = _("'{value}' is not a time HH:MM (e.g. 08:30 or 5:00 p. m.)", value=value)
            return None, CellProblem("not_a_time", message)
        return time, None
    if column.kind == "bool":
        flag = parse_bool(value)
        if flag is None:
            message = _("'{value}' is not yes/no (TRUE/FALSE, sí/no, sim/não)", value=value)
            return None, CellProblem("not_a_bool", message)
        return flag, None
    days = parse_weekdays(value)
    if days is None:
        message = _("'{value}' is not a list of weekdays", value=value)
        hint = _("e.g. Mon Tue Wed, lun mar mié, seg a sex")
        return None, CellProblem("not_weekdays", message, hint)
    return " ".join(WEEKDAYS[d] for d in days), None


def _parse_cell(value: str, column: Column, decimal: Decimal) -> tuple[object, CellProblem | None]:
    """Parse one cell; return (value, problem or None)."""
    if value == "":
        if column.optional_cells:
            return (math.nan if column.numeric else None), None
        return None, CellProblem("empty", _("is empty"))
    if column.kind == "str":
        return value, None
    if column.numeric:
        return _parse_number(value, column, decimal)
    return _parse_text(value, column)


def check_table(
    raw: pd.DataFrame,
    columns: Iterable[Column],
    *,
    file: str,
    decimals: Mapping[str, Decimal] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Checked:
    """Check and type every cell of ``raw`` against ``columns``.

    Parameters
    ----------
    raw
        Table from :func:`routeplan.io.tables.read_table` (strings, index = file row), its
        columns already renamed to routeplan's names.
    columns
        Expected columns; unknown extra columns are kept as strings.
    file
        File name for the problems.
    decimals
        Decimal mark of each numeric column (default ``"."``).
    headers
        routeplan column → the file's header, so problems name the column as the user wrote it.

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
    decimals = decimals or {}
    headers = headers or {}
    missing = [c.name for c in columns if c.required and c.name not in raw.columns]
    if missing:
        raise InputError(
            [missing_column_problem(file, name, list(raw.columns)) for name in missing],
            hint=_("the file has columns {columns}", columns=list(raw.columns)),
        )
    problems: list[Problem] = []
    typed = raw.copy()
    for column in columns:
        if column.name not in raw.columns:
            typed[column.name] = math.nan if column.numeric else None
            continue
        values = []
        decimal = decimals.get(column.name, ".")
        for row, cell in raw[column.name].items():
            value, bad = _parse_cell(cell, column, decimal)
            if bad is not None:
                problems.append(
                    Problem(
                        file,
                        bad.message,
                        row=int(row),  # type: ignore[call-overload]
                        column=headers.get(column.name, column.name),
                        value=cell,
                        kind=bad.kind,
                        hint=bad.hint,
                    )
                )
            values.append(value)
        typed[column.name] = pd.Series(values, index=raw.index, dtype=object)
        if column.numeric:
            typed[column.name] = pd.to_numeric(typed[column.name], errors="coerce")
    bad_rows = {p.row for p in problems}
    good = typed.loc[[r for r in typed.index if r not in bad_rows]]
    return Checked(rows=good, problems=problems)


def missing_column_problem(file: str, column: str, present: list[str]) -> Problem:
    """The file-wide problem of a required column absent from the file."""
    return Problem(
        file,
        _("required column is missing"),
        column=column,
        kind="missing_column",
        hint=_(
            "name a column '{column}' (or a Spanish/Portuguese synonym), "
            "or map yours in routeplan.toml under [columns]; the file has {present}",
            column=column,
            present=present,
        ),
    )


def duplicate_problems(table: pd.DataFrame, column: str, *, file: str) -> list[Problem]:
    """A problem for every row whose ``column`` repeats an earlier row's value."""
    seen: dict[str, int] = {}
    problems = []
    for row, value in table[column].items():
        if value in seen:
            message = _(
                "duplicate id '{value}' (first on row {first})", value=value, first=seen[value]
            )
            problems.append(
                Problem(file, message, int(row), column, value=str(value), kind="duplicate_id")
            )
        else:
            seen[value] = int(row)
    return problems
