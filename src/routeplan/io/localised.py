"""One input table read the way its locale wrote it: format detected, columns mapped, decimals.

:func:`read_localised` goes from a file to a frame with routeplan's column names and the
decimal mark of every numeric column, plus a one-line description of what was detected and
notes where the file leaves a choice open (``1.234``: a thousand, or one point two?).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from routeplan.config import InputConfig
from routeplan.errors import InputError, Problem
from routeplan.i18n import _
from routeplan.io.cells import Decimal, guess_decimal
from routeplan.io.columns import ColumnMap, known_header_keys, map_columns
from routeplan.io.sniff import SEPARATORS, separator_label
from routeplan.io.tables import RawTable, read_input_table
from routeplan.io.validate import Column


@dataclass
class LocalisedTable:
    """A table with routeplan's column names and what is known about how it was written.

    ``frame`` holds text cells (index = file row) renamed to routeplan's names; ``decimals``
    the mark of each numeric column; ``problems`` row-level problems found while reading;
    ``notes`` what the user should know (ambiguous numbers, with the setting that decides).
    """

    raw: RawTable
    columns: ColumnMap
    frame: pd.DataFrame
    decimals: dict[str, Decimal] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    text_numbers: set[str] = field(default_factory=set)
    """Numeric columns written as text with at least one filled cell."""

    @property
    def decimal(self) -> Decimal | None:
        """The decimal mark of the text number columns, when they agree (None: no numbers)."""
        marks = {self.decimals[name] for name in self.text_numbers}
        return marks.pop() if len(marks) == 1 else None

    @property
    def native(self) -> frozenset[str]:
        """The columns (routeplan names) that were real numbers in a workbook."""
        renames = self.columns.renames
        return frozenset(renames.get(name, name) for name in self.raw.native_numbers)

    def describe(self) -> str:
        """``clients.csv: cp1252, ';' separator, decimal comma``."""
        text = self.raw.describe()
        if self.decimal == ",":
            text += ", " + _("decimal comma")
        elif self.decimal == ".":
            text += ", " + _("decimal point")
        return text


def _separator_problem(raw: RawTable, file: str) -> Problem | None:
    """A file read as one column whose header holds another separator: the wrong separator."""
    if raw.separator is None or len(raw.frame.columns) != 1:
        return None
    header = str(raw.frame.columns[0])
    others = [s for s in SEPARATORS if s != raw.separator and s in header]
    if not others:
        return None
    seen = separator_label(others[0])
    setting = "tab" if others[0] == "\t" else others[0]
    return Problem(
        file,
        _(
            "read with {used} as separator, the file has a single column; "
            "its header seems separated by {seen}",
            used=separator_label(raw.separator),
            seen=seen,
        ),
        kind="separator",
        hint=_('set [input] separator = "{separator}" (or remove it to detect)', separator=setting),
    )


@dataclass(frozen=True)
class _Assumed:
    """A column whose cells do not prove their decimal mark, read with ``mark``."""

    column: str
    example: str
    mark: Decimal


def _decimals(
    frame: pd.DataFrame, numeric: Sequence[str], native: frozenset[str], forced: Decimal | None
) -> tuple[dict[str, Decimal], set[str], list[_Assumed]]:
    """Decimal mark per numeric column, the text columns with numbers, and the assumptions.

    A column whose cells prove a mark (``1.234,5``, ``4.6097``) keeps it; the others take
    ``[input] decimal`` when set, else the mark the file's other columns prove, else ``.``.
    """
    present = [c for c in numeric if c in frame.columns]
    guesses = {c: guess_decimal(frame[c]) for c in present if c not in native}
    votes = [g.mark for g in guesses.values() if g.mark is not None]
    file_mark: Decimal = "."
    if votes and votes.count(",") > votes.count("."):
        file_mark = ","
    decimals: dict[str, Decimal] = dict.fromkeys(present, ".")
    filled = {c for c in guesses if (frame[c] != "").any()}
    assumed = []
    for column, guess in guesses.items():
        if guess.mark is not None:
            decimals[column] = guess.mark
            continue
        decimals[column] = forced or file_mark
        if guess.ambiguous is not None and forced is None:
            assumed.append(_Assumed(column, guess.ambiguous, decimals[column]))
    return decimals, filled, assumed


def _assumption_note(path: Path, column: str, assumed: _Assumed) -> str:
    if assumed.mark == ".":
        return _(
            "{file}, column '{column}': '{value}' could be read either way; read with a decimal "
            'point like the file\'s other numbers (set [input] decimal = "," if it is a decimal '
            "comma)",
            file=path.name,
            column=column,
            value=assumed.example,
        )
    return _(
        "{file}, column '{column}': '{value}' could be read either way; read with a decimal "
        'comma like the file\'s other numbers (set [input] decimal = "." if it is a decimal '
        "point)",
        file=path.name,
        column=column,
        value=assumed.example,
    )


def read_localised(
    path: Path,
    columns: Sequence[Column],
    synonyms: Mapping[str, tuple[str, ...]],
    *,
    options: InputConfig,
    explicit: Mapping[str, str],
    section: str,
) -> LocalisedTable:
    """Read one input file, detect its format, map its columns, decide its decimal marks.

    Parameters
    ----------
    path
        The file.
    columns
        routeplan's columns of this table.
    synonyms
        Header synonyms of this table.
    options
        ``[input]``.
    explicit
        ``[columns.<table>]``.
    section
        ``"columns.clients"`` or ``"columns.reps"``.

    Returns
    -------
    LocalisedTable
        The renamed text frame and its decimal marks.

    Raises
    ------
    InputError
        File-wide problems: unreadable, wrong separator, bad explicit mapping.

    """
    file = str(path)
    raw = read_input_table(path, options=options, known=known_header_keys(synonyms))
    mapping = map_columns(
        raw.frame.columns, synonyms, explicit=explicit, file=file, section=section
    )
    wrong_separator = _separator_problem(raw, file)
    fatal = ([wrong_separator] if wrong_separator else []) + mapping.problems
    if fatal:
        raise InputError(fatal, hint=fatal[0].hint)
    frame = raw.frame.rename(columns=mapping.renames)
    table = LocalisedTable(raw, mapping, frame, problems=list(raw.problems))
    numeric = [c.name for c in columns if c.numeric]
    table.decimals, table.text_numbers, assumed = _decimals(
        frame, numeric, table.native, options.decimal
    )
    for item in assumed:
        header = mapping.source.get(item.column, item.column)
        table.notes.append(_assumption_note(path, header, item))
    return table
