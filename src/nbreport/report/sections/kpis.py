"""Executive summary tiles and the KPI scorecard."""

from __future__ import annotations

import math
from typing import Any

from nbreport.core.formatting import Formatter
from nbreport.i18n import N_, _
from nbreport.metrics.kpis import STATUS_WORDS, KpiResult
from nbreport.params import ClientParams
from nbreport.report.context import Report
from nbreport.report.figures import raw, term
from nbreport.report.fragment import Fragment, render

NO_DATA = N_("no data")
NO_TARGET = N_("no target")
NOTHING = "\u2013"  # a change or gap with nothing to compare with


def compared_value(fmt: Formatter, result: KpiResult, key: str) -> str:
    """A comparison period's value, or "no data" when its sources do not cover it."""
    value = result.previous if key == "previous" else result.last_year
    return _(NO_DATA) if result.note(key) else fmt.value(value, result.unit)


def target_text(fmt: Formatter, result: KpiResult) -> str:
    return _(NO_TARGET) if math.isnan(result.target) else fmt.value(result.target, result.unit)


def missing_notes(results: list[KpiResult]) -> list[str]:
    """One line per KPI value left out or holding only part of its period, saying why
    ("Revenue, last year: no data for ...")."""
    names = {"now": N_("%(kpi)s, this period: %(reason)s"),
             "previous": N_("%(kpi)s, previous period: %(reason)s"),
             "last_year": N_("%(kpi)s, last year: %(reason)s")}
    return [_(names[key], kpi=r.label, reason=reason)
            for r in results for key, reason in {**r.notes, **r.caveats}.items()]


MAX_TILES = 6  # one row of the first screen at 1280 px


def executive_summary(report: Report) -> Fragment:
    """The first screen: headline KPI tiles (target, change, status), the top win and the top
    challenge; the summary's sentences and the next steps follow it (commentary)."""
    from nbreport.report.sections.insights import top_insights

    results = report.results
    tiles = [_tile(report, result) for result in results.headline[:MAX_TILES]]
    from nbreport.delivery.restated import restated_note

    return render("executive_summary.html.j2", f"Executive summary: {len(tiles)} headline KPIs",
                  tiles=tiles, top=top_insights(report), period=results.reported.label,
                  restated=restated_note(report.inputs.sent, results, report.fmt))


def scorecard(report: Report) -> Fragment:
    """Every KPI: actual, target, attainment, status, change on last period and last year."""
    fmt, results = report.fmt, report.results
    rows = [{
        **figure_refs(report.inputs.params, r),
        "actual": fmt.value(r.actual, r.unit),
        "target": target_text(fmt, r),
        "attainment": NOTHING if math.isnan(r.target) else fmt.value(r.attainment, "percent"),
        "status": r.status,
        "status_word": _(STATUS_WORDS[r.status]),
        "previous": compared_value(fmt, r, "previous"),
        "change": change_text(fmt, r, "previous"),
        "change_trend": trend(r, r.change_pct),
        "yoy": change_text(fmt, r, "last_year"),
        "yoy_trend": trend(r, r.yoy_pct),
    } for r in results.kpis]
    return render("scorecard.html.j2", f"Scorecard: {len(rows)} KPIs", rows=rows,
                  period=results.reported.label, previous=results.previous_label,
                  names=results.comparison_names, partial=results.partial,
                  last_year=not results.last_year_is_previous,
                  notes=missing_notes(results.kpis))


def figure_refs(params: ClientParams, result: KpiResult) -> dict[str, Any]:
    """What the ``figure`` and ``term`` macros need of a KPI row: its label linked to its
    definition, and the numbers behind its values (``raw``: none where a value is missing)."""
    return {"label": result.label, "term": {**term(params, result.metric), "label": result.label},
            "actual_raw": raw(result.actual), "target_raw": raw(result.target),
            "previous_raw": None if result.note("previous") else raw(result.previous),
            "last_year_raw": None if result.note("last_year") else raw(result.last_year)}


def has_change(result: KpiResult, key: str) -> bool:
    """Whether the KPI has values both now and in comparison period ``key``."""
    return not (result.note(key) or result.note("now"))


def change_text(fmt: Formatter, result: KpiResult, key: str) -> str:
    """The change on a comparison period; nothing to compare with says so, never "+X%"."""
    if not has_change(result, key):
        return NOTHING
    if key == "previous":
        return fmt.change_in(result.unit, result.change_abs, result.change_pct)
    return fmt.change_in(result.unit, result.yoy_abs, result.yoy_pct)


def _tile(report: Report, result: KpiResult) -> dict[str, Any]:
    fmt = report.fmt
    return {
        **figure_refs(report.inputs.params, result),
        "value": fmt.value(result.actual, result.unit),
        "change": change_text(fmt, result, "previous"),
        "has_change": has_change(result, "previous"),
        "compared": (result.note("previous")
                     or _("vs %(previous)s", previous=report.results.comparison_names["previous"])),
        "trend": trend(result, result.change_pct),
        "arrow": arrow(result.change_pct),
        "status": result.status,
        "status_word": _(STATUS_WORDS[result.status]),
        "target": target_text(fmt, result),
    }


def arrow(change: float) -> str:
    if math.isnan(change) or change == 0:
        return "\u25ac"
    return "\u25b2" if change > 0 else "\u25bc"


def trend(result: KpiResult, change: float) -> str:
    """``good``/``bad``/``flat`` for a change, given which direction is better."""
    if math.isnan(change) or abs(change) < 0.005 or result.direction == "neutral":
        return "flat"
    better = change > 0 if result.direction == "higher" else change < 0
    return "good" if better else "bad"
