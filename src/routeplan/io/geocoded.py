"""``geocoded.csv``: coordinates found for clients that had an address but none (``geocode``).

The reader fills a client's empty ``lat``/``lon`` from it when the client's id and address
are unchanged and the match is at least as precise as ``[geocode] accept``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from routeplan.io.cells import Decimal

GEOCODED_FILE = "geocoded.csv"
GEOCODED_COLUMNS: tuple[str, ...] = (
    "client_id",
    "address",
    "lat",
    "lon",
    "quality",
    "score",
    "matched",
    "reason",
)
_PRECISION = {"address": 0, "street": 1, "locality": 2, "none": 3}


def fill_from_geocoded(
    frame: pd.DataFrame,
    data_dir: Path,
    *,
    accept: str = "street",
    decimals: dict[str, Decimal] | None = None,
) -> tuple[pd.DataFrame, int]:
    """Fill empty ``lat``/``lon`` text cells from ``data_dir/geocoded.csv``.

    Parameters
    ----------
    frame
        The clients as text, routeplan column names.
    data_dir
        The data folder.
    accept
        The coarsest quality used (``address``, ``street`` or ``locality``).
    decimals
        The decimal mark of ``lat``/``lon`` in this file (the filled text uses it).

    Returns
    -------
    tuple
        The frame (a copy when something was filled) and how many clients were filled.

    """
    path = data_dir / GEOCODED_FILE
    if not path.is_file() or "address" not in frame.columns or "client_id" not in frame.columns:
        return frame, 0
    found = pd.read_csv(path, dtype={"client_id": str, "address": str}, keep_default_na=False)
    found = found[found["quality"].map(_PRECISION).fillna(3) <= _PRECISION[accept]]
    by_key = {
        (c, a): (la, lo)
        for c, a, la, lo in zip(
            found["client_id"], found["address"], found["lat"], found["lon"], strict=True
        )
    }
    frame = frame.copy()
    for column in ("lat", "lon"):
        if column not in frame.columns:
            frame[column] = ""
    marks = decimals or {}
    filled = 0
    for row in frame.index:
        key = (frame.at[row, "client_id"], frame.at[row, "address"])
        empty = frame.at[row, "lat"] == "" or frame.at[row, "lon"] == ""
        if empty and key in by_key:
            for column, value in zip(("lat", "lon"), by_key[key], strict=True):
                text = f"{float(value):.7f}"
                frame.at[row, column] = text.replace(".", ",") if marks.get(column) == "," else text
            filled += 1
    return frame, filled
