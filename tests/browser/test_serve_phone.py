"""The field app in Chromium on a phone (390×844, touch): sign-in by link, check-in, outcome,
re-plan, the offline queue and its replay (never twice), and the managers' live page."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.field import MANAGER_ALL, TODAY, WEEK, add_people, build_world, copy_world, link_token
from helpers.server import Server

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = build_world(tmp_path_factory.mktemp("field-browser"))
    with (data / "routeplan.toml").open("a") as toml:  # the reps' language: Spanish labels
        toml.write('\n[ui]\nlanguage = "es"\n')
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
    home = {"latitude": 60.2, "longitude": 24.85}
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
        geolocation=home, permissions=["geolocation"], locale="en-GB",
    )  # fmt: skip
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]
    yield page
    errors = page.errors  # type: ignore[attr-defined]
    context.close()
    assert errors == [], errors


def field_rows(data: Path) -> list[tuple]:
    conn = sqlite3.connect(data / "plan.sqlite")
    rows = conn.execute(
        "SELECT client_id, status, outcome, source, lat, lon, distance_m, checked_in_at, "
        "order_value FROM visit_log WHERE source = 'field' ORDER BY id"
    ).fetchall()
    conn.close()
    return rows


def sign_in(page: object, server: Server, person: str) -> None:
    page.goto(f"{server.url}/signin?token={link_token(server.data, person)}")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.tap("#signin")  # type: ignore[attr-defined]


def stop_card(page: object, n: int) -> object:
    return page.locator(".stop").nth(n)  # type: ignore[attr-defined]


def test_sign_in_by_link_check_in_and_outcome(phone: object, server: Server, screenshot) -> None:
    page = phone
    sign_in(page, server, "R1")
    assert page.url.endswith("/today")  # type: ignore[attr-defined]
    cards = page.locator(".stop")  # type: ignore[attr-defined]
    assert cards.count() >= 3
    assert page.locator("#map circle.pin").count() == cards.count()  # type: ignore[attr-defined]
    first = stop_card(page, 0)
    box = first.locator("[data-action=checkin]").bounding_box()  # type: ignore[attr-defined]
    assert box["height"] >= 44 and box["width"] >= 44
    first.locator("[data-action=checkin]").tap()  # type: ignore[attr-defined]
    checkin = first.locator("[data-role=checkin]")  # type: ignore[attr-defined]
    checkin.wait_for(state="visible")
    assert "Distancia al cliente" in checkin.inner_text()
    form = first.locator("[data-role=outcome]")  # type: ignore[attr-defined]
    form.locator("input[value=done]").tap()
    form.locator("input[name=order_value]").fill("125.50")
    page.evaluate("() => window.scrollTo(0, 0)")  # type: ignore[attr-defined]
    screenshot(page, "serve-phone.png")
    form.locator("button[type=submit]").tap()
    page.wait_for_function("() => window.routeplanField.queue().length === 0")  # type: ignore[attr-defined]
    assert first.get_attribute("data-status") == "done"  # type: ignore[attr-defined]
    rows = field_rows(server.data)
    assert len(rows) == 1
    client_id, status, outcome, source, lat, lon, distance, checked_in_at, value = rows[0]
    assert (status, outcome, source, value) == ("done", "done", "field", 125.5)
    assert (lat, lon) == (60.2, 24.85) and distance > 0 and checked_in_at
    assert client_id == first.get_attribute("data-client")  # type: ignore[attr-defined]


def test_offline_queue_is_replayed_once_when_back_online(phone: object, server: Server) -> None:
    page = phone
    sign_in(page, server, "R1")
    context = page.context  # type: ignore[attr-defined]
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # type: ignore[attr-defined]
    context.set_offline(True)
    second = stop_card(page, 1)
    second.locator("[data-action=checkin]").tap()  # type: ignore[attr-defined]
    form = second.locator("[data-role=outcome]")  # type: ignore[attr-defined]
    form.wait_for(state="visible")
    form.locator("input[value=missed]").tap()
    form.locator("select[name=reason]").select_option("absent")
    form.locator("button[type=submit]").tap()
    page.wait_for_selector("#queue:not([hidden])")  # type: ignore[attr-defined]
    assert page.locator("#queue-count").inner_text() == "1"  # type: ignore[attr-defined]
    assert field_rows(server.data) == []  # nothing reached the server
    page.reload()  # type: ignore[attr-defined]  # the page (from the service worker) keeps the queue
    assert page.locator("#queue-count").inner_text() == "1"  # type: ignore[attr-defined]
    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # type: ignore[attr-defined]
    page.wait_for_function("() => window.routeplanField.queue().length === 0")  # type: ignore[attr-defined]
    rows = field_rows(server.data)
    assert [(r[1], r[2]) for r in rows] == [("missed", "missed")]
    # A reply lost on the way back: the phone sends the same item again; still one visit.
    sent = page.evaluate(  # type: ignore[attr-defined]
        """() => { const q = [{key: 'replay-k-1', body: {client_key: 'replay-k-1',
              client_id: document.querySelectorAll('.stop')[2].dataset.client,
              date: JSON.parse(document.getElementById('app').dataset.plan).date,
              status: 'done'}}];
            localStorage.setItem('rp-queue-R1', JSON.stringify(q.concat(q)));
            return window.routeplanField.flush()
              .then(() => window.routeplanField.queue().length); }"""
    )
    assert sent == 0
    assert len(field_rows(server.data)) == 2


def test_replan_the_rest_of_today(phone: object, server: Server) -> None:
    page = phone
    sign_in(page, server, "R1")
    total = page.locator(".stop").count()  # type: ignore[attr-defined]
    page.tap("#replan")  # type: ignore[attr-defined]
    page.wait_for_selector("#replan-result:not([hidden]) h2")  # type: ignore[attr-defined]
    routed = page.locator("#replan-stops li").count()  # type: ignore[attr-defined]
    dropped = page.locator("#replan-dropped li").count()  # type: ignore[attr-defined]
    assert (routed + dropped == total and routed > 0) or dropped == total
    order = [page.locator(".stop").nth(i).get_attribute("data-client") for i in range(routed)]  # type: ignore[attr-defined]
    listed = page.locator("#replan-stops li").evaluate_all("els => els.map(e => e.dataset.client)")  # type: ignore[attr-defined]
    assert order == listed  # the stop cards follow the new order


def test_manager_live_page_counts_the_day(phone: object, server: Server, browser: object) -> None:
    import httpx
    from helpers.field import api_token

    headers = {"Authorization": f"Bearer {api_token(server.data, 'R1')}"}
    stops = httpx.get(
        f"{server.url}/api/v1/weeks/{WEEK}/reps/R1/stops?date={TODAY}", headers=headers
    ).json()["stops"]
    for n, status in enumerate(("done", "missed")):
        at = f"{TODAY}T09:0{n}:00+02:00"
        body = {"client_id": stops[n]["client_id"], "date": TODAY.isoformat(), "status": status,
                "client_key": f"live-{n:05d}", "checked_in_at": at}  # fmt: skip
        assert httpx.post(f"{server.url}/api/v1/visits", json=body, headers=headers).is_success
    page = phone
    sign_in(page, server, MANAGER_ALL)
    assert page.url.endswith("/live")  # type: ignore[attr-defined]
    row = page.locator("tr[data-rep=R1]")  # type: ignore[attr-defined]
    assert row.locator("[data-col=done]").inner_text() == "1"
    assert row.locator("[data-col=missed]").inner_text() == "1"
    assert row.locator("[data-col=remaining]").inner_text() == str(len(stops) - 2)
    assert page.locator("tr[data-rep=R2] [data-col=done]").inner_text() == "0"  # type: ignore[attr-defined]
