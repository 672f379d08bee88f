"""Zip-based files (XLSX) whose bytes depend on their content only, not on the clock.

openpyxl stamps every archive entry with the time it wrote it (and the workbook with its
creation and save times), so two builds of the same plan a minute apart gave two different
``week-NN.xlsx`` files and ``plan.json`` checksums. :func:`restamp` rewrites an archive with
one fixed time on every entry, in the same order and compression, and the document's
"modified" time set to a given one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

CORE_PROPERTIES = "docProps/core.xml"
"""The entry of an Office document that holds its creation and modification times."""

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip entry can carry: the stamp of every entry :func:`restamp` writes."""


def restamp(path: Path, *, modified: dt.datetime | None = None) -> Path:
    """Rewrite the zip archive ``path`` with every entry stamped :data:`ZIP_EPOCH`.

    ``modified`` replaces the document's modification time (openpyxl writes the clock's).
    The new archive is written beside it and moved over it in one rename; returns ``path``.
    """
    staging = path.with_name(f".{path.name}.restamp-{os.getpid()}")
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(staging, "w") as target:
            for entry in source.infolist():
                stamped = zipfile.ZipInfo(entry.filename, date_time=ZIP_EPOCH)
                stamped.compress_type = entry.compress_type
                stamped.external_attr = entry.external_attr
                data = source.read(entry.filename)
                if entry.filename == CORE_PROPERTIES and modified is not None:
                    when = modified.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                    data = _MODIFIED.sub(rb"\g<1>" + when + rb"\g<2>", data)
                target.writestr(stamped, data)
        staging.replace(path)
    finally:
        staging.unlink(missing_ok=True)
    return path


def plan_time(dates: Iterable[object]) -> dt.datetime:
    """A stable document time for a plan: midnight of its first date (2000-01-01 if none)."""
    first = min((str(d) for d in dates if str(d)), default="2000-01-01")
    return dt.datetime.fromisoformat(first[:10])
