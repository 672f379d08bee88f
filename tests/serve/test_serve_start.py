"""The field app of the demo starts cheaply: no solver, maps, workbooks, KPI reports, setup checks.

Building the app (what ``routeplan serve`` does before it listens) must not load OR-Tools
(only a re-plan needs it), folium or plotly, openpyxl or the KPI package (only the live page's
compliance needs :mod:`routeplan.kpis.measures`), nor run the setup checks (warnings nobody
sees here), the calendar construction or the zone rebalancing (scipy): the plan store
and zone assignment load without them. Runs in a fresh interpreter: this one has them all loaded.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
NOT_AT_START = (
    "ortools",
    "folium",
    "plotly",
    "openpyxl",
    "routeplan.kpis",
    "routeplan.intake.setup",
    "routeplan.serve.replan",
    "routeplan.calendar",
    "scipy.optimize",
)


def test_building_the_demo_app_loads_no_solver_maps_or_reports(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from routeplan.jobs.serve import field_app\n"
        "from routeplan.planning.source import DataSource\n"
        "from routeplan.serve.options import ServeOptions\n"
        f"app = field_app(DataSource(Path({str(data)!r})), ServeOptions())\n"
        "state = app.state.field\n"
        f"print(json.dumps({{'loaded': [m for m in {NOT_AT_START!r} if m in sys.modules],"
        " 'clients': len(state.client_facts), 'setup': state.prepared.setup,"
        " 'setup_seconds': 'setup' in state.prepared.seconds}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=180
    ).stdout
    started = json.loads(out.strip().splitlines()[-1])
    assert started["loaded"] == []
    assert started["clients"] == 1500  # the demo's clients, all checkable by posted visits
    assert started["setup"] == [] and not started["setup_seconds"]


def test_prepare_still_runs_the_setup_checks_by_default(tmp_path: Path) -> None:
    from routeplan.planning.prepare import prepare

    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    assert "setup" in prepare(data).seconds
