"""Where a job's inputs and plan state come from: :class:`DataSource` (light to import).

Kept apart from :mod:`routeplan.planning.prepare` (which loads geopandas and the travel
models) so that the command line can name its data folder without importing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STORE_FILENAME = "plan.sqlite"
"""The plan store's file name inside a data folder (default of ``--store``)."""


@dataclass(frozen=True)
class DataSource:
    """Where a job's inputs and plan state come from (the CLI's global options).

    Parameters
    ----------
    data_dir
        Folder with clients, reps, zones and (by default) ``routeplan.toml``.
    config_path
        An explicit settings file; it must exist (default ``data_dir/routeplan.toml``).
    store_path
        The plan store (default ``data_dir/plan.sqlite``).
    skip_invalid
        Leave bad input rows out (written to ``rejects-*.csv``) instead of failing.

    """

    data_dir: Path
    config_path: Path | None = None
    store_path: Path | None = None
    skip_invalid: bool = False

    @property
    def store_file(self) -> Path:
        """The plan store file."""
        return self.store_path or self.data_dir / STORE_FILENAME
