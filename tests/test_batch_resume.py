"""Resumable and incremental runs, and the lock that keeps two runs of one period apart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nbreport.batch import BatchOptions, plan, run_batch
from nbreport.batch.lock import period_locks
from nbreport.batch.manifest import update_manifest
from nbreport.batch.results import ClientResult
from nbreport.batch.selection import select_tasks
from nbreport.core.errors import RunLockedError
from nbreport.settings import Settings
from tests.batch_project import PERIOD, make_project

INLINE = BatchOptions(workers=1)


def ran(outcome) -> list[str]:  # noqa: ANN001
    return sorted(result.client_id for result in outcome.results)


@pytest.mark.kernel
def test_only_failed_then_only_what_changed(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project", ["ok-one", "raises-two"])
    first = run_batch(settings, options=INLINE)
    assert {r.client_id: r.status for r in first.results} == {"ok-one": "ok", "raises-two": "failed"}
    report = settings.outputs_dir / PERIOD / "ok-one" / "report.html"
    written = report.stat().st_mtime_ns

    (settings.project_dir / "fixed").write_text("the planted failure is gone")
    retry = run_batch(settings, options=BatchOptions(workers=1, only_failed=True))
    assert ran(retry) == ["raises-two"] and retry.results[0].ok and retry.skipped == ["ok-one"]
    assert not (settings.outputs_dir / PERIOD / "raises-two" / "report.failed.ipynb").exists()

    unchanged = run_batch(settings, options=INLINE)
    assert unchanged.results == [] and sorted(unchanged.skipped) == ["ok-one", "raises-two"]
    assert unchanged.exit_code == 0 and report.stat().st_mtime_ns == written

    (settings.data_dir / "ok-one" / "orders.csv").write_text("date,orders\n2026-10-01,99\n")
    changed = run_batch(settings, options=INLINE)
    assert ran(changed) == ["ok-one"] and changed.skipped == ["raises-two"]
    assert report.stat().st_mtime_ns > written


def test_what_makes_a_client_run_again(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project", ["ok-one", "ok-two"])
    tasks, _ = plan(settings, None)
    selected, _ = select_tasks(tasks, settings, BatchOptions())
    assert [task.client_id for task in selected] == ["ok-one", "ok-two"]  # never ran
    _record_good_run(settings, selected)
    assert select_tasks(tasks, settings, BatchOptions())[0] == []
    assert len(select_tasks(tasks, settings, BatchOptions(force=True))[0]) == 2

    commentary = settings.project_dir / "commentary" / "ok-two"
    commentary.mkdir(parents=True)
    (commentary / f"{PERIOD}.md").write_text("## Executive summary\nA strong month.\n")
    assert [t.client_id for t in select_tasks(tasks, settings, BatchOptions())[0]] == ["ok-two"]
    _record_good_run(settings, select_tasks(tasks, settings, BatchOptions())[0])

    (settings.outputs_dir / PERIOD / "ok-one" / "report.html").unlink()  # a report went missing
    assert [t.client_id for t in select_tasks(tasks, settings, BatchOptions())[0]] == ["ok-one"]
    _record_good_run(settings, select_tasks(tasks, settings, BatchOptions())[0])

    settings.notebook.write_text(settings.notebook.read_text().replace("Fault notebook", "Faults"))
    assert len(select_tasks(tasks, settings, BatchOptions())[0]) == 2  # the notebook changed
    overridden, _ = plan(settings, None, {"budget.amount": 99999})
    assert len(select_tasks(overridden, settings, BatchOptions())[0]) == 2  # so did the params


def test_a_format_not_published_yet_makes_a_client_run_again(tmp_path: Path) -> None:
    """--format html+pdf after HTML-only runs: the PDF is missing, so the client is not unchanged."""
    from dataclasses import replace

    settings = make_project(tmp_path / "project", ["ok-one", "ok-two"])
    tasks, _ = plan(settings, None)
    _record_good_run(settings, select_tasks(tasks, settings, BatchOptions())[0])
    assert select_tasks(tasks, settings, BatchOptions())[0] == []  # HTML: nothing to do

    both = replace(settings, report_format="html+pdf")
    assert [t.client_id for t in select_tasks(tasks, both, BatchOptions())[0]] == ["ok-one", "ok-two"]
    (settings.outputs_dir / PERIOD / "ok-two" / "report.pdf").write_bytes(b"%PDF-1.7\n")
    assert [t.client_id for t in select_tasks(tasks, both, BatchOptions())[0]] == ["ok-one"]
    pdf_only = replace(settings, report_format="pdf")
    (settings.outputs_dir / PERIOD / "ok-two" / "report.html").unlink()  # pdf keeps only the PDF
    assert [t.client_id for t in select_tasks(tasks, pdf_only, BatchOptions())[0]] == ["ok-one"]
    assert [t.client_id for t in select_tasks(tasks, settings, BatchOptions())[0]] == ["ok-two"]


def _record_good_run(settings: Settings, tasks: list) -> None:  # noqa: ANN001
    results = []
    for task in tasks:
        (settings.outputs_dir / PERIOD / task.client_id).mkdir(parents=True, exist_ok=True)
        (settings.outputs_dir / PERIOD / task.client_id / "report.html").write_text("report")
        results.append(ClientResult(task.client_id, PERIOD, "ok", inputs=task.inputs))
    update_manifest(settings.outputs_dir / PERIOD, "October 2026", results)


HOLD_LOCK = """
import sys, time
from pathlib import Path
from nbreport.batch.lock import period_locks
with period_locks(Path(sys.argv[1]), [sys.argv[2]]):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_a_second_run_of_the_same_period_is_refused(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project", ["ok-one"])
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(settings.outputs_dir), PERIOD],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RunLockedError) as caught:
            run_batch(settings, ["ok-one"])
        message = str(caught.value)
        assert message.startswith(f"another nbreport run is writing outputs/{PERIOD} (process "
                                  f"{holder.pid} on ")
        assert message.endswith("wait for it to finish or stop it, then run again")
        cli = subprocess.run([sys.executable, "-m", "nbreport", "--project",
                              str(settings.project_dir), "run", "--all"],
                             capture_output=True, text=True, timeout=120)
        assert cli.returncode == 2 and "another nbreport run is writing" in cli.stderr
        assert not (settings.outputs_dir / PERIOD / "ok-one").exists()  # no kernel ran
    finally:
        holder.kill()
        holder.wait()
    with period_locks(settings.outputs_dir, [PERIOD]):  # released with the process
        pass
    with period_locks(settings.outputs_dir, [PERIOD]), pytest.raises(RunLockedError):
        with period_locks(settings.outputs_dir, [PERIOD]):
            pass
