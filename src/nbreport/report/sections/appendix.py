"""The data-quality and provenance appendix: which files, how many rows, how fresh."""

from __future__ import annotations

from datetime import date

from nbreport import __version__
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render


def data_sources(report: Report) -> Fragment:
    """One row per source with its file, rows, date range and read time; freshness warnings."""
    rows = []
    warnings = []
    for record in report.data.provenance:
        rows.append({
            "source": record.source, "kind": record.kind, "path": record.path,
            "rows": report.fmt.value(record.rows_used, "count"),
            "dates": f"{record.first_date} \u2013 {record.last_date}" if record.first_date else "no dates",
            "read_at": record.read_at.replace("T", " ").replace("+00:00", " UTC"),
            "notes": "; ".join(record.notes),
        })
        if record.last_date and date.fromisoformat(record.last_date) < report.reported.end:
            warnings.append(f"{record.source}: data ends on {record.last_date}, before the "
                            f"reported period ends ({report.reported.end}).")
    return render("data_sources.html.j2", f"Data sources: {len(rows)}", rows=rows,
                  warnings=warnings, params_hash=report.params_hash, version=__version__)
