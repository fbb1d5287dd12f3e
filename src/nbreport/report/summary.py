"""The run summary: what the batch engine and the index page need to know about a report.

The last cell of the master notebook displays it under a MIME type of its
own. The exported HTML never shows it (the template renders only HTML and
images); the batch engine reads it from the executed notebook. Files the
report wrote for later runs when it was opened (stored forecasts, results, the
rows behind them: :mod:`nbreport.report.artifacts`) are in the kernel's working
folder and listed under ``artifacts``; the engine moves them next to the report
once the report is complete.

``commentary`` records the commentary file, the sections written and drafted, and
every statement flagged as contradicting the figures (``flags``: section, line,
sentence, metric, stated, actual, message). ``review`` says whether the report may
go to the client: ``{"publishable": false, "reasons": [...]}`` when a statement is
flagged or when unreviewed drafts are blocked by ``commentary.drafts: block``.

The run summary comes last, once every section has been displayed: it writes the client's
data pack (:mod:`nbreport.delivery.datapack`, the body's tables and charts), lists its files
under ``artifacts`` and, under ``data_pack``, the link the report's footer shows (its
files and words, in the report's language; absent when there is no pack).
"""

from __future__ import annotations

from typing import Any

from nbreport import __version__
from nbreport.core.layout import DATA_XLSX, DATA_ZIP
from nbreport.i18n import _, language
from nbreport.protocol import SUMMARY_MIME
from nbreport.report.context import Report
from nbreport.metrics.kpis import STATUS_WORDS
from nbreport.report.sections.kpis import arrow, change_text, trend


class RunSummary:
    """Displayed as :data:`SUMMARY_MIME` plus a one-line text for people."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {SUMMARY_MIME: self.data, "text/plain": repr(self)}

    def __repr__(self) -> str:
        return (f"Run summary for {self.data['client_id']} {self.data['period']}: "
                f"{len(self.data['headline'])} headline KPIs, {len(self.data['sources'])} sources")


def run_summary(report: Report) -> RunSummary:
    """Headline numbers, statuses and provenance of the report, as plain values (its words in
    the report's language)."""
    with language(report.language):
        return _run_summary(report)


def _run_summary(report: Report) -> RunSummary:
    results, fmt = report.results, report.fmt
    pack = report.data_pack.write(report.plan.shown) if report.data_pack is not None else ()
    headline = [{
        "metric": r.metric, "label": r.label,
        "value": fmt.value(r.actual, r.unit),
        "change": change_text(fmt, r, "previous"),
        "status": r.status, "status_word": STATUS_WORDS[r.status],
        "trend": trend(r, r.change_pct), "arrow": arrow(r.change_pct),
    } for r in results.headline]
    period, reported = results.period, results.reported
    return RunSummary({
        "client_id": report.client_id,
        "client_name": report.inputs.params.client.name,
        "period": period.key,
        "full_period": {"start": period.start.isoformat(), "end": period.end.isoformat(),
                        "kind": period.kind, "key": period.key},
        "reported": {"start": reported.start.isoformat(), "end": reported.end.isoformat()},
        "headline": headline,
        "kpis": [r.to_dict() for r in results.kpis],
        "sources": [p.to_dict() for p in report.inputs.data.provenance],
        "coverage": {name: {"grain": found.grain, "first": found.first.isoformat(),
                            "last": found.last.isoformat()}
                     for name, found in results.coverage.items()},
        "params_hash": results.params_hash,
        "nbreport_version": __version__,
        "artifacts": sorted([*report.artifacts, *pack]),
        "commentary": report.commentary.summary(),
        "review": report.commentary.review(),
        "sections": report.plan.to_dict(),
        **({"data_pack": data_pack_link(report.inputs.params.report.language)} if pack else {}),
    })


def data_pack_link(language_code: str) -> dict[str, str]:
    """The data pack's files (relative to the report) and the link's words, for the footer."""
    with language(language_code):
        return {"xlsx": DATA_XLSX, "zip": DATA_ZIP, "text": _("Download the data"),
                "xlsx_text": _("Excel workbook"), "zip_text": _("CSV files (zip)")}
