"""What the backlog will become in the next week built: the visits that come back and why not.

Used after a visit log import, so the message counts only what will actually be planned
again and says why the rest will not.
"""

from __future__ import annotations

import pandas as pd

from routeplan.calendar.updates import catch_up_outlook
from routeplan.i18n import ngettext
from routeplan.planning.calendar_sync import load_or_build_calendar
from routeplan.planning.prepare import Prepared
from routeplan.planning.store import PlanStore
from routeplan.planning.week import unservable_of, weekly_clients


def backlog_outlook(prepared: Prepared, store: PlanStore, week: int) -> pd.DataFrame:
    """Every backlog client of ``week`` and what becomes of it (see ``catch_up_outlook``).

    Accounts left out of routing as unservable get ``why = "unservable"``.

    Parameters
    ----------
    prepared
        Loaded inputs.
    store
        The plan store (calendar, plans, visit log).
    week
        The week about to be built.

    Returns
    -------
    pandas.DataFrame
        ``client_id``, ``comes_back``, ``why``, ``days``.

    """
    calendar, _ = load_or_build_calendar(
        store, prepared.clients, prepared.settings, reps=prepared.reps
    )
    backlog = store.backlog(week, weekly_clients=weekly_clients(calendar, prepared.settings))
    if backlog.empty:
        return pd.DataFrame(columns=["client_id", "comes_back", "why", "days"])
    outlook = catch_up_outlook(calendar, week, prepared.settings, backlog=backlog)
    excluded = outlook["client_id"].isin(set(unservable_of(prepared)["client_id"]))
    outlook.loc[excluded, ["comes_back", "why", "days"]] = [False, "unservable", ""]
    return outlook


def outlook_lines(outlook: pd.DataFrame) -> list[str]:
    """Sentences for people: why the backlog visits that do not come back do not."""
    counts = outlook["why"].value_counts()
    lines = []
    if n := int(counts.get("regular_visit", 0)):
        lines.append(
            ngettext(
                "{count} is made up by the client's regular visit due this week or the next.",
                "{count} are made up by the clients' regular visits due this week or the next.",
                n,
            )
        )
    if n := int(counts.get("no_room", 0)) + int(counts.get("no_day", 0)):
        lines.append(
            ngettext(
                "{count} waits for a later week: this one leaves no room at its tier's spacing.",
                "{count} wait for a later week: this one leaves no room at their tier's spacing.",
                n,
            )
        )
    if n := int(counts.get("unservable", 0)):
        lines.append(
            ngettext(
                "{count} will not come back: the account can never be visited within its "
                "rep's working hours (see unservable.csv).",
                "{count} will not come back: the accounts can never be visited within their "
                "rep's working hours (see unservable.csv).",
                n,
            )
        )
    return lines
