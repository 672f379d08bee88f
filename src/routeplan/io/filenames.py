"""Safe, unique file names for everything named after an id (maps, ICS, GPX).

Rep ids come from CRM exports typed by people: ``../../evil``, ``/abs/path``, ``a/b``, ``CON``
or ``index`` must never become a path outside the output folder, a folder, a Windows device
or the managers' ``index.html``. :func:`file_stem` is the one sanitiser; :func:`file_key` is
what two ids must not share (file systems on Windows and macOS ignore case), checked at
validation by :func:`file_name_problems`; :func:`inside` checks every written path.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from routeplan.errors import Problem, RouteplanError
from routeplan.i18n import _

MAX_STEM_CHARS = 80
"""Longest file stem made from an id (leaves room for ``-YYYY-MM-DD.gpx`` under 255 bytes)."""

RESERVED_STEMS: frozenset[str] = frozenset(
    {
        "index",
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{i}" for i in range(1, 10)),
        *(f"lpt{i}" for i in range(1, 10)),
    }
)
"""Stems an id may not take as they are: the managers' ``index.html`` and Windows devices."""

_UNSAFE = re.compile(r"[^\w.-]+")
_DOTS = re.compile(r"\.{2,}")


def file_stem(identifier: object) -> str:
    """Return the file stem (name without suffix) for an id: letters, digits, ``_ . -`` only.

    Every other character becomes ``_``; leading and trailing dots, dashes and underscores
    go, so no stem is ``..`` or hidden; a reserved stem (:data:`RESERVED_STEMS`, case-
    insensitive, also before a dot as in ``CON.txt``) gets a ``_`` (``CON_.txt``).

    Parameters
    ----------
    identifier
        A rep id (any text).

    Returns
    -------
    str
        A non-empty stem of at most :data:`MAX_STEM_CHARS` characters.

    Examples
    --------
    >>> [file_stem(v) for v in ("R 1", "../../evil", "/abs/evil", "index", "CON", "Peña")]
    ['R_1', 'evil', 'abs_evil', 'index_', 'CON_', 'Peña']

    """
    text = unicodedata.normalize("NFKC", str(identifier))
    stem = _DOTS.sub(".", _UNSAFE.sub("_", text)).strip("._-")[:MAX_STEM_CHARS].strip("._-")
    if not stem:
        return "id"
    head, dot, tail = stem.partition(".")
    if head.lower() in RESERVED_STEMS:
        stem = f"{head}_{dot}{tail}"
    return stem


def file_key(identifier: object) -> str:
    """Return what two ids must not share: their stem, case-folded (Windows, macOS)."""
    return file_stem(identifier).casefold()


def file_name_problems(table: pd.DataFrame, column: str, *, file: str) -> list[Problem]:
    """A problem for every row whose id gives the same file name as an earlier row's id.

    Exact duplicates are left to the duplicate check; here ``R 1`` and ``R_1`` (both
    ``R_1``), or ``r1`` and ``R1``, are refused, naming both rows.

    Parameters
    ----------
    table
        Rows indexed by their file row number.
    column
        The id column.
    file
        The file, for the message.

    Returns
    -------
    list of Problem
        One per clashing row.

    """
    first: dict[str, tuple[int, str]] = {}
    problems = []
    for row, value in table[column].items():
        text = str(value)
        key = file_key(text)
        if key not in first:
            first[key] = (int(row), text)
            continue
        other_row, other = first[key]
        if other == text:
            continue
        message = _(
            "id '{id}' and id '{other}' on row {other_row} give the same file name "
            "'{stem}'; rename one of them",
            id=text,
            other=other,
            other_row=other_row,
            stem=file_stem(text),
        )
        problems.append(Problem(file, message, int(row), column))
    return problems


_ID_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f,\"']")


def id_problems(table: pd.DataFrame, column: str, *, file: str) -> list[Problem]:
    """Ids holding a comma, a quote or a control character (newline, tab): refused.

    Ids become file names, URLs, calendar UIDs and CSV cells; such characters in an id are
    almost always a broken export (a shifted column, a pasted note).
    """
    problems = []
    for row, value in table[column].items():
        text = str(value)
        if _ID_FORBIDDEN.search(text):
            message = _(
                "id {id} holds a comma, a quote or a control character (newline, tab); use "
                "letters, digits, spaces and - _ . / only",
                id=repr(text),
            )
            problems.append(Problem(file, message, int(row), column))
    return problems


def inside(folder: Path, path: Path) -> Path:
    """Return ``path`` after checking it lies inside ``folder`` (no ``..``, no absolute escape).

    Parameters
    ----------
    folder
        The output folder.
    path
        A file to be written.

    Returns
    -------
    pathlib.Path
        ``path``, unchanged.

    Raises
    ------
    RouteplanError
        When ``path`` resolves outside ``folder``.

    """
    if not path.resolve().is_relative_to(folder.resolve()):
        raise RouteplanError(
            _(
                "refusing to write {path}: it is outside the output folder {folder}",
                path=path,
                folder=folder,
            ),
            hint=_("file names come from ids; report this as a bug"),
        )
    return path
