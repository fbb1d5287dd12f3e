"""How much forecasting adds to a client's report: ``make bench-forecast``.

Each measurement runs in a fresh Python process, as each report runs in a
fresh kernel, so importing prophet is counted every time. For each demo
client it measures, in the same run:

* the baseline: opening the report and building every other section
  (executive summary, scorecard, trend charts, campaigns, data sources);
* forecasting October 2026 (``report.forecasts``) when nothing is stored yet
  (the first report of a client: prophet is fitted twice per series, once to
  check it against seasonal naive on the last complete month);
* the same when September's report has stored its forecasts (every later
  report: the check reads September's stored forecasts instead of refitting),
  and the rest of the forecast section (sentences, tables, charts).

Wall-clock seconds depend on what else runs on the machine, so the load
average and CPU seconds (this process and cmdstan's) are printed too. The
target: forecasting adds at most 1.5 s to a report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLIENTS = ("northwind-outfitters", "ledgerline", "harbourside-dental")
TARGET_S = 1.5


def _clock() -> tuple[float, float]:
    times = os.times()
    return time.perf_counter(), times.user + times.system + times.children_user + times.children_system


def _since(start: tuple[float, float]) -> dict[str, float]:
    wall, cpu = _clock()
    return {"wall": wall - start[0], "cpu": cpu - start[1]}


def measure_one(client: str, period: str, outputs: Path, work: Path) -> dict[str, object]:
    """Inside a fresh process: the other sections, then the forecast section."""
    os.chdir(work)
    start = _clock()
    from nbreport.core.layout import FORECASTS_FILE, ProjectLayout
    from nbreport.report import open_report, sections

    report = open_report(client, project_dir=REPO, period=period, outputs_dir=outputs)
    for section in (sections.executive_summary, sections.scorecard, sections.trends,
                    sections.campaigns, sections.data_sources):
        section(report)
    baseline = _since(start)
    start = _clock()
    report.forecasts  # noqa: B018 - the forecasting itself, then the section around it
    forecast = _since(start)
    start = _clock()
    sections.forecast(report)
    section = _since(start)
    kept = ProjectLayout(outputs).forecasts(period, client)
    kept.parent.mkdir(parents=True, exist_ok=True)
    (work / FORECASTS_FILE).replace(kept)
    return {"baseline": baseline, "forecast": forecast, "section": section,
            "series": sum(1 for _ in report.forecasts.paths)}


def _run(client: str, period: str, outputs: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as work:
        completed = subprocess.run(
            [sys.executable, __file__, "--one", client, period, str(outputs), work],
            check=True, capture_output=True, text=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    os.environ["NBREPORT_CACHE"] = "off"  # the cost of forecasting, not of reading a cache
    print(f"forecast cost per report (fresh process each; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores)")
    header = (f"{'client':<22} {'series':>6} {'other sections':>15} {'forecasting, 1st':>17} "
              f"{'forecasting, later':>19} {'+ its charts':>13} {'later / other':>13}")
    print(header + "\n" + "-" * len(header))
    worst = 0.0
    for client in CLIENTS:
        with tempfile.TemporaryDirectory() as outputs:
            first = _run(client, "2026-10", Path(outputs) / "first")
            _run(client, "2026-09", Path(outputs) / "later")
            later = _run(client, "2026-10", Path(outputs) / "later")
        base, f1, f2 = first["baseline"], first["forecast"], later["forecast"]
        charts = later["section"]
        worst = max(worst, f1["cpu"], f2["cpu"])
        print(f"{client:<22} {first['series']:>6} {_s(base):>15} {_s(f1):>17} {_s(f2):>19} "
              f"{_s(charts):>13} {f2['wall'] / base['wall']:>12.2f}x")
    print(f"\nseconds: wall (cpu, incl. cmdstan); 'forecasting' is report.forecasts, '+ its charts' "
          f"the rest of the forecast section.\ntarget: forecasting adds at most {TARGET_S} s per "
          f"report; most cpu here {worst:.2f} s; load average now {os.getloadavg()[0]:.1f}")


def _s(figures: dict[str, float]) -> str:
    return f"{figures['wall']:.2f} ({figures['cpu']:.2f})"


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--one":
        print(json.dumps(measure_one(sys.argv[2], sys.argv[3], Path(sys.argv[4]), Path(sys.argv[5]))))
    else:
        main()
