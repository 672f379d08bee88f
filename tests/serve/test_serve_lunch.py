"""The lunch break in the field app: on the day's stops, and kept by a re-plan.

The tiny world's visits last an hour here, so Monday runs 08:12-16:03 with lunch at 12:19.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers.field import TODAY, WEEK, add_people, api_token, build_world

from routeplan.serve.replan import lunch_window_from
from routeplan.timefmt import seconds_of

DAY = TODAY.isoformat()
REPLAN = f"/api/v1/weeks/{WEEK}/reps/R1/replan"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny world with hour-long visits, week 1 built (overrides the package's world)."""
    data = build_world(tmp_path_factory.mktemp("field-lunch"), service_min=60)
    add_people(data)
    return data


def auth(data: Path) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(data, 'R1')}"}


def stops(client: TestClient, data: Path) -> list[dict]:
    url = f"/api/v1/weeks/{WEEK}/reps/R1/stops?date={DAY}"
    return client.get(url, headers=auth(data)).json()["stops"]


def test_the_days_stops_carry_the_lunch_break_once(client: TestClient, data: Path) -> None:
    planned = stops(client, data)
    breaks = [(s["seq"], s["break_start"], s["break_end"]) for s in planned if s["break_start"]]
    assert len(breaks) == 1, planned
    seq, start, end = breaks[0]
    assert seconds_of(end) - seconds_of(start) == 30 * 60
    carrier = planned[seq - 1]
    before = planned[seq - 2]["depart"] if seq > 1 else "00:00"
    if seq < len(planned) or start < carrier["start"]:  # between the previous stop and this one
        assert before <= start and end <= carrier["start"]
    else:  # after the last visit, on the way home
        assert carrier["depart"] <= start


@pytest.mark.parametrize("clock", ["08:00", "09:40", "11:10", "12:40"])
def test_replan_keeps_the_lunch_break_and_the_longest_stretch(
    client: TestClient, data: Path, clock: str
) -> None:
    """The rep has worked since 08:00 without a break: lunch by 12:30 (12:40: at once)."""
    here = {"lat": 60.2, "lon": 24.85, "time": clock, "date": DAY}
    result = client.post(REPLAN, json=here, headers=auth(data)).json()
    assert result["stops"], result
    lunch = result["lunch"]
    assert lunch is not None, result
    start, end = seconds_of(lunch["start"]), seconds_of(lunch["end"])
    assert end - start == 30 * 60
    assert start <= max(seconds_of("12:30"), seconds_of(clock))  # 4.5 h since 08:00
    assert seconds_of(result["end"]) - end <= 4.5 * 3600
    for stop in result["stops"]:  # never during a visit
        assert seconds_of(stop["depart"]) <= start or seconds_of(stop["start"]) >= end


def test_a_replan_window_keeps_the_rule_from_the_days_start() -> None:
    """Any lunch start the window allows keeps both halves of the day within 4.5 h."""
    stretch, lunch = 16200, 1800
    day_start, day_end = seconds_of("08:00"), seconds_of("17:00")
    for now in range(day_start, seconds_of("13:00"), 300):
        (lo, hi), rule = lunch_window_from(
            now, day_start_s=day_start, latest_end_s=day_end, lunch_at_s=seconds_of("12:00"),
            lunch_s=lunch, max_stretch_s=stretch,
        )  # fmt: skip
        assert rule == 0 and now <= lo <= hi, now
        for start in (lo, hi):
            assert start - day_start <= max(stretch, now - day_start)
            assert day_end - (start + lunch) <= stretch
