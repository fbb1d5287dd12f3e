"""Exit codes: one table (README, ``--help`` and the constants agree), and ``run X`` / ``check
--client X`` answer for X only, whatever state other clients' reports are in (issue 22, item 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nbreport.core import exit_codes
from nbreport.core.exit_codes import EXIT_CODES
from nbreport.settings import Settings
from tests.batch_project import PERIOD, make_project
from tests.conftest import REPO


def nbreport(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nbreport", "--project", str(settings.project_dir),
                           *args], capture_output=True, text=True, timeout=300)


def test_readme_shows_the_table_of_the_constants() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert exit_codes.markdown_table() in readme
    for code, meaning in EXIT_CODES:
        assert f"| `{code}` | {meaning} |" in readme
    assert {code for code, _ in EXIT_CODES} == {0, 1, 2, 3, 130}


def test_help_shows_the_table_of_the_constants() -> None:
    done = subprocess.run([sys.executable, "-m", "nbreport", "--help"], capture_output=True,
                          text=True, timeout=60)
    flat = " ".join(done.stdout.split())
    for code, meaning in EXIT_CODES:
        assert f"{code} {meaning}" in flat, code


def _fail_the_gate(settings: Settings, client_id: str) -> None:
    """Make the published report of ``client_id`` one the gate rejects (a traceback in it)."""
    html = settings.outputs_dir / PERIOD / client_id / "report.html"
    text = html.read_text(encoding="utf-8")
    html.write_text(text.replace("</body>", "<pre>Traceback (most recent call last):</pre></body>"),
                    encoding="utf-8")


@pytest.mark.kernel
def test_run_and_check_of_one_client_ignore_another_clients_failing_report(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project", ["ok-north", "ok-south"])
    first = nbreport(settings, "run", "--all")
    assert first.returncode == 0, first.stdout + first.stderr
    _fail_the_gate(settings, "ok-south")

    whole = nbreport(settings, "check", PERIOD)
    assert whole.returncode == 1, whole.stdout  # the period as a whole has a failing report
    assert nbreport(settings, "check", PERIOD, "--client", "ok-south").returncode == 1
    north = nbreport(settings, "check", PERIOD, "--client", "ok-north")
    assert north.returncode == 0, north.stdout
    nobody = nbreport(settings, "check", PERIOD, "--client", "ok-west")  # never run: nothing to send
    assert nobody.returncode == 1 and "ok-west has no report for 2026-10" in nobody.stderr

    run = nbreport(settings, "run", "ok-north", "--force")
    assert run.returncode == 0, run.stdout + run.stderr
    index = (settings.outputs_dir / PERIOD / "index.html").read_text(encoding="utf-8")
    assert "ok-south" in index  # the index still shows everyone
    assert nbreport(settings, "run", "ok-south").returncode == 1  # unchanged, still failing


def test_check_refuses_while_a_run_holds_the_period(tmp_path: Path) -> None:
    from nbreport.batch.lock import period_locks

    settings = make_project(tmp_path / "project", ["ok-north"])
    with period_locks(settings.outputs_dir, [PERIOD]):  # a run of the period is under way
        checked = nbreport(settings, "check", PERIOD)
    assert checked.returncode == exit_codes.EXIT_USAGE, checked.stdout + checked.stderr
    assert "Traceback" not in checked.stderr and "2026-10" in checked.stderr
    assert not (settings.outputs_dir / PERIOD / "manifest.json").exists()  # nothing written
