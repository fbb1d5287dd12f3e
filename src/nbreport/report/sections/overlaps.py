"""Sources of one kind declared in params ``overlaps``: what the report adds up, and what not.

Parts (e.g. Google Ads and Meta Ads) are summed: each one's total and share is shown, so the
sum can be retraced. Alternatives (the same rows exported twice) are not: the truth source's
numbers are the report's, the others are shown beside it and checked against it in the
triangulation section.
"""

from __future__ import annotations

import pandas as pd

from nbreport.metrics.daily import daily_metrics, metric_value, period_totals
from nbreport.metrics.definitions import METRICS
from nbreport.params.overlaps import OverlapSpec, report_metrics
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render, trusted
from nbreport.report.tables import data_table

SURVEY_RESPONSES = ("nps_responses", "csat_responses", "ces_responses")
ROLE_WORDS = {"part": "Added up", "truth": "Truth: in the report", "alternative": "Checked only"}


def source_split(report: Report) -> Fragment:
    """One table per declared overlap: each source's totals over the reported period."""
    items = [_item(report, overlap) for overlap in report.params.overlaps]
    return render("source_split.html.j2", f"Sources of one kind: {len(items)} declared overlaps",
                  items=items)


def overlap_frame(report: Report, overlap: OverlapSpec) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rows: each source of ``overlap`` (and a total for parts); columns: role, the metrics the
    report takes from their kind, and for parts each one's share of the first metric."""
    metrics = _metrics(report, overlap)
    labels = {name: METRICS[name].label for name in metrics}
    rows = []
    for source in overlap.sources:
        totals = period_totals(daily_metrics(report.data, metrics,
                                             source_for=dict.fromkeys(metrics, source)),
                               report.reported)
        role = ("part" if overlap.relation == "parts" else
                "truth" if source == overlap.truth else "alternative")
        rows.append({"Source": source, "Role": ROLE_WORDS[role],
                     **{labels[m]: _value(totals, m) for m in metrics}})
    frame = pd.DataFrame(rows)
    if len(metrics) > 1:  # a metric none of them holds says nothing (e.g. CES in an NPS survey)
        empty = [labels[m] for m in metrics if not frame[labels[m]].fillna(0).any()]
        metrics = [m for m in metrics if labels[m] not in empty] or metrics[:1]
        frame = frame[["Source", "Role", *(labels[m] for m in metrics)]]
    units = {labels[m]: METRICS[m].unit for m in metrics}
    if overlap.relation == "parts" and _kind(report, overlap) != "survey":  # scales differ
        first = labels[metrics[0]]
        total = frame[first].sum(min_count=1)
        frame[f"Share of {first.lower()}"] = frame[first] / total if total else float("nan")
        units[f"Share of {first.lower()}"] = "percent"
        summed = {labels[m]: frame[labels[m]].sum(min_count=1) for m in metrics}
        frame = pd.concat([frame, pd.DataFrame([{"Source": "Total", "Role": "Added up", **summed,
                                                 f"Share of {first.lower()}": 1.0 if total else None}])],
                          ignore_index=True)
    return frame, units


def _kind(report: Report, overlap: OverlapSpec) -> str:
    return next(source.kind for source in report.params.sources if source.name == overlap.sources[0])


def _metrics(report: Report, overlap: OverlapSpec) -> list[str]:
    kinds = {source.kind for source in report.params.sources}
    kind = _kind(report, overlap)
    if kind == "survey":  # each scale's responses: what each survey adds
        return list(SURVEY_RESPONSES)
    found = report_metrics(kind, kinds, report.params.kpis)
    if kind == "ads":  # spend first: its shares are what the budget and every cost add up
        found = ["spend", *(name for name in found if name != "spend")]
    return [name for name in found if METRICS[name].unit != "percent"]


def _value(totals: pd.Series, metric: str) -> float:
    return float(metric_value(totals, metric)) if len(totals) else float("nan")


def _item(report: Report, overlap: OverlapSpec) -> dict[str, object]:
    frame, units = overlap_frame(report, overlap)
    names = ", ".join(overlap.sources[:-1]) + f" and {overlap.sources[-1]}"
    if overlap.relation == "parts":
        sentence = (f"{names} hold different rows of the same kind of data: the report adds them "
                    "up. Each one's part:")
        caption = f"What {names} add up to, {report.reported.label}"
    else:
        others = ", ".join(overlap.set_aside)
        sentence = (f"{names} measure the same thing: the report's numbers come from "
                    f"{overlap.truth} alone, and {others} {'is' if len(overlap.set_aside) == 1 else 'are'} "
                    f"only checked against it (see Checking the numbers across sources).")
        caption = f"{names} side by side, {report.reported.label}"
    table = data_table(frame, caption=caption, fmt=report.fmt, units=units)
    return {"sentence": sentence, "table": trusted(table.html)}
