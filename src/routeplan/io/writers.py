"""Write the week plan's tables and the rejects of a run."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from routeplan.errors import RouteplanError
from routeplan.i18n import _
from routeplan.write_errors import writing

__all__ = ["csv_field", "ensure_dir", "formula_safe", "formula_unsafe", "write_csv", "writing"]


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) or fail with a clear error."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RouteplanError(
            _("cannot create output folder {path}: {error}", path=path, error=exc.strerror),
            hint=_("choose a writable folder with --out"),
        ) from exc
    return path


CSV_LINE_END = "\n"
"""Every CSV routeplan writes is UTF-8 with ``\n`` line ends and one quoting rule."""

_NEEDS_QUOTES = frozenset(',"\r\n')

FORMULA_TRIGGERS: frozenset[str] = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""

NEUTRALISER = "'"
"""Prefix that makes a spreadsheet show a text cell as text."""

_NUMBER = re.compile(r"^(?=[^\d]*\d)[+-]?[\d.,][\d.,\u00a0\u202f ]*$")
r"""A text that is a number as a locale writes it (``-74,08``, ``+1.234,5``, ``1 234,5``): never
a formula. It holds a digit, and its separators are ``.``, ``,`` and spaces (plain, no-break,
narrow no-break), never a tab or CR: ``"\r"`` or ``"\t1"`` alone are triggers, not numbers."""


def _runs_as_formula(text: str) -> bool:
    bare = text.lstrip(NEUTRALISER)
    return bare[:1] in FORMULA_TRIGGERS and not _NUMBER.match(bare)


def formula_safe(text: str) -> str:
    r"""Neutralise a text cell a spreadsheet would run as a formula: prefix ``'``.

    A text whose first character after any leading ``'`` is one of ``= + - @``, tab or CR
    gets one more ``'``, so :func:`formula_unsafe` gives the text back exactly; a number
    written as text (``-74,08``) stays as it is.

    Parameters
    ----------
    text
        A text cell (numbers are never passed here: a negative number stays a number).

    Returns
    -------
    str
        The text as written.

    Examples
    --------
    >>> [formula_safe(t) for t in ("=1+2", "@SUM(A1)", "\t=1", "-x", "ok", "'=1", "-74,08")]
    ["'=1+2", "'@SUM(A1)", "'\t=1", "'-x", 'ok', "''=1", '-74,08']

    """
    return NEUTRALISER + text if _runs_as_formula(text) else text


def formula_unsafe(text: str) -> str:
    """Undo :func:`formula_safe` (for routeplan's own readers of its files)."""
    if text[:1] == NEUTRALISER and _runs_as_formula(text):
        return text[1:]
    return text


def csv_field(value: object) -> str:
    r"""One CSV field: empty for missing values, quoted when it holds a comma, quote, CR or LF.

    Text that a spreadsheet would run as a formula is neutralised (:func:`formula_safe`);
    numbers are written as numbers (``-2.5`` stays ``-2.5``).

    Parameters
    ----------
    value
        A cell.

    Returns
    -------
    str
        The field as written.

    Examples
    --------
    >>> [csv_field(v) for v in ("a", "a,b", "x\ry", 2.5, -1, None, float("nan"), "=1+2")]
    ['a', '"a,b"', '"x\ry"', '2.5', '-1', '', '', "'=1+2"]

    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = formula_safe(value) if isinstance(value, str) else str(value)
    if _NEEDS_QUOTES.intersection(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(table: pd.DataFrame, path: Path, *, columns: Sequence[str] = ()) -> Path:
    """Write a table as CSV: the one writer of every CSV file routeplan produces.

    UTF-8, LF line ends, no index; a field is quoted exactly when it holds a comma, a
    quote, a carriage return or a line feed (:func:`csv_field`), so every text reads back
    unchanged but for the ``'`` that neutralises a would-be formula (:func:`formula_safe`).

    Parameters
    ----------
    table
        The table.
    path
        The file to write.
    columns
        Columns to write first, in this order (the others follow as they are).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    RouteplanError
        When the file cannot be written (names the file).

    """
    order = [*columns, *(c for c in table.columns if c not in columns)]
    lines = [",".join(csv_field(c) for c in order)]
    for row in table.loc[:, order].itertuples(index=False, name=None):
        lines.append(",".join(csv_field(v) for v in row))
    with writing(path), path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(CSV_LINE_END.join(lines) + CSV_LINE_END)
    return path


def write_rejects(rejects: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """One ``rejects-<file>.csv`` per input file with rows left out, each with its reason."""
    ensure_dir(folder)
    return [write_csv(table, folder / f"rejects-{name}.csv") for name, table in rejects.items()]
