"""The same build on a local Dask cluster (loopback only) gives the same plan as local workers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from routeplan.planning.prepare import prepare
from routeplan.planning.week import build_week

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_port=0,
        silence_logs=40,
    ) as local:
        yield local


def test_dask_plan_equals_local_plan(world: Path, cluster) -> None:
    prepared = prepare(world)
    local = build_week(prepared, 2, workers=1)
    remote = build_week(prepared, 2, scheduler=cluster.scheduler_address)
    assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    assert not remote.failures
    assert len(local.plan.routes) > 0
    pd.testing.assert_frame_equal(local.plan.routes, remote.plan.routes)
    pd.testing.assert_frame_equal(local.plan.days, remote.plan.days)
    pd.testing.assert_frame_equal(local.plan.dropped, remote.plan.dropped)


def test_failing_task_is_reported_with_its_key(cluster) -> None:
    from routeplan.planning.executor import DaskExecutor, LocalExecutor

    tasks = [("R1-w2", 4), ("R2-w2", 0), ("R3-w2", 2)]
    for executor in (LocalExecutor(2), DaskExecutor(cluster.scheduler_address)):
        results = {r.key: r for r in executor.run(_invert, tasks)}
        assert results["R1-w2"].value == 0.25 and results["R3-w2"].value == 0.5
        assert results["R2-w2"].error is not None and "ZeroDivisionError" in results["R2-w2"].error


def _invert(x: int) -> float:
    return 1 / x
