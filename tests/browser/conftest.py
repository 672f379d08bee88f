"""Browser test harness: Debian's Chromium through Playwright, without internet.

Reusable fixtures:

- ``browser``: one headless Chromium per session (``/usr/bin/chromium`` or ``$CHROMIUM``).
- ``open_map``: ``open_map(path, viewport=(w, h), touch=False) -> MapPage``; ``touch`` opens
  a mobile context with a touch screen (``page.tap``); the page loads the HTML file
  with every CDN request served from ``tests/browser/node_modules`` (see
  ``routeplan.maps.assets.CDN_PACKAGES``), tile requests answered with a blank PNG, and any
  other external request aborted and recorded. ``MapPage.errors`` collects JavaScript errors
  (uncaught exceptions and ``console.error``), ``MapPage.unknown_requests`` the aborted URLs.
- ``artifacts``: directory for screenshots (``test-artifacts/`` or ``$ROUTEPLAN_ARTIFACTS``);
  ``screenshot(page, name)`` saves there (and to ``$ROUTEPLAN_DOCS_IMG`` when set).

``map_checks.py`` holds the checks of what each map must show (``check_rep_map``,
``check_managers_map``), reusable on the demo's output.

Without Chromium the tests skip, except under CI (``CI=true``) where they fail, so CI cannot
skip them silently. Install Chromium and the npm packages with ``.ci/browser-setup.sh``.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: map_world

from routeplan.maps.assets import is_tile_url, local_asset

HERE = Path(__file__).resolve().parent
NODE_MODULES = Path(os.environ.get("ROUTEPLAN_NODE_MODULES", HERE / "node_modules"))
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
PHONE_MAX_PX = 700
"""Viewports narrower than this are opened as a touch phone (``has_touch``, ``is_mobile``)."""
PHONE = (390, 844)
"""The phone viewport of the browser tests (CSS pixels)."""
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEVICES: dict[str, dict] = {}
"""Playwright's device descriptors (``"iPhone 13"``, ``"Pixel 5"``, ``"Desktop Safari"`` …),
filled when the browser starts; ``open_map(path, device=name)`` emulates one."""


def _require_browser() -> None:
    problems = []
    if not CHROMIUM.is_file():
        problems.append(f"{CHROMIUM} is missing")
    if not (NODE_MODULES / "leaflet" / "package.json").is_file():
        problems.append(f"no Leaflet in {NODE_MODULES}")
    if problems:
        msg = "; ".join(problems) + " (run .ci/browser-setup.sh)"
        if IN_CI:
            pytest.fail(f"browser tests cannot run in CI: {msg}")
        pytest.skip(f"browser tests need Chromium and the npm assets: {msg}")


@dataclass
class MapPage:
    """A loaded map page and what went wrong while loading it."""

    page: object  # playwright.sync_api.Page
    errors: list[str] = field(default_factory=list)
    unknown_requests: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)
    tiles: int = 0
    allow_errors: bool = False

    def layer_labels(self) -> list[str]:
        """Texts of the overlay entries of the layer control."""
        labels = self.page.locator(".leaflet-control-layers-overlays label")  # type: ignore[attr-defined]
        return [text.strip() for text in labels.all_inner_texts()]

    def set_layer(self, label: str, *, visible: bool) -> None:
        """Tick or untick the one overlay whose label contains ``label``, as a user would.

        Leaflet ignores clicks in the same instant the pointer enters a collapsed control
        (``_expandSafely``), so the pointer rests on the control first.
        """
        page = self.page
        entry = page.locator(".leaflet-control-layers-overlays label", has_text=label)  # type: ignore[attr-defined]
        count = entry.count()
        if count != 1:
            msg = f"{count} layer entries match {label!r}: {self.layer_labels()}"
            raise AssertionError(msg)
        page.locator(".leaflet-control-layers").hover()  # type: ignore[attr-defined]
        page.wait_for_timeout(50)  # type: ignore[attr-defined]
        entry.locator("input").set_checked(visible)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        DEVICES.update(pw.devices)
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(os.environ.get("ROUTEPLAN_ARTIFACTS", HERE.parents[1] / "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def screenshot(artifacts: Path) -> Callable[[object, str], Path]:
    """``screenshot(page, "name.png")``: save to the artifacts, and to $ROUTEPLAN_DOCS_IMG too.

    Set ``ROUTEPLAN_DOCS_IMG=docs/img`` to refresh the README's pictures from a test run.
    """
    docs = os.environ.get("ROUTEPLAN_DOCS_IMG")

    def _shot(page: object, name: str) -> Path:
        path = artifacts / name
        page.screenshot(path=str(path))  # type: ignore[attr-defined]
        if docs:
            Path(docs).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(docs) / name)
        return path

    return _shot


@pytest.fixture
def open_map(browser: object) -> Iterator[Callable[..., MapPage]]:
    contexts = []
    opened: list[MapPage] = []

    def _open(
        path: Path,
        *,
        viewport: tuple[int, int] = (1280, 800),
        now: dt.datetime | None = None,
        fragment: str = "",
        fail_tiles: bool = False,
        touch: bool | None = None,
        device: str | None = None,
    ) -> MapPage:
        """Open ``path`` (plus ``#fragment``); a phone viewport (< 700 px) gets touch.

        ``now`` fixes the page's clock (``new Date()``) to that local time; ``fail_tiles``
        answers tile requests with HTTP 503, as a phone without signal would see them fail;
        ``touch`` forces touch on or off whatever the viewport; ``device`` emulates one of
        Playwright's :data:`DEVICES` (its user agent, viewport, touch), overriding the rest.
        """
        phone = viewport[0] < PHONE_MAX_PX if touch is None else touch
        options: dict = {
            "viewport": {"width": viewport[0], "height": viewport[1]},
            "has_touch": phone,
            "is_mobile": phone,
        }
        if device is not None:
            descriptor = DEVICES[device]
            options = {
                key: descriptor[key]
                for key in ("user_agent", "viewport", "has_touch", "is_mobile")
                if key in descriptor
            }
        context = browser.new_context(device_scale_factor=1, **options)  # type: ignore[attr-defined]
        contexts.append(context)
        if now is not None:
            context.clock.set_fixed_time(now)
        page = context.new_page()
        result = MapPage(page=page)
        opened.append(result)

        def handle(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            if url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()  # type: ignore[attr-defined]
                return
            if is_tile_url(url):
                result.tiles += 1
                if fail_tiles:
                    route.fulfill(status=503, body=b"")  # type: ignore[attr-defined]
                    return
                route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)  # type: ignore[attr-defined]
                return
            local = local_asset(url, NODE_MODULES)
            if local is None:
                result.unknown_requests.append(url)
                route.abort()  # type: ignore[attr-defined]
                return
            result.served.append(url)
            mime = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
            route.fulfill(status=200, content_type=mime, body=local.read_bytes())  # type: ignore[attr-defined]

        page.route("**/*", handle)
        page.on("pageerror", lambda exc: result.errors.append(f"pageerror: {exc}"))
        page.on(
            "console",
            lambda msg: (
                result.errors.append(f"console.error: {msg.text}") if msg.type == "error" else None
            ),
        )
        url = Path(path).resolve().as_uri() + (f"#{fragment}" if fragment else "")
        page.goto(url, wait_until="load")
        page.wait_for_function(
            "() => window.L !== undefined && document.querySelector('.leaflet-container')"
        )
        return result

    yield _open
    for context in contexts:
        context.close()
    for result in opened:
        # Whatever the test checked, a map that reached out to an unknown host or threw a
        # JavaScript error fails (set result.allow_errors to opt out for error tests).
        assert result.unknown_requests == [], f"unexpected requests: {result.unknown_requests}"
        if not result.allow_errors:
            assert result.errors == [], f"JavaScript errors: {result.errors}"
