"""The data-quality and provenance appendix: which files, how many rows, how fresh, what is wrong.

Warnings are never hidden: those about the periods this report compares (the
reported period, the previous one, the same period last year) are listed one by
one; others (about earlier days) are counted, and all of them are in the run's
manifest with each source's provenance.
"""

from __future__ import annotations

from collections.abc import Mapping

from nbreport import __version__
from nbreport.core.formatting import Formatter
from nbreport.i18n import N_, _, ngettext
from nbreport.metrics.coverage import SourceCoverage
from nbreport.report.context import Report
from nbreport.report.figures import metric_definitions
from nbreport.report.fragment import Fragment, render
from nbreport.report.sections.left_out import client_sentence
from nbreport.report.sections.overlaps import source_split
from nbreport.sources.checks import DataWarning
from nbreport.sources.loader import Provenance
from nbreport.sources.presets import PRESETS

CHECK_LABELS = {
    "empty_period": N_("No data"), "freshness": N_("Not up to date"), "gap": N_("Missing days"),
    "outlier": N_("Unusual day"), "dropped_rows": N_("Rows left out"),
    "filled_blanks": N_("Blanks filled"),
}
# the days a source's rows cover, when one row stands for more than a day
ROW_SPANS = {"week": N_("%(span)s (one row per week)"), "month": N_("%(span)s (one row per month)")}


def data_sources(report: Report) -> Fragment:
    """One row per source (file or query, rows, dates, read time) and the data-quality warnings."""
    results, data, fmt = report.results, report.inputs.data, report.fmt
    rows = [_source_row(fmt, results.coverage, record) for record in data.provenance]
    compared = [(period.start, period.end) for period in results.comparison_periods.values()]
    warnings = list(results.period_warnings)
    earlier: list[DataWarning] = []
    for warning in data.warnings:
        shown = any(warning.overlaps(start, end) for start, end in compared)
        (warnings if shown else earlier).append(warning)
    items = [{"source": w.source, "label": _(CHECK_LABELS[w.check]), "message": _client_words(w)}
             for w in sorted(warnings, key=lambda w: (w.source, w.check, w.first_date or ""))]
    appendix = render("data_sources.html.j2",
                      f"Data sources: {len(rows)}, {len(items)} data-quality notes",
                      rows=rows, warnings=items, earlier=_earlier_summary(earlier),
                      params_hash=results.params_hash, version=__version__,
                      left_out=report.plan.empty,
                      definitions=metric_definitions(report.inputs.params, results.budget,
                                                     data.has("ads")))
    return Fragment(appendix.html + source_split(report).html, appendix.text)


def _client_words(warning: DataWarning) -> str:
    """The warning as the client reads it: rows left out without filter internals."""
    return client_sentence(warning.message) if warning.check == "dropped_rows" else warning.message


def _source_row(fmt: Formatter, coverage: Mapping[str, SourceCoverage],
                record: Provenance) -> dict[str, str]:
    return {
        "source": record.source, "kind": record.kind,
        "tool": PRESETS[record.preset].tool.split(" (")[0] if record.preset else "",
        "path": record.path, "query": record.query or "",
        "rows": fmt.value(record.rows_used, "count"),
        "rows_read": fmt.value(record.rows_read, "count"),
        "dates": _dates(coverage.get(record.source), record),
        "read_at": record.read_at.replace("T", " ").replace("+00:00", " UTC"),
        "notes": "; ".join(record.notes),
    }


def _dates(coverage: SourceCoverage | None, record: Provenance) -> str:
    """The days a source's rows cover, and what one row stands for when it is not a day."""
    if coverage is None or not record.first_date:
        return _("no dates")
    span = f"{coverage.first.isoformat()} \u2013 {coverage.last.isoformat()}"
    if coverage.grain == "day":
        return span
    return _(ROW_SPANS[coverage.grain], span=span)


def _earlier_summary(earlier: list[DataWarning]) -> str:
    if not earlier:
        return ""
    days = sorted(w.first_date for w in earlier if w.first_date)
    if not days:
        return ngettext("%(n)s more note about days outside the periods compared here; every "
                        "note is kept in the run's manifest.",
                        "%(n)s more notes about days outside the periods compared here; every "
                        "note is kept in the run's manifest.", len(earlier))
    return ngettext("%(n)s more note about days outside the periods compared here between "
                    "%(first)s and %(last)s; every note is kept in the run's manifest.",
                    "%(n)s more notes about days outside the periods compared here between "
                    "%(first)s and %(last)s; every note is kept in the run's manifest.",
                    len(earlier), first=days[0], last=days[-1])
