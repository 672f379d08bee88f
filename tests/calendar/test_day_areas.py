"""Day areas: one compact, balanced area per workday, stable over the cycle; AAA days follow."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from routeplan.calendar.construction import build_calendar
from routeplan.calendar.day_areas import alternating_days, keep_named_whole, rep_areas
from routeplan.calendar.updates import add_clients
from routeplan.config import WEEKDAYS, Settings

HOME = (60.20, 24.90)
BLOBS = {"N": (0.06, 0.0), "NE": (0.02, 0.11), "SE": (-0.05, 0.07), "SW": (-0.05, -0.07)}
BLOBS["NW"] = (0.02, -0.11)


def _world() -> tuple[pd.DataFrame, pd.DataFrame]:
    """One rep at home in the middle, five neighbourhoods of 12 clients around it."""
    rows = []
    for name, (dlat, dlon) in BLOBS.items():
        for i in range(12):
            tier = "AAA" if i == 0 else "AA" if i < 3 else "A" if i < 7 else "B"
            rows.append(
                {
                    "client_id": f"{name}{i:02d}",
                    "rep_id": "R1",
                    "tier": tier,
                    "lat": HOME[0] + dlat + 0.002 * (i % 4),
                    "lon": HOME[1] + dlon + 0.003 * (i // 4),
                    "area": name,
                }
            )
    reps = pd.DataFrame(
        [
            {
                "rep_id": "R1",
                "home_lat": HOME[0],
                "home_lon": HOME[1],
                "workdays": "Mon Tue Wed Thu Fri",
            }
        ]
    )
    return pd.DataFrame(rows), reps


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(np.hypot((a[0] - b[0]) * 111.3, (a[1] - b[1]) * 111.3 * np.cos(np.radians(60.2))))


@pytest.fixture(scope="module")
def calendar() -> pd.DataFrame:
    clients, reps = _world()
    return build_calendar(clients, Settings(), reps=reps)


def test_clients_of_one_area_share_one_day(calendar) -> None:
    first = calendar.drop_duplicates("client_id").assign(blob=lambda f: f["client_id"].str[:-2])
    per_blob = first.groupby("blob")["area_day"].nunique()
    assert (per_blob == 1).all()
    days = first.groupby("blob")["area_day"].first()
    assert sorted(days) == sorted(WEEKDAYS[:5])  # one neighbourhood per workday
    assert (first["day_area"] >= 1).all()


def test_areas_are_stable_across_weeks(calendar) -> None:
    assert (calendar.groupby("client_id")["area_day"].nunique() == 1).all()
    assert (calendar.groupby("client_id")["day_area"].nunique() == 1).all()


def test_aaa_pair_days_follow_the_area(calendar) -> None:
    first = calendar.drop_duplicates("client_id").set_index("client_id")
    area_of_day = {day: grp.index.str[:-2][0] for day, grp in first.groupby("area_day")}
    key = calendar[(calendar["tier"] == "AAA") & (calendar["week"] == 2)]
    for cid, grp in key.groupby("client_id"):
        days = [WEEKDAYS.index(d) for d in grp["days"]]
        own = WEEKDAYS.index(first.loc[cid, "area_day"])
        assert own in days
        partner = next(d for d in days if d != own)
        assert abs(partner - own) >= 2  # the tier's spacing
        # the partner day is the day of a neighbouring area (never the far side)
        mine = str(cid)[:-2]
        dist = {b: _km(BLOBS[mine], BLOBS[b]) for b in BLOBS if b != mine}
        assert dist[area_of_day[WEEKDAYS[partner]]] <= sorted(dist.values())[1] + 1e-9


def test_weekly_clients_keep_every_day_open_but_prefer_their_area_day(calendar) -> None:
    aa = calendar[(calendar["tier"] == "AA") & (calendar["week"] == 2)]
    assert (aa["days"] == "Mon Tue Wed Thu Fri").all()
    assert aa["area_day"].isin(WEEKDAYS[:5]).all()


def test_holiday_on_the_area_day_says_so() -> None:
    clients, reps = _world()
    settings = Settings(cycle={"weeks": 4, "start_date": "2027-01-04", "holidays": ["2027-01-06"]})
    cal = build_calendar(clients, settings, reps=reps)
    moved = cal[(cal["week"] == 1) & (cal["area_day"] == "Wed") & (cal["tier"] == "AA")]
    assert len(moved) and moved["reason_code"].str.contains("area_day_holiday day=Wed").all()
    assert not moved["days"].str.contains("Wed").any()
    later = cal[(cal["week"] == 2) & (cal["area_day"] == "Wed") & (cal["tier"] == "AA")]
    assert not later["reason_code"].str.contains("holiday").any()


def test_areas_balance_the_weekly_workload() -> None:
    rng = np.random.default_rng(4)
    xy = rng.uniform(-10, 10, size=(300, 2))
    weight = rng.choice([20.0, 45.0, 120.0], size=300)
    areas = rep_areas(xy, weight, home=np.zeros(2), workdays=[0, 1, 2, 3, 4])
    load = np.bincount(areas.label, weights=weight, minlength=5)
    assert np.abs(load / load.mean() - 1).max() <= 0.15
    assert sorted(areas.weekday.tolist()) == [0, 1, 2, 3, 4]
    # compact: a client is on average much nearer its area's centre than the territory's
    own = np.linalg.norm(xy - areas.centroid[areas.label], axis=1).mean()
    assert own < 0.6 * np.linalg.norm(xy - xy.mean(axis=0), axis=1).mean()
    again = rep_areas(xy.copy(), weight.copy(), home=np.zeros(2), workdays=[0, 1, 2, 3, 4])
    assert (again.label == areas.label).all()  # deterministic


def test_neighbourhood_kept_whole_when_the_balance_allows() -> None:
    weight = np.ones(10)
    label = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 0])
    names = ["x"] * 4 + ["y"] * 4 + ["x", "z"]
    out = keep_named_whole(weight, label, names, 2, tolerance=0.2)
    assert out[8] == 0  # the stray member of x joins x's area
    assert np.bincount(out).tolist() == [6, 4]
    tight = keep_named_whole(weight, label, names, 2, tolerance=0.0)
    assert tight.tolist() == label.tolist()  # no room: left where the balance wants it


def test_neighbouring_areas_are_two_days_apart() -> None:
    assert alternating_days([0, 1, 2, 3, 4]) == [0, 2, 4, 1, 3]


def test_new_client_joins_the_nearest_area_and_nobody_moves(calendar) -> None:
    _clients, reps = _world()
    new = pd.DataFrame(
        [{"client_id": "X1", "rep_id": "R1", "tier": "AA", "lat": HOME[0] + 0.061,
          "lon": HOME[1] + 0.001, "area": "N"}]
    )  # fmt: skip
    out = add_clients(calendar, new, Settings(), reps=reps)
    old = out[out["client_id"] != "X1"].reset_index(drop=True)
    pd.testing.assert_frame_equal(old, calendar.reset_index(drop=True))
    north = calendar.loc[calendar["client_id"] == "N01", "area_day"].iloc[0]
    assert set(out.loc[out["client_id"] == "X1", "area_day"]) == {north}


def test_holiday_note_is_worded_in_the_language_of_the_run() -> None:
    from routeplan.i18n import use_language
    from routeplan.model.reasons import reason_text

    reason = "per_week count=1; area_day_holiday day=Wed"
    assert (
        reason_text(reason)
        == "1 visit/week; area day Wednesday is a holiday: any open day this week"
    )
    with use_language("es"):
        assert "festivo" in reason_text(reason)
        assert "miércoles" in reason_text(reason)
    with use_language("pt-BR"):
        assert "feriado" in reason_text(reason)
