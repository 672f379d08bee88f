"""Click options shared by several commands (one definition, one help style)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from routeplan.cli.numbers import INTEGER

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def out_option(what: str, *, default: str = "out", name: str = "out") -> Decorator:
    """``--out FOLDER``: where a command writes; ``what`` (marked with ``N_``) says what goes there.

    The help is translated when it is shown (see :mod:`routeplan.cli.localized`).
    """
    return click.option(
        "--out",
        name,
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help=what,
    )


def week_option(what: str) -> Decorator:
    """``--week N``: a week of the cycle (1-based), required.

    Any integer is accepted here: the cycle check names the valid range (exit code 1).
    """
    return click.option("--week", type=INTEGER, required=True, help=what)
