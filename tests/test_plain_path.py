"""The plain path (``nbreport run --plain``: papermill.execute_notebook and nbconvert's public
HTMLExporter, no speed trick) gives the same report as the fast path.

One demo client runs both ways on the same project with real kernels and a real export; once
the run times are masked, the two reports are identical, byte for byte.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from nbreport.batch import BatchOptions, run_batch
from nbreport.render.plain import execute_plain
from nbreport.settings import Settings
from tests.batch_project import PERIOD, make_project
from tests.report_html import RUN_TIME, without_run_times

pytestmark = pytest.mark.kernel

CLIENT = "ledgerline"


def _report(settings: Settings, moved_to: str) -> str:
    """Run ``CLIENT`` for October 2026, move the outputs aside, return its report's HTML."""
    outcome = run_batch(settings, [CLIENT], overrides={"period": PERIOD},
                        options=BatchOptions(workers=1, force=True))
    assert outcome.exit_code == 0, [result.error for result in outcome.results]
    html = (settings.outputs_dir / PERIOD / CLIENT / "report.html").read_text(encoding="utf-8")
    shutil.move(settings.outputs_dir, settings.project_dir / moved_to)
    return html


def test_a_demo_report_is_the_same_on_the_plain_path_as_on_the_fast_path(project: Settings) -> None:
    fast = _report(project, "outputs-fast")
    plain = _report(dataclasses.replace(project, plain=True), "outputs-plain")

    assert RUN_TIME not in fast and without_run_times(plain) != plain  # the masks found times
    assert "nbr-tile" in plain and "data:image/png" in plain  # a real report, with charts
    assert without_run_times(fast) == without_run_times(plain)


def test_the_plain_path_records_failures_and_timeouts_as_the_fast_path_does(tmp_path: Path) -> None:
    """The batch engine's fault notebook on the plain path: worker processes, papermill's own
    kernels, the same statuses, errors and partial notebooks as on the fast path."""
    clients = ["ok-alpha", "raises-gamma", "dies-delta", "slow-zeta"]
    settings = dataclasses.replace(make_project(tmp_path / "project", clients), plain=True)
    outcome = run_batch(settings, clients, options=BatchOptions(workers=2))
    results = {result.client_id: result for result in outcome.results}
    assert {client: result.status for client, result in results.items()} == {
        "ok-alpha": "ok", "raises-gamma": "failed", "dies-delta": "failed", "slow-zeta": "timeout"}
    assert "plain" in _last_run_workers(settings)
    assert results["raises-gamma"].error.ename == "ValueError"
    assert "planted failure for raises-gamma" in results["raises-gamma"].error.message
    assert results["dies-delta"].error.ename == "DeadKernelError"
    assert "1.5 s time limit" in results["slow-zeta"].error.message
    for client in ("raises-gamma", "dies-delta", "slow-zeta"):
        assert (settings.outputs_dir / PERIOD / client / "report.failed.ipynb").exists()
    seen = (settings.outputs_dir / PERIOD / "ok-alpha" / "report.html").read_text()
    assert "ok-alpha" in seen


def _last_run_workers(settings: Settings) -> str:
    import json

    manifest = json.loads((settings.outputs_dir / PERIOD / "manifest.json").read_text())
    return manifest["last_run"]["workers"]


def test_plain_execution_gives_the_kernel_its_environment_and_leaves_ours_alone(
        tmp_path: Path) -> None:
    import os
    import tempfile

    import nbformat

    ours = tempfile.gettempdir()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, tempfile\nprint(os.environ['NBREPORT_PLAIN_PROBE'], os.getcwd(), "
        "tempfile.gettempdir())")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, tmp_path / "in.ipynb")
    work = tmp_path / "work"
    work.mkdir()
    assert "NBREPORT_PLAIN_PROBE" not in os.environ
    executed = execute_plain(tmp_path / "in.ipynb", tmp_path / "out.ipynb", {}, cwd=work,
                             kernel_name="python3", start_timeout=60,
                             timeout_func=lambda cell: None,
                             env={"NBREPORT_PLAIN_PROBE": "seen", "TMPDIR": str(work)})
    assert executed.cells[0].outputs[0]["text"].split() == ["seen", str(work), str(work)]
    assert "NBREPORT_PLAIN_PROBE" not in os.environ
    assert tempfile.gettempdir() == ours  # not the kernel's folder
