"""Number types of the CLI's options whose "not a number" error is in the run's language.

click words that error itself with its type's English name ("'abc' is not a valid
integer"); these types keep click's names (so ``--help`` shows the translated ``INTEGER`` /
``NUMBER`` placeholder, see :mod:`routeplan.cli.localized`) and click's range checks, and word
only the conversion error through the translation layer.
"""

from __future__ import annotations

from typing import Any

import click

from routeplan.i18n import _


class _Worded:
    """Mixin: convert with ``_number`` first, failing with a translated message."""

    _number: type[int] | type[float] = int

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Return ``value`` as a number (then click's own checks), or fail in the language."""
        if not isinstance(value, int | float):
            try:
                self._number(value)
            except (TypeError, ValueError):
                message = (
                    _("{value} is not a whole number.", value=repr(value))
                    if self._number is int
                    else _("{value} is not a number.", value=repr(value))
                )
                click.ParamType.fail(self, message, param, ctx)  # type: ignore[arg-type]
        return super().convert(value, param, ctx)  # type: ignore[misc]


class Integer(_Worded, click.types.IntParamType):
    """A whole number (click's ``int``)."""


class Number(_Worded, click.types.FloatParamType):
    """A decimal number (click's ``float``)."""

    _number = float


class IntegerRange(_Worded, click.IntRange):
    """A whole number within bounds (click's ``IntRange``)."""


class NumberRange(_Worded, click.FloatRange):
    """A decimal number within bounds (click's ``FloatRange``)."""

    _number = float


INTEGER = Integer()
NUMBER = Number()
