"""Sources of one kind declared in params ``overlaps``: each source's totals over the period.

Parts (e.g. Google Ads and Meta Ads) are summed: each one's total and share is computed, so
the sum can be retraced. Alternatives (the same rows exported twice) are not: the truth
source's numbers are the report's, the others are set beside it
(:mod:`nbreport.report.sections.overlaps` shows them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from nbreport.core.period import Period
from nbreport.i18n import N_, _
from nbreport.metrics.daily import daily_metrics, metric_value, period_totals
from nbreport.metrics.definitions import METRICS
from nbreport.params.overlaps import OverlapSpec, report_metrics
from nbreport.sources.loader import ClientData

if TYPE_CHECKING:
    from nbreport.params import ClientParams

SURVEY_RESPONSES = ("nps_responses", "csat_responses", "ces_responses")
ROLE_WORDS = {"part": N_("Added up"), "truth": N_("Truth: in the report"),
              "alternative": N_("Checked only")}  # shown with _() in the table's Role column


@dataclass(frozen=True)
class OverlapTable:
    """One declared overlap's sources side by side: rows per source (and a total for parts),
    columns: role, the metrics the report takes from their kind, and for parts each one's
    share of the first metric; ``units``: column -> unit."""

    overlap: OverlapSpec
    frame: pd.DataFrame
    units: Mapping[str, str]


def overlap_tables(params: ClientParams, data: ClientData, reported: Period) -> tuple[OverlapTable, ...]:
    """One table per overlap declared in params."""
    return tuple(overlap_frame(params, data, reported, overlap) for overlap in params.overlaps)


def overlap_frame(params: ClientParams, data: ClientData, reported: Period,
                  overlap: OverlapSpec) -> OverlapTable:
    """Rows: each source of ``overlap`` (and a total for parts); columns: role, the metrics the
    report takes from their kind, and for parts each one's share of the first metric."""
    metrics = _metrics(params, overlap)
    labels = {name: _(METRICS[name].label) for name in metrics}
    source_column, role_column = _("Source"), _("Role")
    rows = []
    for source in overlap.sources:
        totals = period_totals(daily_metrics(data, metrics,
                                             source_for=dict.fromkeys(metrics, source)),
                               reported)
        role = ("part" if overlap.relation == "parts" else
                "truth" if source == overlap.truth else "alternative")
        rows.append({source_column: source, role_column: _(ROLE_WORDS[role]),
                     **{labels[m]: _value(totals, m) for m in metrics}})
    frame = pd.DataFrame(rows)
    if len(metrics) > 1:  # a metric none of them holds says nothing (e.g. CES in an NPS survey)
        empty = [labels[m] for m in metrics if not frame[labels[m]].fillna(0).any()]
        metrics = [m for m in metrics if labels[m] not in empty] or metrics[:1]
        frame = frame[[source_column, role_column, *(labels[m] for m in metrics)]]
    units = {labels[m]: METRICS[m].unit for m in metrics}
    if overlap.relation == "parts" and _kind(params, overlap) != "survey":  # scales differ
        first = labels[metrics[0]]
        share = _("Share of %(metric)s", metric=first.lower())
        total = frame[first].sum(min_count=1)
        frame[share] = frame[first] / total if total else float("nan")
        units[share] = "percent"
        summed = {labels[m]: frame[labels[m]].sum(min_count=1) for m in metrics}
        total_row = {source_column: _("Total"), role_column: _(ROLE_WORDS["part"]), **summed,
                     share: 1.0 if total else None}
        frame = pd.concat([frame, pd.DataFrame([total_row])], ignore_index=True)
    return OverlapTable(overlap, frame, units)


def _kind(params: ClientParams, overlap: OverlapSpec) -> str:
    return next(source.kind for source in params.sources if source.name == overlap.sources[0])


def _metrics(params: ClientParams, overlap: OverlapSpec) -> list[str]:
    kinds = {source.kind for source in params.sources}
    kind = _kind(params, overlap)
    if kind == "survey":  # each scale's responses: what each survey adds
        return list(SURVEY_RESPONSES)
    found = report_metrics(kind, kinds, params.kpis)
    if kind == "ads":  # spend first: its shares are what the budget and every cost add up
        found = ["spend", *(name for name in found if name != "spend")]
    return [name for name in found if METRICS[name].unit != "percent"]


def _value(totals: pd.Series, metric: str) -> float:
    return float(metric_value(totals, metric)) if len(totals) else float("nan")
