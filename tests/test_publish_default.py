"""A report that fails the QA gate does not reach the client by default; letting one out needs
``--publish all`` and leaves a record in the manifest."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from nbreport.cli import run
from nbreport.metrics.customer_success import support_summary
from nbreport.core.period import Period
from nbreport.qa.checks import CheckResult
from nbreport.qa.gate import ClientVerdict, GateReport, record
from nbreport.settings import Settings
from tests.frames import table


def test_publishing_defaults_to_passing_reports_only() -> None:
    option = next(p for p in run.params if p.name == "publish")
    assert option.default == "passing"


def _manifest(tmp_path: Path) -> Settings:
    period_dir = tmp_path / "outputs" / "2026-10"
    period_dir.mkdir(parents=True)
    clients = {cid: {"status": "ok"} for cid in ("good", "bad", "old-bad")}
    (period_dir / "manifest.json").write_text(json.dumps({"clients": clients}), encoding="utf-8")
    return Settings.for_project(tmp_path)


def _gate() -> GateReport:
    failing = [CheckResult("commentary reviewed", False, "a statement contradicts the figures")]
    return GateReport("2026-10", [ClientVerdict("good", [CheckResult("no code", True)]),
                                  ClientVerdict("bad", failing), ClientVerdict("old-bad", failing)])


def test_publishing_a_failing_report_is_recorded(tmp_path: Path) -> None:
    settings = _manifest(tmp_path)
    record(_gate(), settings, published_anyway=True, run_clients={"good", "bad"})
    clients = json.loads((settings.outputs_dir / "2026-10" / "manifest.json").read_text())["clients"]
    assert clients["bad"]["qa"]["published_despite_failing"]["by"] == "nbreport run --publish all"
    assert "published_despite_failing" not in clients["good"]["qa"]
    assert "published_despite_failing" not in clients["old-bad"]["qa"]  # not run this time


def test_a_gate_run_without_publish_all_records_no_such_mark(tmp_path: Path) -> None:
    settings = _manifest(tmp_path)
    record(_gate(), settings)
    clients = json.loads((settings.outputs_dir / "2026-10" / "manifest.json").read_text())["clients"]
    assert all("published_despite_failing" not in c["qa"] for c in clients.values())


def test_open_tickets_are_unknown_without_resolution_data() -> None:
    """Seen: an export without a resolution column counted every ticket as still open."""
    rows = [{"date": "2026-10-02", "ticket_id": str(i), "created_at": "2026-10-02 09:00"}
            for i in range(5)]
    support = table("support", rows)
    found = support_summary(support, Period.month(2026, 10))
    assert found.tickets == 5 and math.isnan(found.open)
    with_status = support.assign(status=["open", "solved", "closed", "pending", "solved"])
    assert support_summary(with_status, Period.month(2026, 10)).open == 2
    resolved = support.assign(resolved_at=pd.to_datetime(
        ["2026-10-03", None, "2026-10-04", None, None]).astype("datetime64[ns]"))
    assert support_summary(resolved, Period.month(2026, 10)).open == 3
