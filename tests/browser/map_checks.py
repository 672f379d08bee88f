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

from routeplan.i18n import _, format_time, ngettext
from routeplan.maps.base import day_heading
from routeplan.maps.rep_map import CLUSTER_THRESHOLD
from routeplan.model.plan import WeekPlan

STOPS = ".leaflet-marker-pane .rp-stop"
CLIENTS = ".leaflet-marker-pane .rp-client"
CLUSTERS = ".leaflet-marker-pane .marker-cluster"
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


def check_rep_map(result, *, routes: pd.DataFrame, days: pd.DataFrame) -> None:
    """Check a rep week map against the rep's rows of the plan.

    One layer per day (in order, with its visit count), one numbered marker per stop,
    unticking the busiest day hides exactly its stops (and ticking brings them back), and the
    first stop's popup names its client. Labels are expected in the active language (wrap the
    call in ``use_language`` for a map built in another).
    """
    page = result.page
    assert_clean(result)
    labels = [text.strip() for text in page.locator(LAYER_LABELS).all_inner_texts()]
    days = days.sort_values("date")
    assert len(labels) == len(days), labels
    for label, day in zip(labels, days.itertuples(index=False), strict=True):
        assert label.startswith(day_heading(day.date, day.day)), label
        assert ngettext("{count} visit", "{count} visits", day.visits) in label, label
    all_keys = {f"{d}#{int(s)}" for d, s in zip(routes["date"], routes["seq"], strict=True)}
    assert stop_keys(page) == all_keys
    if routes.empty:
        return
    busiest = routes["date"].value_counts().idxmax()
    day_name = routes.loc[routes["date"] == busiest, "day"].iloc[0]
    result.set_layer(day_heading(busiest, day_name), visible=False)
    hidden = {k for k in all_keys if k.startswith(f"{busiest}#")}
    assert stop_keys(page) == all_keys - hidden
    result.set_layer(day_heading(busiest, day_name), visible=True)
    assert stop_keys(page) == all_keys
    first = routes.sort_values(["date", "seq"]).iloc[0]
    text = open_popup_of_stop(page, first)
    assert str(first["name"]) in text and str(first["client_id"]) in text, text
    arrive, depart = format_time(str(first["arrive"])), format_time(str(first["depart"]))
    assert arrive in text and depart in text, text
    page.locator(".leaflet-popup-close-button").dispatch_event("click")


def check_managers_map(result, *, plan: WeekPlan, clients: pd.DataFrame) -> None:
    """Check the managers' map: every client (clustered or not), dropped visits, route layers."""
    page = result.page
    assert_clean(result)
    shown = page.locator(CLIENTS).count()
    if clients["tier"].value_counts().max() > CLUSTER_THRESHOLD:
        counts = [int(t) for t in page.locator(CLUSTERS).all_inner_texts()]
        assert counts, "no clusters drawn"
        shown += sum(counts)
    assert shown == len(clients)
    assert page.locator(DROPPED).count() == len(plan.dropped)
    labels = [text.strip() for text in page.locator(LAYER_LABELS).all_inner_texts()]
    dropped_label = _("Dropped visits ({count})", count=len(plan.dropped))
    assert any(label.startswith(dropped_label) for label in labels)
    route_prefix = _("Routes of {rep}", rep="")
    route_layers = [label for label in labels if label.startswith(route_prefix)]
    assert len(route_layers) == plan.routes["rep_id"].nunique(), labels


def assert_stops_in_view_beside_panel(page) -> None:
    """Every stop marker is on screen and not hidden under the open side panel."""
    viewport = page.viewport_size
    panel = page.locator(".rp-panel").bounding_box()
    for box in page.locator(STOPS).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.x, y: r.y, w: r.width, h: r.height}; })"
    ):
        assert box["x"] >= 0 and box["x"] + box["w"] <= viewport["width"], box
        assert box["y"] >= 0 and box["y"] + box["h"] <= viewport["height"], box
        under_panel = box["x"] < panel["x"] + panel["width"] and box["y"] + box["h"] > panel["y"]
        assert not under_panel, (box, panel)
