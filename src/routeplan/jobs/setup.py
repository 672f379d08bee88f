"""Write the setup checks' warnings as ``setup-warnings.csv`` (validate and build)."""

from __future__ import annotations

from pathlib import Path

from routeplan.intake.setup import SetupWarning, setup_table
from routeplan.io.writers import ensure_dir, write_csv

SETUP_FILE = "setup-warnings.csv"


def write_setup_warnings(warnings: list[SetupWarning], folder: Path) -> list[Path]:
    """``folder/setup-warnings.csv``, one row per rep, zone, client or week concerned.

    Parameters
    ----------
    warnings
        The failed setup checks.
    folder
        Where to write; a stale file is removed when no check failed.

    Returns
    -------
    list of Path
        The file written, or nothing.

    """
    path = folder / SETUP_FILE
    if not warnings:
        path.unlink(missing_ok=True)
        return []
    table = setup_table(warnings)
    return [write_csv(table, ensure_dir(folder) / SETUP_FILE)]
