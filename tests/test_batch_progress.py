"""What a person sees: the progress bar, the lines per client, the closing summary; run options."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from nbreport.batch import ClientError, ClientResult, plan
from nbreport.batch.progress import Progress, summary_table
from nbreport.batch.runner import BatchOutcome
from tests.batch_project import PERIOD, make_project


def result(client_id: str, status: str = "ok", message: str = "") -> ClientResult:
    return ClientResult(client_id, PERIOD, status, duration_s=4.2,  # type: ignore[arg-type]
                        timings={"kernel_start": 0.3, "execute": 3.1, "export": 0.4},
                        error=ClientError("execute", message, 7, "ValueError") if message else None)


def test_the_bar_shows_done_total_eta_failures_and_running_clients(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project", ["ok-a", "ok-b", "raises-c"])
    tasks, _ = plan(settings, None)
    out, bar = io.StringIO(), io.StringIO()
    progress = Progress(out=out, bar_stream=bar, bar=True)
    progress.planned(3, ["ok-z"], "unchanged since the last good report", "2 worker processes")
    for task in tasks[:2]:
        progress.started(task)
    progress.finished(result("ok-a"))
    progress.started(tasks[2])
    progress.finished(result("raises-c", "failed", "cell 7 raised ValueError: boom"))
    progress.close()
    drawn = bar.getvalue().split("\r")[-1]
    assert drawn.startswith("2/3 clients |") and "<" in drawn  # elapsed<ETA
    assert "failed 1 | running: ok-b" in drawn
    lines = out.getvalue().splitlines()
    assert lines[0] == "skipped 1 client: unchanged since the last good report"
    assert lines[1] == "running 3 clients on 2 worker processes"
    assert lines[2] == "ok          4.2 s  ok-a"
    assert lines[3:] == ["FAILED      4.2 s  raises-c", "    cell 7 raised ValueError: boom"]


def test_the_summary_table_closes_the_run() -> None:
    outcome = BatchOutcome([result("ok-a"), result("raises-c", "failed", "cell 7 raised ValueError: boom"),
                            result("hangs-d", "timeout", "cell 4 did not finish within its 3 s time limit")],
                           skipped=["ok-z"], wall_s=9.0, why_skipped="unchanged")
    table = summary_table(outcome).splitlines()
    assert table[0].split() == ["client", "status", "total", "kernel", "execute", "export", "note"]
    assert table[1].split()[:6] == ["ok-a", "ok", "4.2s", "0.3s", "3.1s", "0.4s"]
    assert table[2].endswith("cell 7 raised ValueError: boom")
    assert table[3].split()[1] == "TIMEOUT"
    assert table[4] == ("4 clients: 1 ok, 1 failed, 1 timeout, 1 skipped (unchanged) in 9.0 s, "
                        "3.00 s per client")
    assert table[5] == "per report on average: kernel start 0.30 s, execute 3.10 s, export 0.40 s"


def test_run_options_are_checked_before_anything_runs(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project", ["ok-a"])

    def nbreport(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "nbreport", "--project",
                               str(settings.project_dir), "run", *args],
                              capture_output=True, text=True, timeout=120)

    local = nbreport("--all", "--scheduler", "tcp://127.0.0.1:1")
    assert local.returncode == 2 and "--scheduler is for --executor dask" in local.stderr
    nothing_failed = nbreport("--only-failed")
    assert nothing_failed.returncode == 0, nothing_failed.stderr
    assert "1 client: 1 skipped (did not fail in the last run)" in nothing_failed.stdout
    assert not (settings.outputs_dir / PERIOD / "ok-a").exists()
