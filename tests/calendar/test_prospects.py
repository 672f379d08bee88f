"""Prospects in the calendar: their own cadence whatever the tier, a reason that says so."""

from __future__ import annotations

import pandas as pd
from helpers.calendar_world import synthetic_world

from routeplan.calendar.construction import build_calendar
from routeplan.calendar.updates import sync_calendar
from routeplan.config import Settings
from routeplan.i18n import use_language
from routeplan.model.reasons import reason_text


def _world() -> tuple[pd.DataFrame, pd.DataFrame]:
    clients, reps = synthetic_world(200, 2, seed=5)
    clients = clients.assign(stage="regular")
    aaa = clients.index[clients["tier"] == "AAA"][:2]
    b = clients.index[clients["tier"] == "B"][:3]
    clients.loc[aaa.union(b), "stage"] = " Prospect "
    return clients, reps


def test_prospects_get_the_prospect_cadence_whatever_their_tier() -> None:
    clients, reps = _world()
    settings = Settings()  # prospects: a visit every 4 weeks of 30 minutes; cycle of 12 weeks
    calendar = build_calendar(clients, settings, reps=reps)
    prospects = set(clients.loc[clients["stage"].str.strip() == "Prospect", "client_id"])
    rows = calendar[calendar["client_id"].isin(prospects)]
    assert set(rows["client_id"]) == prospects
    assert (rows.groupby("client_id").size() == 3).all()  # AAA and B alike: 12 / 4
    assert (rows["service_min"] == 30).all() and (rows["phase"] > 0).all()
    assert rows["reason_code"].str.startswith("prospect; every_n_weeks weeks=4").all()
    others = calendar[~calendar["client_id"].isin(prospects) & (calendar["tier"] == "AAA")]
    assert not others["reason_code"].str.contains("prospect").any()
    with use_language("es"):
        assert reason_text(rows["reason_code"].iloc[0]).startswith("prospecto: la cadencia")


def test_a_prospect_that_starts_buying_takes_its_tiers_cadence() -> None:
    clients, reps = _world()
    settings = Settings()
    calendar = build_calendar(clients, settings, reps=reps)
    converted = clients.loc[clients["tier"] == "AAA"].iloc[0]["client_id"]
    clients.loc[clients["client_id"] == converted, "stage"] = "new"
    updated, changes = sync_calendar(calendar, clients, settings, reps=reps)
    assert converted in changes["changed"]
    rows = updated[updated["client_id"] == converted]
    assert len(rows) == 12 * 2 and not rows["reason_code"].str.contains("prospect").any()


def test_a_new_prospect_cadence_rebuilds_the_stored_calendar() -> None:
    from routeplan.calendar.construction import settings_fingerprint

    settings = Settings()
    changed = settings.model_copy(
        update={"capacity": settings.capacity.model_copy(update={"prospect_every_weeks": 6})}
    )
    assert settings_fingerprint(changed) != settings_fingerprint(settings)
