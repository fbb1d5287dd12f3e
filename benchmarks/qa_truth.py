"""What the QA gate's truth check costs per report: ``python benchmarks/qa_truth.py [PERIOD]``.

Runs the check "numbers recomputed" (every KPI and headline tile recomputed from the rows
stored beside the report, one DuckDB query per metric) on every report of a period that
``make demo`` produced under ``outputs/`` (default: 2026-10), several times each, and prints
milliseconds per report: CPU time of this process (DuckDB runs single-threaded in it) and
wall-clock time (median and best; a busy machine inflates the median, so the load average is
printed too). The first check of a process, which imports DuckDB and opens its database, is
timed apart. The target: under 0.2 s per report.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 0.2
RUNS = 20


def subjects(period: str) -> list[object]:
    """Each published report of the period, as the gate sees it."""
    from nbreport.qa.checks import ReportUnderCheck
    from nbreport.core.layout import ProjectLayout
    from nbreport.qa.gate import _params_of, _read_notebook

    layout = ProjectLayout.default(REPO)
    manifest_path = layout.manifest(period)
    if not manifest_path.exists():
        sys.exit(f"no reports for {period} under outputs/: run make demo first")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    found = []
    for client_id, entry in sorted(manifest["clients"].items()):
        folder = layout.client_dir(period, client_id)
        if entry.get("status") != "ok" or not layout.report_html(period, client_id).exists():
            continue
        found.append(ReportUnderCheck(client_id=client_id, html="", summary=entry.get("summary") or {},
                                      params=_params_of(_read_notebook(layout.report_notebook(period, client_id))),
                                      folder=folder))
    return found


def main(period: str) -> None:
    from nbreport.qa.checks import numbers_recomputed

    reports = subjects(period)
    started = time.perf_counter()
    first = numbers_recomputed(reports[0])
    print(f"first check of the process (imports DuckDB): {(time.perf_counter() - started) * 1000:.0f} ms")
    worst_cpu = 0.0
    for report in reports:
        cpu, wall = [], []
        for _ in range(RUNS):
            clock, begun = time.perf_counter(), time.process_time()
            result = numbers_recomputed(report)
            cpu.append(time.process_time() - begun)
            wall.append(time.perf_counter() - clock)
        kpis = len(report.summary.get("kpis") or [])
        verdict = "passes" if result.passed else f"FAILS: {result.detail}"
        print(f"{report.client_id:<24} {kpis:>2} KPIs  CPU {statistics.median(cpu) * 1000:6.1f} ms  "
              f"wall median {statistics.median(wall) * 1000:6.1f} ms, best {min(wall) * 1000:6.1f} ms  "
              f"{verdict}")
        worst_cpu = max(worst_cpu, statistics.median(cpu))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs; first verdict: "
          f"{'pass' if first.passed else 'fail'}")
    print(f"slowest report: {worst_cpu * 1000:.1f} ms CPU per check (target < {TARGET_S * 1000:.0f} ms): "
          f"{'OK' if worst_cpu < TARGET_S else 'TOO SLOW'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "2026-10")
