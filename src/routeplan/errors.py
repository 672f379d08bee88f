"""The one error hierarchy of routeplan.

Every error a user can cause subclasses :class:`RouteplanError`; the CLI turns it into one
line with a hint. Errors about input also subclass a built-in (``ValueError``) so callers can
catch either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

_CONTROL = {i: f"\\x{i:02x}" for i in range(32)} | {10: "\\n", 13: "\\r", 9: "\\t"}


def one_line(text: str) -> str:
    r"""Escape line breaks and other control characters so a message stays on one line.

    Examples
    --------
    >>> one_line("id 'R\n1'")
    "id 'R\\n1'"

    """
    return text.translate(_CONTROL)


class RouteplanError(Exception):
    """Base class of every error routeplan raises on purpose.

    Parameters
    ----------
    message
        What went wrong, in one line.
    hint
        How to fix it, in one line (optional).

    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        message = one_line(message)
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} (hint: {self.hint})"


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file: where it is and what is wrong.

    ``row`` is the 1-based line number in the file as a spreadsheet shows it (the header is
    line 1), or the 1-based feature number for GeoJSON/GeoPackage; ``None`` when the problem
    concerns the whole file or a whole column. ``value`` is the offending cell as written,
    ``kind`` a stable English code (``not_a_number``, ``missing_column`` …) for counting, and
    ``hint`` how to fix this one problem.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    kind: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return one_line(f"{where}: {self.message}")


class InputError(RouteplanError, ValueError):
    """Bad input data: names file, row and column of every problem found.

    Parameters
    ----------
    problems
        Every problem found; the first one is the message, the count follows.
    hint
        How to fix it.

    """

    def __init__(self, problems: Iterable[Problem], *, hint: str | None = None) -> None:
        self.problems = list(problems)
        if not self.problems:
            msg = "InputError needs at least one problem."
            raise ValueError(msg)
        first = str(self.problems[0])
        more = len(self.problems) - 1
        message = first if more == 0 else f"{first} (and {more} more problem(s))"
        super().__init__(message, hint=hint)

    @property
    def file(self) -> str:
        """The file of the first problem."""
        return self.problems[0].file

    @property
    def row(self) -> int | None:
        """The row of the first problem."""
        return self.problems[0].row

    @property
    def column(self) -> str | None:
        """The column of the first problem."""
        return self.problems[0].column


class ConfigError(RouteplanError, ValueError):
    """Bad ``routeplan.toml``: names the key."""


class StoreError(RouteplanError, OSError):
    """The plan store cannot be read or written."""


class InfeasibleError(RouteplanError, RuntimeError):
    """A model has no solution; the message says which constraint prevents it."""


class RouteplanWarning(UserWarning):
    """Base class of the warnings routeplan returns (users can filter them)."""


class DataWarning(RouteplanWarning):
    """Something in the data worth a look that does not stop planning."""
