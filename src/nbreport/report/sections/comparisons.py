"""Comparisons and pacing: every KPI against the previous period, last year and its target."""

from __future__ import annotations

import math

from nbreport.metrics.kpis import KpiResult
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render
from nbreport.report.sections.kpis import (
    NOTHING,
    STATUS_WORDS,
    compared_value,
    figure_refs,
    missing_notes,
    target_text,
)
from nbreport.report.sections.kpis import _trend as trend  # one rule for good/bad colours


def _comparison_row(report: Report, r: KpiResult) -> dict[str, str]:
    fmt = report.fmt
    before, year_ago = not r.note("previous"), not r.note("last_year")
    return {
        **figure_refs(report, r),
        "actual": fmt.value(r.actual, r.unit),
        "previous": compared_value(report, r, "previous"),
        "change_abs": fmt.difference(r.change_abs, r.unit) if before else NOTHING,
        "change": fmt.change(r.change_pct) if before else NOTHING,
        "change_trend": trend(r, r.change_pct),
        "per_day": fmt.change(r.change_per_day_pct) if before else NOTHING,
        "last_year": compared_value(report, r, "last_year"),
        "yoy_abs": fmt.difference(r.yoy_abs, r.unit) if year_ago else NOTHING,
        "yoy": fmt.change(r.yoy_pct) if year_ago else NOTHING,
        "yoy_trend": trend(r, r.yoy_pct),
        "target": target_text(report, r),
        "gap": NOTHING if math.isnan(r.target) else fmt.difference(r.target_gap, r.unit),
    }


def _pacing_row(report: Report, r: KpiResult) -> dict[str, str]:
    fmt = report.fmt
    return {
        "label": r.label,
        "actual": fmt.value(r.actual, r.unit),
        "target": target_text(report, r),
        "projected": fmt.value(r.projected, r.unit),
        "full_target": fmt.value(r.full_target, r.unit),
        "pace": fmt.value(r.pace, "percent"),
        "status": STATUS_WORDS[r.status],
    }


def comparisons(report: Report) -> Fragment:
    """Absolute and relative change on the previous period and last year, the gap to target,
    and, for a period still running (``as_of``), pacing to its end."""
    periods = report.comparison_periods
    uneven = periods["now"].days != periods["previous"].days
    partial = report.reported != report.period
    return render(
        "comparisons.html.j2", f"Comparisons: {len(report.kpis)} KPIs",
        rows=[_comparison_row(report, r) for r in report.kpis],
        pacing=[_pacing_row(report, r) for r in report.kpis if not math.isnan(r.full_target)],
        period=report.reported.label, days=periods["now"].days,
        previous=report.previous_label, previous_days=periods["previous"].days,
        last_year=periods["last_year"].label, last_year_days=periods["last_year"].days,
        uneven=uneven, partial=partial, full=report.period.label, full_days=report.period.days,
        notes=missing_notes(report.kpis))
