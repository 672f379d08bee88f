"""The command line imports only what the command it runs needs.

``import routeplan.cli.main`` (every command start) and ``routeplan --help`` must not load
geopandas, OR-Tools, folium or plotly; ``routeplan serve`` must not load the modules of the
other commands. Each check runs in a fresh interpreter (this one has them all loaded).
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("geopandas", "ortools", "folium", "plotly")


def _loaded_after(code: str) -> dict[str, object]:
    script = (
        "import json, sys\n"
        f"{code}\n"
        "print(json.dumps({'heavy': [m for m in %r if m in sys.modules],"
        " 'cli': sorted(m for m in sys.modules if m.startswith('routeplan.cli.'))}))" % (HEAVY,)
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_library() -> None:
    loaded = _loaded_after("import routeplan.cli.main")
    assert loaded["heavy"] == []
    assert "routeplan.cli.serve" not in loaded["cli"]  # command groups load when asked for


def test_help_lists_every_command_without_heavy_libraries() -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from routeplan.cli.main import main, LAZY_COMMANDS\n"
        "out = CliRunner().invoke(main, ['--help']).output\n"
        "assert all(name in out for name in LAZY_COMMANDS), out\n"
    )
    assert _loaded_after(code)["heavy"] == []


def test_serve_help_loads_only_the_serve_command() -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from routeplan.cli.main import main\n"
        "result = CliRunner().invoke(main, ['serve', '--help'])\n"
        "assert result.exit_code == 0 and '--trusted-proxy' in result.output, result.output\n"
    )
    loaded = _loaded_after(code)
    assert loaded["heavy"] == []
    assert "routeplan.cli.serve" in loaded["cli"]
    assert not {"routeplan.cli.zones", "routeplan.cli.calendar"} & set(loaded["cli"])
