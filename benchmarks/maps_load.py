"""Load timings of the demo's maps and report in Chromium: desktop, and a phone slowed 4×.

    .venv/bin/python benchmarks/maps_load.py [--week 12] [--runs 3] [--data data/demo]
    .venv/bin/python benchmarks/maps_load.py --scale 10000:25 --week 2 --runs 1

Builds the week (of the demo, or with ``--scale`` of the seeded synthetic country of
``benchmarks/scale.py``) into a temporary folder, then opens the busiest rep's map, the
managers' map and the KPI report (before: plotly.js charts; now: SVG) in headless Chromium
(Debian's, as the browser tests) with every CDN asset served from
``tests/browser/node_modules`` and tiles answered with a blank image. "Phone" is a 390×844
touch viewport with the CPU slowed 4× through the DevTools protocol. Prints a Markdown
table (median of the runs) with the page's size; the machine's load average is printed too,
as the timings depend on it.
"""

from __future__ import annotations

import argparse
import base64
import mimetypes
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "tests" / "browser" / "node_modules"
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
MAP_READY = (
    "() => window.L && document.querySelector('.leaflet-container') &&"
    " document.querySelectorAll('.leaflet-marker-icon').length > 0"
)
REP_READY = "() => document.querySelector('.leaflet-container[data-opened]')"
PLOTLY_READY = "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 5"
REPORT_READY = (
    "() => document.querySelectorAll('figure.chart svg rect.bar').length > 0 &&"
    " document.querySelectorAll('figure.chart').length >= 5"
)


def _route(page) -> None:
    from routeplan.maps.assets import is_tile_url, local_asset

    def handle(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        elif is_tile_url(url):
            route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
        else:
            local = local_asset(url, NODE_MODULES)
            if local is None:
                route.abort()
                return
            mime = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
            route.fulfill(status=200, content_type=mime, body=local.read_bytes())

    page.route("**/*", handle)


def time_page(browser, path: Path, ready: str, *, phone: bool) -> tuple[float, float]:
    """Seconds until ``ready`` holds, and until the first contentful paint."""
    options: dict = {"viewport": {"width": 1280, "height": 800}}
    if phone:
        options = {
            "viewport": {"width": 390, "height": 844},
            "has_touch": True,
            "is_mobile": True,
        }
    context = browser.new_context(**options)
    page = context.new_page()
    if phone:
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    _route(page)
    started = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_function(ready, timeout=120_000)
    seconds = time.perf_counter() - started
    paint = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime"
    )
    context.close()
    return seconds, (paint or 0.0) / 1000


def build(data: Path, week: int, tmp: Path):
    """Build the week; return the outcome and the maps and report folders.

    The previous report (plotly.js charts, :mod:`report_plotly_baseline`) of the same tables
    is written beside the current one as ``report-plotly-week-NN.html``.
    """
    from report_plotly_baseline import write_plotly_report

    from routeplan.jobs import build as pipeline
    from routeplan.planning.prepare import DataSource

    source = DataSource(data, store_path=tmp / "plan.sqlite")
    outcome = pipeline.run_build(source, week, out_dir=tmp / "out", maps_dir=tmp / "maps")
    out = tmp / "out" / f"week-{week:02d}"
    write_plotly_report(outcome.kpis, out / f"report-plotly-week-{week:02d}.html", week=week)
    return outcome, tmp / "maps" / f"week-{week:02d}", out


def synthetic_data(scale: str, seconds: float, folder: Path) -> Path:
    """Write the scale benchmark's synthetic country of ``CLIENTS:REPS`` (seed 1) as data."""
    from scale import settings_toml

    from routeplan.synthetic import synthetic_world, write_world

    n_clients, n_reps = (int(x) for x in scale.split(":"))
    world = synthetic_world(n_clients, n_reps, seed=1)
    return write_world(world, folder, settings_toml=settings_toml(seconds))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "demo")
    parser.add_argument("--week", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--scale", default="", help="CLIENTS:REPS: a synthetic world instead of --data"
    )
    parser.add_argument("--seconds", type=float, default=2.0, help="solver s per rep-week")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        started = time.perf_counter()
        if args.scale:
            args.data = synthetic_data(args.scale, args.seconds, tmp / "data")
        outcome, maps, out = build(args.data, args.week, tmp)
        print(f"built week {args.week} of {args.data} in {time.perf_counter() - started:.0f} s")
        plan = outcome.result.plan
        rep = str(plan.routes["rep_id"].value_counts().sort_index().idxmax())
        report = out / f"report-week-{args.week:02d}.html"
        before = out / f"report-plotly-week-{args.week:02d}.html"
        library = sorted(out.glob("plotly-*.js"))
        pages = [
            (f"rep map ({rep})", maps / f"{rep}.html", REP_READY, []),
            ("managers' map", maps / "index.html", MAP_READY, []),
            ("KPI report, before (plotly.js)", before, PLOTLY_READY, library),
            ("KPI report (SVG charts)", report, REPORT_READY, []),
        ]
        rows = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=["--headless", "--no-sandbox", "--disable-gpu"],
            )
            for name, path, ready, extra in pages:
                size = path.stat().st_size + sum(p.stat().st_size for p in extra)
                cells = [name, f"{size / 1e6:.2f} MB"]
                for phone in (False, True):
                    runs = [time_page(browser, path, ready, phone=phone) for _ in range(args.runs)]
                    ready_s = statistics.median(r[0] for r in runs)
                    paint_s = statistics.median(r[1] for r in runs)
                    paint = f"{paint_s:.2f} s" if paint_s > 0 else "not reported"
                    cells += [f"{ready_s:.2f} s", paint]
                rows.append(cells)
            browser.close()
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        "| page | size | desktop ready | desktop first paint | phone 4× ready "
        "| phone 4× first paint |"
    )
    print("|---|---|---|---|---|---|")
    for cells in rows:
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
