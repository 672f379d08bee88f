"""Accounts their rep can never visit: opening hours that never overlap the working day.

Such an account is caught once, before routing: it is left out of every rep-week, listed with
the fix (change the hours, give the rep an evening, or move the account to another channel),
counted apart in the KPIs and never carried in the backlog, instead of being dropped and
re-queued as a catch-up every week.
"""

from __future__ import annotations

import pandas as pd

from routeplan.config import Settings, minutes_of
from routeplan.i18n import _
from routeplan.model.repday import rep_day

UNSERVABLE_COLUMNS: tuple[str, ...] = (
    "client_id",
    "name",
    "rep_id",
    "tier",
    "opens",
    "closes",
    "service_min",
    "rep_day",
    "fix",
)
"""One row per account its rep can never visit (``rep_day`` is ``HH:MM-HH:MM``)."""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _fits(opens: int, closes: int, service: int, day: tuple[int, int]) -> bool:
    """Whether a visit of ``service`` minutes fits inside both the window and the day."""
    if closes <= opens:  # open past midnight: the evening part still counts
        closes = 24 * 60
    return min(closes, day[1]) - max(opens, day[0]) >= service


def unservable_clients(
    clients: pd.DataFrame, reps: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    """Accounts whose opening hours never leave room for a visit within the rep's day.

    Parameters
    ----------
    clients
        Clients with ``client_id``, ``rep_id``, ``tier``, ``service_min`` and optional
        ``opens``/``closes`` (HH:MM; missing means open all day) and ``name``.
    reps
        Reps table (``rep_id`` and optional working-day columns).
    settings
        For the default working day (``[workday]``, overtime included).

    Returns
    -------
    pandas.DataFrame
        :data:`UNSERVABLE_COLUMNS`, by rep then client.

    """
    days = {str(rep["rep_id"]): rep_day(rep, settings.workday) for _, rep in reps.iterrows()}
    rows = []
    for client in clients.itertuples(index=False):
        opens, closes = _text(getattr(client, "opens", "")), _text(getattr(client, "closes", ""))
        day = days.get(str(getattr(client, "rep_id", "")))
        if not opens or not closes or day is None:
            continue
        span = (day.day_start_min, day.day_end_min + day.overtime_max_min)
        service = int(float(client.service_min))
        if _fits(minutes_of(opens), minutes_of(closes), service, span):
            continue
        rows.append(
            {
                "client_id": str(client.client_id),
                "name": str(getattr(client, "name", "")),
                "rep_id": str(client.rep_id),
                "tier": str(client.tier),
                "opens": opens,
                "closes": closes,
                "service_min": service,
                "rep_day": f"{_hhmm(span[0])}-{_hhmm(span[1])}",
                "fix": _(
                    "open {opens}-{closes}, the rep works {day}: change the opening hours, "
                    "give the rep an evening, or serve the account by another channel",
                    opens=opens,
                    closes=closes,
                    day=f"{_hhmm(span[0])}-{_hhmm(span[1])}",
                ),
            }
        )
    table = pd.DataFrame(rows, columns=list(UNSERVABLE_COLUMNS))
    return table.sort_values(["rep_id", "client_id"]).reset_index(drop=True)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
