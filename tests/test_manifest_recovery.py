"""A run killed during a period's first run left published reports and no manifest, no index:
the next ``check`` or ``run`` records them from the folder and checks them (issue 22, item 4)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nbreport.settings import Settings
from tests.batch_project import PERIOD, make_project


def nbreport(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nbreport", "--project", str(settings.project_dir),
                           *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    """A project whose two clients ran once; a copy of their published folders is kept aside."""
    settings = make_project(tmp_path_factory.mktemp("recovery") / "project", ["ok-east", "ok-west"])
    done = nbreport(settings, "run", "--all")
    assert done.returncode == 0, done.stdout + done.stderr
    kept = tmp_path_factory.mktemp("kept")
    for client_id in ("ok-east", "ok-west"):
        shutil.copytree(settings.outputs_dir / PERIOD / client_id, kept / client_id)
    return settings, kept


def _killed_first_run(settings: Settings, kept: Path, clients: list[str]) -> Path:
    """The period folder as a run killed after publishing ``clients`` leaves it: the reports,
    no manifest, no index, no QA verdicts."""
    period_dir = settings.outputs_dir / PERIOD
    shutil.rmtree(settings.outputs_dir)
    for client_id in clients:
        shutil.copytree(kept / client_id, period_dir / client_id)
    assert not (period_dir / "manifest.json").exists() and not (period_dir / "index.html").exists()
    return period_dir


@pytest.mark.kernel
def test_check_records_and_checks_reports_the_manifest_does_not_know(produced) -> None:
    settings, kept = produced
    period_dir = _killed_first_run(settings, kept, ["ok-east", "ok-west"])
    (period_dir / "ok-west" / "report.html").write_text(
        (kept / "ok-west" / "report.html").read_text(encoding="utf-8").replace(
            "</body>", "<pre>Traceback (most recent call last):</pre></body>"), encoding="utf-8")

    done = nbreport(settings, "check")  # the latest period is found from the reports alone
    assert done.returncode == 1, done.stdout + done.stderr
    manifest = json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))
    assert {c: e["status"] for c, e in manifest["clients"].items()} == {
        "ok-east": "recovered", "ok-west": "recovered"}
    assert manifest["clients"]["ok-east"]["qa"] == {"passed": True, "failed": [], "first_reason": ""}
    assert manifest["clients"]["ok-west"]["qa"]["failed"] == ["no tracebacks"]
    index = (period_dir / "index.html").read_text(encoding="utf-8")
    assert "ok-east" in index and "ok-west" in index and "Recovered" in index
    assert "Traceback" not in done.stderr
    assert nbreport(settings, "check", PERIOD, "--client", "ok-east").returncode == 0


@pytest.mark.kernel
def test_the_next_run_records_the_recovered_reports_and_runs_them_again(produced) -> None:
    settings, kept = produced
    period_dir = _killed_first_run(settings, kept, ["ok-east"])

    done = nbreport(settings, "run", "ok-west")
    assert done.returncode == 0, done.stdout + done.stderr
    manifest = json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["clients"]["ok-east"]["status"] == "recovered"  # known, not run again here
    assert manifest["clients"]["ok-west"]["status"] == "ok"
    assert "ok-east" in (period_dir / "index.html").read_text(encoding="utf-8")

    again = nbreport(settings, "run", "--only-failed")  # its inputs are unknown: it runs again
    assert again.returncode == 0, again.stdout + again.stderr
    manifest = json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["clients"]["ok-east"]["status"] == "ok"
    assert manifest["clients"]["ok-east"]["inputs"]
