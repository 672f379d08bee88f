"""The field app in Chromium on a phone (390×844, touch): sign-in by link, the Leaflet map of
the day (offline too), check-in, outcome, re-plan, the offline queue and its replay (never
twice), sign-out leaving nothing for the next person, and the managers' live page with the
zones map of the week."""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.field import MANAGER_ALL, TODAY, WEEK, add_people, build_world, copy_world, link_token
from helpers.server import Server
from playwright.sync_api import Error as PlaywrightError

from .conftest import BLANK_PNG

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
    context.route(  # no internet here: tiles answer blank
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(body=BLANK_PNG, content_type="image/png"),
    )
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


def outcome_form(page: object, n: int) -> object:
    """Check in at stop ``n`` and return its outcome form once it shows."""
    card = stop_card(page, n)
    card.locator("[data-action=checkin]").tap()  # type: ignore[attr-defined]
    form = card.locator("[data-role=outcome]")  # type: ignore[attr-defined]
    form.wait_for(state="visible")
    return form


def test_sign_in_by_link_check_in_and_outcome(phone: object, server: Server, screenshot) -> None:
    page = phone
    sign_in(page, server, "R1")
    assert page.url.endswith("/today")  # type: ignore[attr-defined]
    cards = page.locator(".stop")  # type: ignore[attr-defined]
    assert cards.count() >= 3
    page.wait_for_selector("#map[data-ready=leaflet]")  # type: ignore[attr-defined]
    assert page.locator("#map .rp-pin").count() == cards.count()  # type: ignore[attr-defined]
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
    form = outcome_form(page, 1)
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


@pytest.mark.parametrize("clock", ["08:05", "15:30"])
def test_replan_the_rest_of_today(phone: object, server: Server, clock: str) -> None:
    """Re-plan from the phone's clock: early, the whole day fits; late, some stops do not."""
    page = phone
    hour, minute = map(int, clock.split(":"))
    now = datetime.datetime.combine(TODAY, datetime.time(hour, minute))
    page.clock.set_fixed_time(now)  # type: ignore[attr-defined]
    sign_in(page, server, "R1")
    total = page.locator(".stop").count()  # type: ignore[attr-defined]
    page.tap("#replan")  # type: ignore[attr-defined]
    page.wait_for_selector("#replan-result:not([hidden]) h2")  # type: ignore[attr-defined]
    routed = page.locator("#replan-stops li[data-client]").count()  # type: ignore[attr-defined]
    dropped = page.locator("#replan-dropped li").count()  # type: ignore[attr-defined]
    assert routed + dropped == total and routed > 0
    assert (dropped == 0) == (clock == "08:05")
    cards = [page.locator(".stop").nth(i).get_attribute("data-client") for i in range(total)]  # type: ignore[attr-defined]
    clients = "els => els.map(e => e.dataset.client)"
    listed = page.locator("#replan-stops li[data-client]").evaluate_all(clients)  # type: ignore[attr-defined]
    missed = page.locator("#replan-dropped li").evaluate_all(clients)  # type: ignore[attr-defined]
    # the stop cards follow the new order, and those that no longer fit today come last (the
    # page re-plans from the phone's clock, so how many fit depends on the time of day)
    assert cards == listed + missed


def test_manager_live_page_counts_the_day(
    phone: object, server: Server, browser: object, screenshot
) -> None:
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
    page.wait_for_selector("#zones-map[data-ready='2']")  # type: ignore[attr-defined]
    zones = page.locator("#zones-map path[data-zone]")  # type: ignore[attr-defined]
    assert sorted(zones.evaluate_all("els => els.map(e => e.dataset.zone)")) == ["Z1", "Z2"]
    pairs = "els => els.map(e => [e.dataset.zone, e.getAttribute('fill')])"
    fills = dict(zones.evaluate_all(pairs))
    served = page.evaluate(  # type: ignore[attr-defined]
        f"""async () => (await (await fetch('/api/v1/weeks/{WEEK}/zones')).json()).features
            .map(f => [f.properties.zone, f.properties.colour, f.properties.done])"""
    )
    assert {z: c for z, c, _done in served} == fills  # each zone in its progress colour
    assert {z: done for z, _c, done in served} == {"Z1": 1, "Z2": 0}
    assert page.locator("#zones-legend li").count() == 6  # type: ignore[attr-defined]
    box = page.locator("#zones-map").bounding_box()  # type: ignore[attr-defined]
    assert box["width"] <= 390 and box["height"] >= 240
    screenshot(page, "serve-live.png")


def test_the_days_map_is_leaflet_and_works_offline(phone: object, server: Server) -> None:
    page = phone
    sign_in(page, server, "R1")
    page.wait_for_selector("#map[data-ready=leaflet]")  # type: ignore[attr-defined]
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # type: ignore[attr-defined]
    stops = page.locator(".stop").count()  # type: ignore[attr-defined]
    assert page.locator("#map .rp-pin").count() == stops  # type: ignore[attr-defined]
    assert page.locator("#map .leaflet-overlay-pane path").count() >= 1  # type: ignore[attr-defined]
    box = page.locator("#map").bounding_box()  # type: ignore[attr-defined]
    assert box["width"] >= 360 and box["height"] >= 240
    page.context.set_offline(True)  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]  # page, Leaflet and its CSS from the cache
    page.wait_for_selector("#map[data-ready=leaflet]")  # type: ignore[attr-defined]
    assert page.locator("#map .rp-pin").count() == stops  # type: ignore[attr-defined]
    form = outcome_form(page, 0)
    form.locator("button[type=submit]").tap()
    client = stop_card(page, 0).get_attribute("data-client")  # type: ignore[attr-defined]
    pin = page.locator("#map .rp-pin").nth(0)  # type: ignore[attr-defined]
    assert pin.get_attribute("data-client") == client
    assert "done" in (pin.get_attribute("class") or "")  # the pin follows the outcome


def _settled_content(page: object) -> str:
    """The page's HTML once no navigation is under way.

    After a failed offline ``goto`` Chromium still loads its own error page, and ``content``
    refuses while it does; wait for the load and ask again (bounded).
    """
    for _ in range(20):
        try:
            page.wait_for_load_state()  # type: ignore[attr-defined]
            return str(page.content())  # type: ignore[attr-defined]
        except PlaywrightError as exc:
            if "navigating" not in str(exc):
                raise
    msg = "the page kept navigating"
    raise AssertionError(msg)


def _storage(page: object) -> dict:
    return page.evaluate(  # type: ignore[attr-defined]
        """async () => ({caches: await caches.keys(),
            keys: Object.keys(localStorage).filter(k => k.startsWith('rp-'))})"""
    )


def test_sign_out_leaves_nothing_for_the_next_person(phone: object, server: Server) -> None:
    page = phone
    sign_in(page, server, "R1")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "async () => (await caches.keys()).length > 0 && "
        "(await (await caches.open((await caches.keys())[0])).match('/today')) !== undefined"
    )
    r1_names = page.locator(".stop .name").all_inner_texts()  # type: ignore[attr-defined]
    context = page.context  # type: ignore[attr-defined]
    context.set_offline(True)
    form = outcome_form(page, 0)
    form.locator("button[type=submit]").tap()
    page.wait_for_selector("#queue:not([hidden])")  # type: ignore[attr-defined]
    assert _storage(page)["keys"]  # the queue and the check-in are on the phone
    page.route("**/api/v1/visits", lambda route: route.abort())  # type: ignore[attr-defined]
    context.set_offline(False)  # back online, but the visit still cannot be sent
    dialogs: list[str] = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))  # type: ignore[attr-defined]
    with page.expect_navigation(url="**/signed-out"):  # type: ignore[attr-defined]
        page.tap("form.signout button")  # type: ignore[attr-defined]
    assert dialogs and "?" in dialogs[0]  # asked first: an unsent visit would be lost
    page.wait_for_selector("html[data-cleared]")  # type: ignore[attr-defined]
    assert _storage(page) == {"caches": [], "keys": []}
    context.set_offline(True)
    try:  # no cached page any more: the browser's own offline error, or the worker's 503
        response = page.goto(f"{server.url}/today")  # type: ignore[attr-defined]
        assert response is None or response.status != 200
    except PlaywrightError as exc:
        assert "ERR_INTERNET_DISCONNECTED" in str(exc)
    html = _settled_content(page)
    assert not any(name in html for name in r1_names)
    context.set_offline(False)
    sign_in(page, server, "R2")
    assert page.url.endswith("/today")  # type: ignore[attr-defined]
    r2_names = page.locator(".stop .name").all_inner_texts()  # type: ignore[attr-defined]
    assert r2_names and not set(r1_names) & set(r2_names)
    assert page.locator("#queue").is_hidden()  # type: ignore[attr-defined]
    assert page.evaluate("() => window.routeplanField.queue().length") == 0  # type: ignore[attr-defined]
