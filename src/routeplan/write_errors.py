"""One line, naming the path, for every ``OSError`` while writing a file (disk full, permission)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from routeplan.errors import RouteplanError
from routeplan.i18n import _


@contextmanager
def writing(path: Path) -> Iterator[Path]:
    """Turn an ``OSError`` while writing ``path`` into one line naming the path and the reason.

    Every writer of routeplan writes inside this context: a full disk, a missing permission or
    a folder where a file should go becomes a :class:`~routeplan.errors.RouteplanError`.

    Parameters
    ----------
    path
        The file being written.

    Yields
    ------
    pathlib.Path
        ``path``.

    Raises
    ------
    RouteplanError
        Instead of the ``OSError``; the original is chained.

    """
    try:
        yield path
    except OSError as exc:
        raise RouteplanError(
            _(
                "cannot write {path}: {reason}",
                path=exc.filename or path,
                reason=exc.strerror or exc,
            ),
            hint=_("free disk space or choose a writable --out / --maps folder"),
        ) from exc
