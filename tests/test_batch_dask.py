"""The same per-client tasks on a real Dask cluster of worker processes."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from nbreport.batch import BatchOptions, run_batch
from tests.batch_project import PERIOD, make_project, summary_seen

pytestmark = pytest.mark.kernel
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> distributed.LocalCluster:
    import dask

    # worker processes that may have children: kernels are then forked from a pre-imported
    # zygote, as the README tells a real cluster to do
    with dask.config.set({"distributed.worker.daemon": False}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as local_cluster:
            yield local_cluster


def test_reports_are_produced_by_the_cluster_workers(tmp_path: Path, cluster) -> None:  # noqa: ANN001
    settings = make_project(tmp_path / "project", ["ok-north", "ok-south", "raises-east"])
    options = BatchOptions(executor="dask", scheduler=cluster.scheduler_address)
    with distributed.Client(cluster) as client:
        workers = {info["id"]: address for address, info in client.scheduler_info()["workers"].items()}
        with distributed.get_task_stream(client) as stream:
            outcome = run_batch(settings, options=options)
    statuses = {r.client_id: r.status for r in outcome.results}
    assert statuses == {"ok-north": "ok", "ok-south": "ok", "raises-east": "failed"}
    assert outcome.exit_code == 1
    assert "cell 4 raised ValueError" in {r.client_id: r for r in outcome.results}["raises-east"].error.message
    tasks = [task for task in stream.data if str(task["key"]).startswith("nbreport-")]
    assert len(tasks) == 3 and {task["worker"] for task in tasks} <= set(workers.values())
    for client_id in ("ok-north", "ok-south"):
        assert (settings.outputs_dir / PERIOD / client_id / "report.html").exists()
        seen = summary_seen(settings, client_id)
        assert seen["preloaded"] and seen["leaked"] == {"module": None, "env": None}


def test_ctrl_c_stops_the_clients_running_on_the_cluster(tmp_path: Path, cluster) -> None:  # noqa: ANN001
    settings = make_project(tmp_path / "project", ["sleeps-far"])
    started = settings.outputs_dir / PERIOD

    def press_ctrl_c() -> None:
        deadline = time.monotonic() + 180
        while not list(started.glob(".work-*/started")) and time.monotonic() < deadline:
            time.sleep(0.2)
        kernel = int(next(started.glob(".work-*/started")).read_text())
        os.kill(os.getpid(), signal.SIGINT)
        stopped.append(kernel)

    stopped: list[int] = []
    presser = threading.Thread(target=press_ctrl_c, daemon=True)
    presser.start()
    outcome = run_batch(settings, options=BatchOptions(executor="dask",
                                                       scheduler=cluster.scheduler_address))
    presser.join()
    assert outcome.interrupted and outcome.exit_code == 130
    assert [r.status for r in outcome.results] == ["interrupted"]
    assert outcome.results[0].error.message.startswith("stopped at cell 5")  # by its worker
    assert not (settings.outputs_dir / PERIOD / "sleeps-far" / "report.html").exists()
    deadline = time.monotonic() + 10
    while _alive(stopped[0]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(stopped[0])  # the kernel on the worker was killed


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
