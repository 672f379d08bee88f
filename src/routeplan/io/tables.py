"""Read a tabular file (CSV or Excel) as strings, keeping the file's row numbers.

CSV: the encoding and separator are detected (:mod:`routeplan.io.sniff`); Excel: the sheet
whose header row names the most known columns is read, real numbers and dates kept as such.
Title rows above the header are skipped in both. What was detected is returned with the table
so the user sees it once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from routeplan.config import InputConfig
from routeplan.errors import InputError, Problem
from routeplan.i18n import _
from routeplan.io.columns import header_key
from routeplan.io.sniff import decode, encoding_label, separator_label, sniff_separator

TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".txt", ".xlsx", ".xlsm", ".xls")
HEADER_SEARCH_ROWS = 20
"""How many rows from the top may be title rows before the header."""


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


def trim_cell(cell: str) -> str:
    r"""Strip a cell's spaces, but keep a leading tab or CR before a formula character.

    ``"\t=1+2"`` stays as it is, so the writers neutralise it; stripped it would be a formula.
    """
    stripped = cell.strip()
    if stripped[:1] in "=+-@" and cell.lstrip(" ")[:1] in ("\t", "\r"):
        return cell.strip(" ").rstrip()
    return stripped


@dataclass(frozen=True)
class Row:
    """One row of the file: its number as a spreadsheet shows it, its cells as text.

    ``native`` holds the positions of cells that were real numbers in a workbook.
    """

    line: int
    cells: list[str]
    native: frozenset[int] = frozenset()


@dataclass
class RawTable:
    """A table as read: text cells indexed by file row, and how it was read.

    ``native_numbers`` are columns whose every filled cell was a real number in the workbook
    (their text is then written with ``.`` as decimal mark, whatever the locale).
    """

    frame: pd.DataFrame
    path: Path
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    header_row: int = 1
    native_numbers: frozenset[str] = frozenset()
    problems: list[Problem] = field(default_factory=list)

    def describe(self) -> str:
        """What was detected, for the user: ``clients.csv: cp1252, ';' separator``."""
        if self.sheet is not None:
            text = _("{file}: sheet '{sheet}'", file=self.path.name, sheet=self.sheet)
        else:
            text = _(
                "{file}: {encoding}, {separator} separator",
                file=self.path.name,
                encoding=encoding_label(self.encoding or "utf-8"),
                separator=separator_label(self.separator or ","),
            )
        if self.header_row > 1:
            text += ", " + _("header on row {row}", row=self.header_row)
        return text


def _missing(path: Path) -> InputError:
    return InputError(
        [Problem(str(path), _("file not found"), kind="file_not_found")],
        hint=_("check --data and the file name"),
    )


def read_input_table(
    path: Path, *, options: InputConfig | None = None, known: frozenset[str] = frozenset()
) -> RawTable:
    """Read a CSV or Excel file with every cell as text, detecting how it was written.

    Parameters
    ----------
    path
        A ``.csv``/``.txt`` or ``.xlsx``/``.xlsm``/``.xls`` file.
    options
        ``[input]``: forced encoding, separator, sheet, header row.
    known
        Header names (after :func:`~routeplan.io.columns.header_key`) that mark the header
        row; rows above it are title rows.

    Returns
    -------
    RawTable
        Index = the row number a spreadsheet shows; columns as in the header (stripped).

    Raises
    ------
    InputError
        Missing, empty, unreadable file or unknown sheet, naming what was tried.

    """
    options = options or InputConfig()
    if not path.exists():
        raise _missing(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_text(path, options, known)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return _read_workbook(path, options, known)
    raise InputError(
        [Problem(str(path), _("unsupported file type '{suffix}'", suffix=suffix))],
        hint=_("use one of {suffixes}", suffixes=", ".join(TABLE_SUFFIXES)),
    )


def _read_text(path: Path, options: InputConfig, known: frozenset[str]) -> RawTable:
    try:
        text, encoding = decode(path.read_bytes(), options.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(
            [Problem(str(path), _("cannot be decoded as text"), kind="encoding")],
            hint=_('save it as UTF-8 CSV, or name its encoding: [input] encoding = "cp1252"'),
        ) from exc
    separator = options.separator or sniff_separator(text)
    rows, line = [], 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    for cells in reader:
        rows.append(Row(line + 1, [trim_cell(c) for c in cells]))
        line = reader.line_num
    table = _table_from_rows(path, rows, options.header_row, known)
    table.encoding, table.separator = encoding, separator
    return table


def _excel_cell(value: object) -> tuple[str, bool]:
    """A workbook value as text, and whether it is a real number."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "", False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, int | float):
        number = float(value)
        return (str(int(number)) if number.is_integer() else repr(number)), True
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat(), False
        return value.strftime("%Y-%m-%d %H:%M"), False
    if isinstance(value, dt.time):
        return value.strftime("%H:%M"), False
    if isinstance(value, dt.date):
        return value.isoformat(), False
    return trim_cell(str(value)), False


def _sheet_rows(sheet: pd.DataFrame) -> list[Row]:
    rows = []
    for line, values in enumerate(sheet.itertuples(index=False), start=1):
        converted = [_excel_cell(v) for v in values]
        native = frozenset(i for i, (_text, real) in enumerate(converted) if real)
        rows.append(Row(line, [text for text, _real in converted], native))
    return rows


def _read_workbook(path: Path, options: InputConfig, known: frozenset[str]) -> RawTable:
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
    except Exception as exc:  # openpyxl/xlrd raise many types for unreadable files
        raise InputError(
            [Problem(str(path), _("cannot be read as a workbook"), kind="unreadable")],
            hint=_("save it as .xlsx, or export it as CSV"),
        ) from exc
    names = list(sheets)
    chosen = _choose_sheet(path, names, options.sheet, sheets, known)
    table = _table_from_rows(path, _sheet_rows(sheets[chosen]), options.header_row, known)
    table.sheet = chosen
    return table


def _choose_sheet(
    path: Path,
    names: list[str],
    wanted: str | int | None,
    sheets: dict[str, pd.DataFrame],
    known: frozenset[str],
) -> str:
    if isinstance(wanted, int) and 1 <= wanted <= len(names):
        return names[wanted - 1]
    if isinstance(wanted, str) and wanted in names:
        return wanted
    if wanted is not None:
        raise InputError(
            [Problem(str(path), _("no sheet '{sheet}'", sheet=wanted), kind="sheet")],
            hint=_(
                "[input] sheet is a name or 1-based position; the sheets are {names}", names=names
            ),
        )
    scores = [_best_header(_sheet_rows(sheets[n].head(HEADER_SEARCH_ROWS)), known) for n in names]
    best = max(range(len(names)), key=lambda i: (scores[i][1], -i))
    return names[best]


def _best_header(rows: Sequence[Row], known: frozenset[str]) -> tuple[int, int]:
    """(index, known names) of the row naming the most known columns among the first rows.

    When no row names a known column, the first row with a cell is the header.
    """
    best, best_score = 0, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = sum(header_key(c) in known for c in row.cells if c)
        if score > best_score:
            best, best_score = index, score
    return best, best_score


def _table_from_rows(
    path: Path, rows: list[Row], header_row: int | None, known: frozenset[str]
) -> RawTable:
    rows = [r for r in rows if any(r.cells)] if header_row is None else rows
    if header_row is not None:
        rows = [r for r in rows if r.line >= header_row and (any(r.cells) or r.line == header_row)]
        start = 0
    else:
        start = _best_header(rows, known)[0] if rows else 0
    if len(rows) <= start:
        raise InputError(
            [Problem(str(path), _("no header row and no data"), kind="empty_file")],
            hint=_("the first row must name the columns"),
        )
    header = rows[start]
    names = [c or f"column_{i + 1}" for i, c in enumerate(header.cells)]
    problems, body = [], []
    for row in rows[start + 1 :]:
        if not any(row.cells):
            continue
        extra = [c for c in row.cells[len(names) :] if c]
        if extra:
            problems.append(_extra_cells(path, row, len(names)))
        body.append(row)
    cells = [(r.cells + [""] * len(names))[: len(names)] for r in body]
    frame = pd.DataFrame(cells, columns=names, index=pd.Index([r.line for r in body]), dtype=str)
    problems += _long_cell_problems(frame, file=str(path))
    native = _native_columns(names, body)
    return RawTable(frame, path, header_row=header.line, native_numbers=native, problems=problems)


def _native_columns(names: list[str], body: list[Row]) -> frozenset[str]:
    """Columns with a filled cell whose every filled cell is a real number."""
    native = set()
    for i, name in enumerate(names):
        filled = [r for r in body if i < len(r.cells) and r.cells[i]]
        if filled and all(i in r.native for r in filled):
            native.add(name)
    return frozenset(native)


def _extra_cells(path: Path, row: Row, width: int) -> Problem:
    return Problem(
        str(path),
        _("row has {count} cells, the header has {width}", count=len(row.cells), width=width),
        row=row.line,
        kind="extra_cells",
        hint=_("quote texts that contain the separator"),
    )


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or Excel sheet with every cell as a string (empty cells as ``""``).

    The index of the result is the row number a spreadsheet would show (header = 1 unless
    title rows precede it, first data row = 2), so problems can name it.

    Parameters
    ----------
    path
        A ``.csv`` (encoding and separator detected) or ``.xlsx`` file.

    Returns
    -------
    pandas.DataFrame
        All columns as ``str``, column names stripped.

    Raises
    ------
    InputError
        When the file is missing, empty or cannot be parsed.

    """
    return read_input_table(path).frame


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
