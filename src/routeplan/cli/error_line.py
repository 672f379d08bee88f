"""The one line the CLI prints for an error, with the location words in the user's language.

:class:`routeplan.errors.InputError` builds its English message in ``errors`` (the lowest layer,
below the translation layer): ``"clients.csv, row 5, column 'tier': …"``. The CLI words the
first problem's file, row and column and the count of the others again here, through ``_()``.
"""

from __future__ import annotations

from routeplan.errors import InputError, Problem, RouteplanError, one_line
from routeplan.i18n import _, ngettext


def problem_line(problem: Problem) -> str:
    """``"clients.csv, fila 5, columna 'tier': …"`` in the active language."""
    params = {
        "file": problem.file,
        "row": problem.row,
        "column": problem.column,
        "message": problem.message,
    }
    if problem.row is not None and problem.column is not None:
        text = _("{file}, row {row}, column '{column}': {message}", **params)
    elif problem.row is not None:
        text = _("{file}, row {row}: {message}", **params)
    elif problem.column is not None:
        text = _("{file}, column '{column}': {message}", **params)
    else:
        text = _("{file}: {message}", **params)
    return one_line(text)


def error_line(exc: RouteplanError) -> str:
    """The message of ``exc``; for bad input, its first problem and how many more there are."""
    if not isinstance(exc, InputError):
        return exc.message
    first = problem_line(exc.problems[0])
    more = len(exc.problems) - 1
    if not more:
        return first
    return ngettext(
        "{first} (and {count} more problem)",
        "{first} (and {count} more problems)",
        more,
        first=first,
        count=more,
    )
