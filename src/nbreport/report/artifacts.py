"""The files a report leaves for later, written in one place once its results are known.

Displaying a section writes nothing. When the report is opened for a run, this module
writes into the kernel's working folder (the batch engine moves them beside the report
once it is complete):

* ``forecasts.json``: this run's forecasts, which the next period's report holds to account;
* ``results.json``: every figure of the report (:meth:`ReportResults.to_dict`);
* ``rows-<kind>.parquet``: the canonical rows behind the numbers, which the QA gate
  recomputes every KPI from (:mod:`nbreport.report.evidence`).
"""

from __future__ import annotations

import json
from pathlib import Path

from nbreport.core.files import write_atomic
from nbreport.core.layout import FORECASTS_FILE, RESULTS_FILE
from nbreport.forecast.store import save_forecasts
from nbreport.report.evidence import write_evidence
from nbreport.report.inputs import ReportInputs
from nbreport.report.results import ReportResults


def write_artifacts(inputs: ReportInputs, results: ReportResults, folder: Path) -> tuple[str, ...]:
    """Write the report's files for later into ``folder``; returns their names, sorted."""
    save_forecasts(results.forecasts, results.client_id, results.period.key, folder)
    text = json.dumps(results.to_dict(), indent=1, sort_keys=True, allow_nan=False)
    write_atomic(folder / RESULTS_FILE, text + "\n")
    evidence = write_evidence(inputs.data.tables, folder)
    return tuple(sorted([FORECASTS_FILE, RESULTS_FILE, *evidence]))
