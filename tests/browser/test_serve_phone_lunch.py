"""The lunch break on the rep's phone (390×844, Portuguese): in the day's list between the
stops it falls between, and moved with them by a re-plan."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.field import TODAY, add_people, build_world, copy_world, link_token
from helpers.server import Server

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hour-long visits: Monday runs 08:12–16:03 with lunch after the fourth stop."""
    data = build_world(tmp_path_factory.mktemp("field-lunch-browser"), service_min=60)
    with (data / "routeplan.toml").open("a") as toml:
        toml.write('\n[ui]\nlanguage = "pt-BR"\n')
    add_people(data)
    return data


@pytest.fixture
def server(built: Path, tmp_path: Path) -> Iterator[Server]:
    running = Server(copy_world(built, tmp_path / "data"))
    running.start()
    yield running
    running.stop()


@pytest.fixture
def phone(browser: object, server: Server) -> Iterator[object]:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
        geolocation={"latitude": 60.2, "longitude": 24.85}, permissions=["geolocation"],
    )  # fmt: skip
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], errors


def open_today(page: object, server: Server, clock: str) -> None:
    hour, minute = map(int, clock.split(":"))
    page.clock.set_fixed_time(datetime.datetime.combine(TODAY, datetime.time(hour, minute)))  # type: ignore[attr-defined]
    page.goto(f"{server.url}/signin?token={link_token(server.data, 'R1')}")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.tap("#signin")  # type: ignore[attr-defined]


def rows(page: object, selector: str) -> list[dict[str, str]]:
    """The list items' data attributes (a lunch line as ``kind = lunch``), in page order."""
    return page.locator(selector).evaluate_all(  # type: ignore[attr-defined]
        "els => els.map(e => Object.assign({kind: e.className, text: e.textContent.trim()},"
        " e.dataset))"
    )


def test_the_day_shows_its_lunch_break_between_two_stops(
    phone: object, server: Server, screenshot
) -> None:
    page = phone
    open_today(page, server, "08:00")
    day = rows(page, "#stops > li")
    lunches = [n for n, row in enumerate(day) if row["kind"] == "lunch"]
    assert len(lunches) == 1, day
    at = lunches[0]
    lunch = day[at]
    assert lunch["text"] == f"Pausa para almoço · {lunch['start']}–{lunch['end']}"  # pt-BR
    assert 0 < at < len(day) - 1  # between two visits, not at either end of the day
    assert day[at - 1]["depart"] <= lunch["start"] < lunch["end"] <= day[at + 1]["start"]
    line = page.locator("#stops > .lunch")  # type: ignore[attr-defined]
    line.scroll_into_view_if_needed()
    box = line.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "serve-lunch.png")


def test_a_replan_moves_the_lunch_break_with_the_new_order(phone: object, server: Server) -> None:
    page = phone
    open_today(page, server, "11:10")
    page.tap("#replan")  # type: ignore[attr-defined]
    page.wait_for_selector("#replan-result:not([hidden]) h2")  # type: ignore[attr-defined]
    answer = rows(page, "#replan-stops > li")
    kinds = [row["kind"] for row in answer]
    assert kinds.count("lunch") == 1, answer
    at = kinds.index("lunch")
    lunch = answer[at]
    assert "11:10" <= lunch["start"] <= "12:30"  # 4.5 h since the day began at 08:00
    assert all(row["start"] < lunch["start"] for row in answer[:at])
    assert all(row["start"] >= lunch["end"] for row in answer[at + 1 :])
    day = rows(page, "#stops > li")
    assert [r["kind"] for r in day].count("lunch") == 1  # the planned line gave way
    order = [r.get("client") or "lunch" for r in day]
    assert order[: len(answer)] == [r.get("client") or "lunch" for r in answer]
    assert day[at]["start"] == lunch["start"]  # the cards follow, lunch in its new place
