"""Comparisons and pacing: every KPI against the previous period, last year and its target."""

from __future__ import annotations

import math

from nbreport.i18n import _
from nbreport.metrics.kpis import KpiResult
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render
from nbreport.core.formatting import POINT_UNITS, Formatter
from nbreport.metrics.kpis import STATUS_WORDS
from nbreport.params import ClientParams
from nbreport.report.sections.kpis import (
    NOTHING,
    compared_value,
    figure_refs,
    missing_notes,
    target_text,
    trend,  # one rule for good/bad colours
)


def _comparison_row(params: ClientParams, fmt: Formatter, r: KpiResult) -> dict[str, str]:
    before, year_ago = not r.note("previous"), not r.note("last_year")
    # a share's or a score's change is its difference in points (change_abs), not a percent
    relative = r.unit not in POINT_UNITS
    return {
        **figure_refs(params, r),
        "actual": fmt.value(r.actual, r.unit),
        "previous": compared_value(fmt, r, "previous"),
        "change_abs": fmt.difference(r.change_abs, r.unit) if before else NOTHING,
        "change": fmt.change(r.change_pct) if before and relative else NOTHING,
        "change_trend": trend(r, r.change_pct),
        "per_day": fmt.change(r.change_per_day_pct) if before and relative else NOTHING,
        "last_year": compared_value(fmt, r, "last_year"),
        "yoy_abs": fmt.difference(r.yoy_abs, r.unit) if year_ago else NOTHING,
        "yoy": fmt.change(r.yoy_pct) if year_ago and relative else NOTHING,
        "yoy_trend": trend(r, r.yoy_pct),
        "target": target_text(fmt, r),
        "gap": NOTHING if math.isnan(r.target) else fmt.difference(r.target_gap, r.unit),
    }


def _pacing_row(fmt: Formatter, r: KpiResult) -> dict[str, str]:
    return {
        "label": r.label,
        "actual": fmt.value(r.actual, r.unit),
        "target": target_text(fmt, r),
        "projected": fmt.value(r.projected, r.unit),
        "full_target": fmt.value(r.full_target, r.unit),
        "pace": fmt.value(r.pace, "percent"),
        "status": _(STATUS_WORDS[r.status]),
    }


def comparisons(report: Report) -> Fragment:
    """Absolute and relative change on the previous period and last year, the gap to target,
    and, for a period still running (``as_of``), pacing to its end."""
    results, fmt = report.results, report.fmt
    periods = results.comparison_periods
    uneven = periods["now"].days != periods["previous"].days
    return render(
        "comparisons.html.j2", f"Comparisons: {len(results.kpis)} KPIs",
        rows=[_comparison_row(report.inputs.params, fmt, r) for r in results.kpis],
        pacing=[_pacing_row(fmt, r) for r in results.kpis if not math.isnan(r.full_target)],
        period=results.reported.label, days=periods["now"].days,
        previous=results.previous_label, previous_days=periods["previous"].days,
        last_year=periods["last_year"].label, last_year_days=periods["last_year"].days,
        previous_name=results.comparison_names["previous"],
        last_year_name=results.comparison_names["last_year"],
        show_last_year=not results.last_year_is_previous,
        uneven=uneven, partial=results.partial, full=results.period.label,
        full_days=results.period.days, notes=missing_notes(results.kpis))
