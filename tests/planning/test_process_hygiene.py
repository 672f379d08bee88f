"""One writer per store, and worker processes that end with the main process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from routeplan.errors import StoreError
from routeplan.planning.store_lock import lock_path, store_writer

REPO = Path(__file__).resolve().parents[2]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "routeplan.cli.main", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_a_second_writer_waits_then_stops_naming_the_holder(tmp_path: Path) -> None:
    store = tmp_path / "plan.sqlite"
    with store_writer(store):
        assert lock_path(store).read_text().strip() == str(os.getpid())
        started = time.monotonic()
        with (
            pytest.raises(
                StoreError, match=rf"in use by another routeplan process \(PID {os.getpid()}\)"
            ),
            store_writer(store, wait_s=0.5),
        ):
            pass
        assert 0.5 <= time.monotonic() - started < 5
    with store_writer(store, wait_s=0):  # released: taken at once
        pass


def test_a_second_build_stops_with_one_clear_line(world: Path, tmp_path: Path) -> None:
    store = world / "plan.sqlite"
    with store_writer(store):
        build = _cli(
            "--data",
            str(world),
            "build",
            "--week",
            "1",
            "--out",
            str(tmp_path / "out"),
            "--maps",
            str(tmp_path / "maps"),
            env={"ROUTEPLAN_STORE_WAIT_S": "1"},
        )
        _, err = build.communicate(timeout=120)
    assert build.returncode == 1
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and str(store) in errors[0] and f"PID {os.getpid()}" in errors[0]
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_two_builds_of_one_store_run_one_after_the_other(world: Path, tmp_path: Path) -> None:
    builds = [
        _cli(
            "--data",
            str(world),
            "build",
            "--week",
            str(week),
            "--out",
            str(tmp_path / "out"),
            "--maps",
            str(tmp_path / "maps"),
            env={"ROUTEPLAN_STORE_WAIT_S": "120"},
        )
        for week in (1, 2)
    ]
    for build in builds:
        _, err = build.communicate(timeout=240)
        assert build.returncode == 0, err
    from routeplan.planning.store import PlanStore

    with PlanStore(world / "plan.sqlite") as plans:
        assert plans.saved_weeks() == [1, 2]


_POOL_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from routeplan.planning.executor import LocalExecutor

    def burn(folder):
        Path(folder, str(os.getpid())).write_text("")
        while True:
            pass

    if __name__ == "__main__":
        tasks = [(str(i), sys.argv[1]) for i in range(2)]
        for _ in LocalExecutor(workers=2).run(burn, tasks):
            pass
    """
)


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")  # a zombie no longer runs


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_main_process(tmp_path: Path) -> None:
    script = tmp_path / "pool.py"
    script.write_text(_POOL_SCRIPT)
    pids = tmp_path / "pids"
    pids.mkdir()
    main = subprocess.Popen([sys.executable, str(script), str(pids)])
    deadline = time.monotonic() + 60
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = [int(p.name) for p in pids.iterdir()]
    assert len(workers) == 2
    assert not any(_gone(pid) for pid in workers)
    os.kill(main.pid, signal.SIGKILL)
    main.wait()
    deadline = time.monotonic() + 10
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [pid for pid in workers if not _gone(pid)]
    for pid in alive:  # leave no burner behind, then fail
        os.kill(pid, signal.SIGKILL)
    assert alive == []
