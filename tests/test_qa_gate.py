"""`nbreport check`: the gate on a period's real reports, from the command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nbreport.settings import Settings

pytestmark = pytest.mark.kernel


def check(settings: Settings, outputs: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nbreport", "--project", str(settings.project_dir),
                           "--outputs-dir", str(outputs), "check", *args],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def outputs(demo_outputs: Settings, tmp_path: Path) -> Path:
    copy = tmp_path / "outputs"
    shutil.copytree(demo_outputs.outputs_dir, copy)
    return copy


def test_the_demo_reports_pass(demo_outputs: Settings, outputs: Path) -> None:
    result = check(demo_outputs, outputs, "2026-10")
    assert result.returncode == 0, result.stdout
    assert "3 reports checked, all pass" in result.stdout
    verdicts = json.loads((outputs / "2026-10" / "qa.json").read_text())
    assert verdicts["passed"] and set(verdicts["clients"]) == {"northwind-outfitters", "ledgerline",
                                                              "harbourside-dental"}


def test_a_tampered_report_fails_the_gate(demo_outputs: Settings, outputs: Path) -> None:
    report = outputs / "2026-10" / "ledgerline" / "report.html"
    report.write_text(report.read_text().replace(
        "</main>", '<img src="https://tracker.example/p.gif" alt="x"><p>Traceback (most recent call last):</p></main>'))
    result = check(demo_outputs, outputs, "2026-10", "--client", "ledgerline")
    assert result.returncode == 1
    assert "ledgerline" in result.stdout and "FAIL" in result.stdout
    assert "no external resources" in result.stdout and "no tracebacks" in result.stdout
    manifest = json.loads((outputs / "2026-10" / "manifest.json").read_text())
    assert manifest["clients"]["ledgerline"]["qa"] == {
        "passed": False, "failed": ["no tracebacks", "no external resources"],
        "first_reason": "no tracebacks ('Traceback (most recent call last)')"}


def test_without_a_period_the_latest_is_checked(demo_outputs: Settings, outputs: Path) -> None:
    (outputs / "2026-10" / "manifest.json").touch()
    assert "QA gate for 2026-10" in check(demo_outputs, outputs).stdout


def test_no_reports_is_a_usage_error(demo_outputs: Settings, tmp_path: Path) -> None:
    result = check(demo_outputs, tmp_path / "empty")
    assert result.returncode == 2 and "no reports" in result.stderr


def test_a_verdict_is_reused_only_while_the_report_is_unchanged(demo_outputs: Settings,
                                                                 outputs: Path) -> None:
    """The gate remembers verdicts (a batch checks each report as it comes in, and the period's
    gate at the end only looks them up), never past a change to a report's files."""
    from nbreport.qa import gate

    settings = Settings.for_project(demo_outputs.project_dir, outputs_dir=outputs)
    first = gate.gate_period(settings, "2026-10")
    again = gate.gate_period(settings, "2026-10")
    assert first.passed and all(a is b for a, b in zip(first.clients, again.clients))
    report = outputs / "2026-10" / "ledgerline" / "report.html"
    report.write_text(report.read_text().replace("</main>", "<p>Traceback (most recent call last):</p></main>"))
    changed = {verdict.client_id: verdict for verdict in gate.gate_period(settings, "2026-10").clients}
    assert not changed["ledgerline"].passed
    assert [check.name for check in changed["ledgerline"].failures] == ["no tracebacks"]
    before = {verdict.client_id: verdict for verdict in first.clients}
    assert changed["northwind-outfitters"] is before["northwind-outfitters"]
