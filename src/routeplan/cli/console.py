"""Rich output for the CLI: progress bars and tables.

Light to import (every command's module imports it): pandas, the labels and the KPI titles
load when a table is printed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from routeplan.i18n import N_, format_number, translate

if TYPE_CHECKING:
    import pandas as pd

_WIDTH = None if sys.stdout.isatty() else 120
console = Console(width=_WIDTH)
err_console = Console(stderr=True, width=_WIDTH)


PROGRESS_STEPS = {"routing": N_("routing"), "maps": N_("maps")}
"""The label of each progress step a job reports (``progress("routing", done, total)``)."""


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback ``(step, done, total)`` drawn as rich bars (one per step)."""
    bars = Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    )
    tasks: dict[str, TaskID] = {}

    def update(step: str, done: int, total: int) -> None:
        if step not in tasks:
            label = translate(PROGRESS_STEPS[step]) if step in PROGRESS_STEPS else step
            tasks[step] = bars.add_task(label, total=total)
        bars.update(tasks[step], completed=done, total=total)

    with bars:
        yield update


def dataframe_table(table: pd.DataFrame, *, title: str) -> Table:
    """A DataFrame as a rich table: titled, numbers right-aligned (in the active locale)."""
    import pandas as pd

    out = Table(title=title, title_justify="left")
    for name in table.columns:
        numeric = pd.api.types.is_numeric_dtype(table[name])
        out.add_column(str(name), justify="right" if numeric else "left")
    for row in table.itertuples(index=False):
        out.add_row(*[_cell(v) for v in row])
    return out


def print_table(table: pd.DataFrame, *, title: str) -> None:
    """Print a DataFrame as a rich table, its headings in the active language."""
    from routeplan.model.labels import labelled

    console.print(dataframe_table(labelled(table), title=title))


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value != value:
            return ""
        return format_number(value, 1 if abs(value) < 1000 else 0)
    return str(value)


def rich_tables(tables: Mapping[str, pd.DataFrame]) -> list[Table]:
    """Turn the KPI tables into :class:`rich.table.Table` objects for the terminal.

    Parameters
    ----------
    tables
        From :func:`routeplan.kpis.report.kpi_tables`.

    Returns
    -------
    list of rich.table.Table
        One per table, titled and headed in the active language, numbers right-aligned.

    """
    from routeplan.kpis.report import table_title
    from routeplan.model.labels import labelled

    return [dataframe_table(labelled(t), title=table_title(name)) for name, t in tables.items()]
