"""A batch checks each report once: the checks made before publishing are the period verdict's,
and a later run or `nbreport check` takes the stored verdict of a report whose files are unchanged.

Before, every report of a run was checked twice (before publishing, then again for the
period's verdict while the other clients ran), which cost the run's parent process about
half a second of CPU per client, taken from the kernels.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nbreport.settings import Settings
from tests.conftest import REPO

pytestmark = pytest.mark.kernel


def test_each_report_is_checked_once_and_the_verdict_is_the_same(
        tmp_path: Path, demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nbreport.batch import run_batch
    from nbreport.qa import gate

    root = tmp_path / "project"
    for folder in ("params", "notebooks", "templates", "commentary"):
        shutil.copytree(REPO / folder, root / folder)
    settings = Settings.for_project(root, data_dir=demo_data_dir)
    checked: list[str] = []
    real_check_report = gate.check_report

    def counting(subject):  # type: ignore[no-untyped-def]
        checked.append(subject.client_id)
        return real_check_report(subject)

    monkeypatch.setattr(gate, "check_report", counting)
    clients = ["ledgerline", "harbourside-dental"]
    outcome = run_batch(settings, clients, overrides={"period": "2026-10"})
    assert outcome.exit_code == 0, [r.error for r in outcome.results]
    assert sorted(checked) == sorted(clients)  # once each, before publishing

    recorded = json.loads((settings.outputs_dir / "2026-10" / "qa.json").read_text())
    gate._VERDICTS.clear()  # a new process, as `nbreport check` or the next run is
    again = gate.gate_period(settings, "2026-10").to_dict()
    assert sorted(checked) == sorted(clients)  # the verdicts stored by the run: no check again
    assert again["clients"] == recorded["clients"]

    gate._VERDICTS.clear()
    monkeypatch.setenv("NBREPORT_CACHE", "off")  # checked afresh, stored nothing read
    afresh = gate.gate_period(settings, "2026-10").to_dict()
    assert sorted(checked) == sorted(clients + clients)  # once more each
    assert afresh["clients"] == recorded["clients"]
    for verdict in recorded["clients"].values():
        names = [check["name"] for check in verdict["checks"]]
        assert len(names) == len(set(names)) > 10  # every check, each once, in the verdict

    monkeypatch.delenv("NBREPORT_CACHE")
    gate._VERDICTS.clear()
    report = settings.outputs_dir / "2026-10" / "ledgerline" / "report.html"
    report.write_text(report.read_text().replace("</main>", "<p>Traceback (most recent call last):</p></main>"))
    changed = {v.client_id: v for v in gate.gate_period(settings, "2026-10").clients}
    assert sorted(checked) == sorted([*clients, *clients, "ledgerline"])  # the changed one only
    assert [check.name for check in changed["ledgerline"].failures] == ["no tracebacks"]
    assert changed["harbourside-dental"].passed


def test_checks_made_under_other_markers_are_made_again(tmp_path: Path) -> None:
    """A marker or secret added while the run went on: the checks before publishing did not
    look for it, so the period's verdict does not take them."""
    from nbreport.qa.checks import CheckResult
    from nbreport.qa.gate import CheckedReport
    from nbreport.qa.gate_context import GateContext

    before = GateContext({"acme": ["CANARY-1"]}, [])
    after = GateContext({"acme": ["CANARY-1"], "other": ["CANARY-2"]}, [])
    handed = CheckedReport(before.fingerprint(), (CheckResult("no tracebacks", True),))
    assert handed.context == GateContext({"acme": ["CANARY-1"]}, []).fingerprint()
    assert handed.context != after.fingerprint()
    assert before.fingerprint() != GateContext({"acme": ["CANARY-1"]}, ["s3cret"]).fingerprint()


def test_a_data_pack_beside_a_report_is_read_as_its_cells(tmp_path: Path) -> None:
    """The files beside a report are scanned for other clients' markers and secrets; a data pack
    by its cells (its compressed bytes read as text could never show a marker), even when the
    report does not link it; a pack that does not open is read as text, as any other file."""
    import zipfile

    from openpyxl import Workbook

    from nbreport.qa.gate import _assets_check

    book = Workbook()
    book.active.append(["Campaign", "Note"])
    book.active.append(["Search", "ask CANARY-OTHER-77 first"])
    book.save(tmp_path / "data.xlsx")
    with zipfile.ZipFile(tmp_path / "data.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("kpis.csv", "kpi,value\nsessions,4210\nkey,ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\n")
    (tmp_path / "forecasts.json").write_text("{}")
    result = _assets_check(tmp_path, {"other": ["CANARY-OTHER-77"]}, [])
    assert not result.passed
    assert "data.xlsx: marker #1 of other" in result.detail
    assert "data.zip: GitHub Token" in result.detail

    (tmp_path / "data.xlsx").write_text("not a workbook, but CANARY-OTHER-77 in plain text")
    assert "data.xlsx: marker #1 of other" in _assets_check(tmp_path, {"other": ["CANARY-OTHER-77"]}, []).detail
    (tmp_path / "data.xlsx").unlink()
    (tmp_path / "data.zip").unlink()
    assert _assets_check(tmp_path, {"other": ["CANARY-OTHER-77"]}, []).passed
