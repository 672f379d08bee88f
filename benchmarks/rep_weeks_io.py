"""Real rep-week problems for the routing benchmarks, built by the production path.

``prepare`` → ``due_visits`` → ``rep_week_problems`` (as ``routeplan build`` does), on the
bundled demo (``data/demo``), the road-network demo (``data/andorra``) and a seeded
synthetic world written to a temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from routeplan.planning.prepare import prepare, travel_provider
from routeplan.planning.week import due_visits, rep_week_problems
from routeplan.routing import RepWeekProblem
from routeplan.synthetic import WORLD_SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def demo_problems(weeks: tuple[int, ...]) -> dict[str, RepWeekProblem]:
    """Rep-weeks of the demo for ``weeks``, keyed ``demo/w<week>/<rep_id>``."""
    return _problems(ROOT / "data" / "demo", "demo", weeks)


def andorra_problems(weeks: tuple[int, ...]) -> dict[str, RepWeekProblem]:
    """Rep-weeks of the road-network demo (``data/andorra``), keyed ``andorra/w<week>/<rep_id>``."""
    return _problems(ROOT / "data" / "andorra", "andorra", weeks)


def synthetic_problems(
    n_clients: int, n_reps: int, weeks: tuple[int, ...], *, seed: int = 1
) -> dict[str, RepWeekProblem]:
    """Rep-weeks of a seeded synthetic world, keyed ``synthetic/w<week>/<rep_id>``."""
    from routeplan.synthetic import synthetic_world, write_world

    world = synthetic_world(n_clients, n_reps, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        data = write_world(world, Path(tmp) / "world", settings_toml=WORLD_SETTINGS)
        return _problems(data, "synthetic", weeks)


def _problems(data: Path, label: str, weeks: tuple[int, ...]) -> dict[str, RepWeekProblem]:
    prepared = prepare(data)
    provider = travel_provider(prepared)
    out: dict[str, RepWeekProblem] = {}
    for week in weeks:
        due = due_visits(prepared, week)
        for rep_id, problem in rep_week_problems(prepared, due, provider, week=week).items():
            out[f"{label}/w{week}/{rep_id}"] = problem
    return out
