"""Stopping a run (SIGTERM, Ctrl-C): good reports stay, no kernel survives, the manifest says so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from nbreport.batch import BatchOptions, plan, run_batch
from nbreport.batch.lock import period_locks
from nbreport.batch.selection import select_tasks
from nbreport.render import kernels as kernels_module
from nbreport.settings import Settings
from tests.batch_project import PERIOD, make_project

pytestmark = pytest.mark.kernel
PREVIOUS = "<html>the previous good report</html>"


def start_run(settings: Settings, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "nbreport", "--project",
                             str(settings.project_dir), "run", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_running(settings: Settings, run: subprocess.Popen[str], clients: int) -> set[int]:
    """Until ``clients`` notebooks have started executing; returns their kernels' process ids."""
    deadline = time.monotonic() + 180
    while len(started := list((settings.outputs_dir / PERIOD).glob(".work-*/started"))) < clients:
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "the clients never started"
        time.sleep(0.2)
    time.sleep(0.2)
    return {int(path.read_text()) for path in started}


def stop_and_check(settings: Settings, run: subprocess.Popen[str], kernels: set[int],
                   signum: int) -> dict:
    """Send ``signum``; check exit code, orphans, working folders and the lock. Returns the manifest."""
    family = psutil.Process(run.pid).children(recursive=True)
    assert kernels <= {process.pid for process in family}
    run.send_signal(signum)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 130, (out, err)
    assert "interrupted: previous good reports are unchanged" in err
    _, alive = psutil.wait_procs(family, timeout=15)
    assert alive == [], f"processes outlived the run: {alive}"
    assert not list((settings.outputs_dir / PERIOD).glob(".work-*"))
    with period_locks(settings.outputs_dir, [PERIOD]):  # the lock went with the run
        pass
    return json.loads((settings.outputs_dir / PERIOD / "manifest.json").read_text())


def test_sigterm_stops_workers_and_kernels(tmp_path: Path) -> None:
    clients = ["sleeps-one", "sleeps-two", "sleeps-three"]
    settings = make_project(tmp_path / "project", clients)
    previous = settings.outputs_dir / PERIOD / "sleeps-one" / "report.html"
    previous.parent.mkdir(parents=True)
    previous.write_text(PREVIOUS)
    run = start_run(settings, "--all", "--workers", "2")
    kernels = wait_until_running(settings, run, 2)
    manifest = stop_and_check(settings, run, kernels, signal.SIGTERM)
    last_run = manifest["last_run"]
    assert last_run["status"] == "interrupted"
    # clients run in name order: two at a time, the third never started
    assert sorted(last_run["clients"]["interrupted"]) == ["sleeps-one", "sleeps-three"]
    assert last_run["clients"]["not_started"] == ["sleeps-two"]
    assert "sleeps-two" not in manifest["clients"]
    entry = manifest["clients"]["sleeps-one"]
    assert entry["status"] == "interrupted" and "the run was interrupted" in entry["error"]["message"]
    assert previous.read_text() == PREVIOUS
    assert not (previous.parent / "report.failed.ipynb").exists()
    tasks, _ = plan(settings, None)  # --only-failed picks up the stopped and the never started
    assert len(select_tasks(tasks, settings, BatchOptions(only_failed=True))[0]) == 3


def test_a_second_run_waits_its_turn_and_ctrl_c_stops_the_first(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project", ["sleeps-alone"])
    run = start_run(settings, "sleeps-alone")
    kernels = wait_until_running(settings, run, 1)
    second = start_run(settings, "--all", "--force")
    out, err = second.communicate(timeout=120)
    assert second.returncode == 2, (out, err)
    assert f"another nbreport run is writing outputs/{PERIOD} (process {run.pid} on " in err
    manifest = stop_and_check(settings, run, kernels, signal.SIGINT)
    assert manifest["clients"]["sleeps-alone"]["status"] == "interrupted"
    assert manifest["last_run"]["status"] == "interrupted"
    assert not (settings.outputs_dir / PERIOD / "sleeps-alone" / "report.html").exists()
    assert os.path.exists(settings.outputs_dir / PERIOD / "index.html")


def test_a_killed_run_leaves_no_kernel_behind(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project", ["sleeps-killed"])
    run = start_run(settings, "sleeps-killed")
    kernels = wait_until_running(settings, run, 1)
    family = psutil.Process(run.pid).children(recursive=True)
    assert kernels <= {process.pid for process in family}
    run.kill()  # SIGKILL: no handler runs, only the kernels' tie to the zygote is left
    run.communicate(timeout=60)
    _, alive = psutil.wait_procs(family, timeout=20)
    assert alive == [], f"processes outlived the killed run: {alive}"
    assert list((settings.outputs_dir / PERIOD).glob(".work-*"))  # left behind by the kill...
    runtime = list(Path(tempfile.gettempdir()).glob(f"{kernels_module.RUNTIME_PREFIX}{run.pid}-*"))
    assert len(runtime) == 1 and list(runtime[0].glob("kernel-*.json"))  # sockets, connection file
    run_batch(settings, options=BatchOptions(only_failed=True))  # ...until the next run's lock
    assert not list((settings.outputs_dir / PERIOD).glob(".work-*"))
    kernels_module.remove_stale_runtime_dirs()  # as a run does when it first starts a kernel
    assert not runtime[0].exists()
    assert kernels_module._runtime_dir().exists()  # a live process's own folder stays
