"""What a person must see on each map, as reusable checks for any plan (fixture or demo).

Usage in a browser test in ``tests/browser/`` (a package, so its ``conftest`` does not shadow
``tests/conftest.py``; ``open_map`` comes from ``tests/browser/conftest.py``)::

    from .map_checks import check_managers_map, check_rep_map


    result = open_map(Path("maps/week-12/R01.html"))
    check_rep_map(result, routes=plan.routes[plan.routes.rep_id == "R01"],
                  days=plan.days[plan.days.rep_id == "R01"])
    check_managers_map(open_map(Path("maps/week-12/index.html")), plan=plan, clients=clients)
"""

from __future__ import annotations

import pandas as pd

from routeplan.i18n import _
from routeplan.maps.base import clock
from routeplan.maps.rep_map import CLUSTER_THRESHOLD
from routeplan.model.plan import WeekPlan

STOPS = ".leaflet-marker-pane .rp-stop"
CLIENTS = ".leaflet-marker-pane .rp-client"
CLUSTERS = ".leaflet-marker-pane .rp-cluster"
DROPPED = ".leaflet-marker-pane .rp-dropped"
LAYER_LABELS = ".leaflet-control-layers-overlays label"
POPUP = ".leaflet-popup-content"


def assert_clean(result) -> None:
    """No JavaScript error, no request to an unknown host, Leaflet and OSM credit present."""
    assert result.errors == [], result.errors
    assert result.unknown_requests == [], result.unknown_requests
    assert "OpenStreetMap" in result.page.locator(".leaflet-control-attribution").inner_text()


def stop_keys(page) -> set[str]:
    """``date#seq`` of every stop marker on the map now."""
    return set(page.locator(STOPS).evaluate_all("els => els.map(e => e.dataset.key)"))


def open_popup_of_stop(page, stop: pd.Series) -> str:
    """Click a stop's marker and return the text of the popup that opens.

    The click is dispatched on the marker itself: on a real week another day's marker may sit
    on the same client (an AAA account seen twice) and cover it.
    """
    page.locator(f'{STOPS}[data-key="{stop["date"]}#{int(stop["seq"])}"]').dispatch_event("click")
    popup = page.locator(POPUP)
    popup.wait_for()
    return popup.inner_text()


TABS = ".rp-tabs [data-day]"
SHEET = ".rp-sheet"


def tab_texts(page) -> dict[str, str]:
    """Text of each day tab by its ``data-day`` (ISO date or ``all``)."""
    return dict(
        page.locator(TABS).evaluate_all(
            "els => els.map(e => [e.dataset.day, e.innerText.replace(/\\s+/g, ' ').trim()])"
        )
    )


def show_day(page, date: str) -> None:
    """Tap a day tab (``date`` or ``"all"``) and wait until the map shows it."""
    page.locator(f'{TABS}[data-day="{date}"]').click()
    page.wait_for_function(
        "d => document.querySelector('.leaflet-container').dataset.day === d", arg=date
    )


def marker_boxes(page, selector: str = STOPS) -> list[dict]:
    """Screen rectangles of the visible markers matching ``selector``."""
    return page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {key: e.dataset.key, x: r.x, y: r.y, w: r.width, h: r.height}; })"
    )


def assert_none_hidden(boxes: list[dict], *, slack: float = 2.0) -> None:
    """No marker covers the centre area of another (rectangles overlap by less than slack)."""
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            assert dx <= slack or dy <= slack, ("markers overlap", a, b)


def assert_stops_clear_of_panels(page) -> None:
    """Every stop marker is on screen, below the tabs and clear of the sheet."""
    viewport = page.viewport_size
    tabs = page.locator(".rp-tabs").bounding_box()
    sheet = page.locator(SHEET).bounding_box()
    for box in marker_boxes(page):
        assert box["x"] >= 0 and box["x"] + box["w"] <= viewport["width"], box
        assert box["y"] >= tabs["y"] + tabs["height"], (box, tabs)
        assert box["y"] + box["h"] <= viewport["height"], box
        overlaps_x = box["x"] < sheet["x"] + sheet["width"] and box["x"] + box["w"] > sheet["x"]
        overlaps_y = box["y"] < sheet["y"] + sheet["height"] and box["y"] + box["h"] > sheet["y"]
        assert not (overlaps_x and overlaps_y), (box, sheet)


def check_rep_map(result, *, routes: pd.DataFrame, days: pd.DataFrame) -> None:
    """Check a rep week map against the rep's rows of the plan.

    A tab per day (in order, with its visit count) and an "all week" tab; the map opens on
    one day (the first with visits, the week not being this week) with only its stops, all in
    view and none hidden under another; each tab shows exactly its stops and "all week" all;
    the first stop's popup names its client. Labels are expected in the active language (wrap
    the call in ``use_language`` for a map built in another).
    """
    page = result.page
    assert_clean(result)
    days = days.sort_values("date")
    texts = tab_texts(page)
    assert list(texts) == [*days["date"], "all"], texts
    counts = routes["date"].value_counts()
    for date in days["date"]:
        assert texts[date].split()[-1] == str(int(counts.get(date, 0))), texts
    assert texts["all"].split()[-1] == str(len(routes))
    all_keys = {f"{d}#{int(s)}" for d, s in zip(routes["date"], routes["seq"], strict=True)}
    opened = page.locator(".leaflet-container").get_attribute("data-opened")
    assert opened in texts, opened
    for date in [opened, *days["date"]]:
        if date != opened:
            show_day(page, date)
        expected = {k for k in all_keys if k.startswith(f"{date}#")}
        assert stop_keys(page) == expected, date
        assert_stops_clear_of_panels(page)
        assert_none_hidden(marker_boxes(page))
    show_day(page, "all")
    assert stop_keys(page) == all_keys
    if routes.empty:
        return
    first = routes.sort_values(["date", "seq"]).iloc[0]
    text = open_popup_of_stop(page, first)
    assert str(first["name"]) in text and str(first["client_id"]) in text, text
    arrive, depart = clock(first["arrive"]), clock(first["depart"])
    assert arrive in text and depart in text, text
    page.locator(".leaflet-popup-close-button").dispatch_event("click")


def check_managers_map(result, *, plan: WeekPlan, clients: pd.DataFrame) -> None:
    """Check the managers' map: every client (clustered or not), dropped visits, route layers."""
    page = result.page
    assert_clean(result)
    shown = page.locator(CLIENTS).count()
    if len(clients) > CLUSTER_THRESHOLD:
        counts = [int(t) for t in page.locator(CLUSTERS).all_inner_texts()]
        assert counts, "no clusters drawn"
        shown += sum(counts)
    assert shown == len(clients)
    assert page.locator(DROPPED).count() == len(plan.dropped)
    assert_none_hidden(marker_boxes(page, DROPPED), slack=4.0)
    panel = page.locator(".rp-dropped-panel").inner_text()
    for reason, count in plan.dropped["reason"].astype(str).value_counts().items():
        assert reason in panel, (reason, panel)
        assert str(count) in panel
    labels = [text.strip() for text in page.locator(LAYER_LABELS).all_inner_texts()]
    dropped_label = _("Dropped visits ({count})", count=len(plan.dropped))
    assert any(label.startswith(dropped_label) for label in labels)
    route_prefix = _("Routes of {rep}", rep="")
    route_layers = [label for label in labels if label.startswith(route_prefix)]
    assert len(route_layers) == plan.routes["rep_id"].nunique(), labels
