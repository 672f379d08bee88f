"""Read a CRM visit export (what happened): visits done or missed, checked row by row.

Columns: ``client_id``, ``date`` (YYYY-MM-DD; a date-time such as ``2027-01-05T10:30`` is cut
to its date), ``status`` (done or missed; common CRM words are understood, see
:data:`STATUS_WORDS`), optional ``rep_id`` and ``note``. Every problem in the file is collected
and reported once, naming file, row and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from routeplan.config import CycleConfig
from routeplan.errors import InputError, Problem
from routeplan.i18n import N_, _, translate

VISIT_LOG_COLUMNS: tuple[str, ...] = ("client_id", "date", "status", "rep_id", "note")

STATUS_WORDS: dict[str, str] = {
    "done": "done",
    "visited": "done",
    "completed": "done",
    "complete": "done",
    "held": "done",
    "missed": "missed",
    "not visited": "missed",
    "cancelled": "missed",
    "canceled": "missed",
    "no-show": "missed",
    "no show": "missed",
    "skipped": "missed",
}
"""CRM status words (lower case) and what they mean here."""

COLUMN_ALIASES: dict[str, str] = {
    "customer_id": "client_id",
    "account_id": "client_id",
    "client": "client_id",
    "visit_date": "date",
    "outcome": "status",
    "result": "status",
    "rep": "rep_id",
    "comment": "note",
}
"""Header names of common CRM exports and the column they stand for."""

_HINT = N_("columns client_id,date,status[,rep_id,note]; dates YYYY-MM-DD; status done or missed")


def _parse_date(text: str) -> str | None:
    """ISO date of ``text`` (date or date-time), or None if it is not one."""
    head = text.strip().replace(" ", "T", 1).split("T", 1)[0]
    try:
        return dt.date.fromisoformat(head).isoformat() if len(head) == 10 else None
    except ValueError:
        return None


def _cycle_problems(
    rows: list[dict[str, str | None]], cycle: CycleConfig, name: str
) -> list[Problem]:
    """Dates before the cycle starts or after its last day."""
    first = cycle.start_date
    last = cycle.week_start(cycle.weeks) + dt.timedelta(days=6)
    problems = []
    for line, row in enumerate(rows, start=2):
        date = row["date"]
        if date and not first.isoformat() <= date <= last.isoformat():
            message = _(
                "date {date} is outside the cycle ({first} to {last})",
                date=date,
                first=first.isoformat(),
                last=last.isoformat(),
            )
            problems.append(Problem(name, message, row=line, column="date"))
    return problems


def _contradiction_problems(rows: list[dict[str, str | None]], name: str) -> list[Problem]:
    """Rows saying one client's visit of one date was both done and missed."""
    seen: dict[tuple[str | None, str | None], tuple[int, str | None]] = {}
    problems = []
    for line, row in enumerate(rows, start=2):
        key = (row["client_id"], row["date"])
        if None in key or row["status"] is None:
            continue
        if key not in seen:
            seen[key] = (line, row["status"])
        elif seen[key][1] != row["status"]:
            message = _(
                "client '{client}' on {date} is {status} here and {other} on row {row}",
                client=row["client_id"],
                date=row["date"],
                status=row["status"],
                other=seen[key][1],
                row=seen[key][0],
            )
            problems.append(Problem(name, message, row=line, column="status"))
    return problems


def visit_log_from_csv(
    path: Path | str, known_clients: Iterable[str], *, cycle: CycleConfig | None = None
) -> pd.DataFrame:
    """Read and check a visit log exported from a CRM.

    Parameters
    ----------
    path
        The CSV file.
    known_clients
        Client ids of the plan; a row naming another client is an error.
    cycle
        The planning cycle; a date outside it is an error (``None``: not checked).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VISIT_LOG_COLUMNS`; ``date`` as ``YYYY-MM-DD``, ``status`` done|missed.

    Raises
    ------
    InputError
        Missing file or columns, unknown clients, bad dates or statuses, dates outside the
        cycle, one visit both done and missed; every problem of the file at once, with its
        row (header = row 1) and column.

    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError([Problem(name, _("file not found"))], hint=_("check the path"))
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(
            [Problem(name, _("not a readable CSV file: {error}", error=first_line))],
            hint=translate(_HINT),
        ) from exc
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    raw = raw.rename(columns={k: v for k, v in COLUMN_ALIASES.items() if v not in raw.columns})
    missing = [c for c in ("client_id", "date", "status") if c not in raw.columns]
    if missing:
        raise InputError(
            [Problem(name, _("missing column '{column}'", column=c), column=c) for c in missing],
            hint=translate(_HINT),
        )
    known = {str(c) for c in known_clients}
    problems: list[Problem] = []
    rows = []
    for i, rec in enumerate(raw.to_dict("records")):
        line = i + 2
        cid = str(rec["client_id"]).strip()
        date = _parse_date(str(rec["date"]))
        status = STATUS_WORDS.get(str(rec["status"]).strip().lower())
        if not cid:
            problems.append(Problem(name, _("empty client_id"), row=line, column="client_id"))
        elif cid not in known:
            problems.append(
                Problem(
                    name, _("unknown client '{client}'", client=cid), row=line, column="client_id"
                )
            )
        if date is None:
            problems.append(
                Problem(
                    name,
                    _("bad date '{date}', use YYYY-MM-DD", date=rec["date"]),
                    row=line,
                    column="date",
                )
            )
        if status is None:
            problems.append(
                Problem(
                    name,
                    _("bad status '{status}', use done or missed", status=rec["status"]),
                    row=line,
                    column="status",
                )
            )
        rows.append(
            {
                "client_id": cid,
                "date": date,
                "status": status,
                "rep_id": str(rec.get("rep_id", "")).strip(),
                "note": str(rec.get("note", "")).strip(),
            }
        )
    if cycle is not None:
        problems += _cycle_problems(rows, cycle, name)
    problems += _contradiction_problems(rows, name)
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise InputError(problems, hint=_HINT)
    return pd.DataFrame(rows, columns=list(VISIT_LOG_COLUMNS))
