"""Forecasts: will each KPI reach its target, how sure we are, and how the last forecasts did.

The forecasts are computed with the report's results; the run stores them for the next
period's report when the report is opened (:mod:`nbreport.report.artifacts`), not here.
"""

from __future__ import annotations

import functools
import math
from datetime import date
from typing import Any

from nbreport.charts.embed import chart_html
from nbreport.charts.forecast import ForecastPoint, forecast_chart
from nbreport.forecast.results import AccuracyRecord, ForecastCheck, KpiForecast
from nbreport.forecast.select import METHOD_NAMES
from nbreport.metrics.daily import metric_value, period_totals
from nbreport.core.period import Period
from nbreport.core.formatting import Formatter
from nbreport.delivery.sheets import Cell, Sheet, chart_sheet
from nbreport.i18n import _
from nbreport.report.context import Report
from nbreport.report.results import ReportResults
from nbreport.report.fragment import Fragment, Omitted, render, trusted
from nbreport.report.plan import TITLES, empty_reason

PERIODS_CHARTED = 12
SET_ASIDE_LISTED = 5


def forecast(report: Report) -> Fragment:
    """Target probabilities in words, how close earlier forecasts came, one chart per KPI."""
    if (reason := empty_reason("forecast", report.results)) is not None:
        return Omitted(TITLES["forecast"], reason)
    context = _context(report, "body")
    text = "; ".join(s["sentence"] for s in context["statements"]) or "No forecasts"
    return render("forecast.html.j2", f"Forecast: {text}", **context)


def forecast_record(report: Report) -> Fragment:
    """For the appendix: how the forecasts are made, the last ones against what happened and
    every KPI's track record."""
    if (reason := empty_reason("forecast", report.results)) is not None:
        return Omitted(TITLES["forecast-record"], reason)
    context = _context(report, "detail")
    return render("forecast.html.j2", f"Forecast record: {len(context['record'])} KPIs", **context)


def _context(report: Report, part: str) -> dict[str, Any]:
    result, fmt, period = report.results.forecasts, report.fmt, report.results.period
    checks = {check.forecast.metric: check for check in result.checks}
    kpis = [k for k in result.kpis if k.available]
    drawn = [_chart(report, k, checks.get(k.metric)) for k in kpis] if part == "body" else []
    context = {
        "intro": _intro(period, result.made_at, kpis),
        "statements": [_statement(fmt, k) for k in kpis],
        "charts": [trusted(html) for html, _data in drawn],
        "chart_data": [data for _html, data in drawn],
        "unavailable": [{"label": k.label, "reason": k.reason} for k in result.kpis if not k.available],
        "checks": [_check_row(fmt, c) for c in result.checks],
        "made": sorted({f"{c.forecast.made_at:%-d %B %Y}" for c in result.checks}),
        "record": [_record_row(fmt, r) for r in result.record],
        "methods": [_method_row(k) for k in kpis],
        "holidays": result.holidays,
        "interval": fmt.probability(report.inputs.params.forecast.interval),
        "period": period.label,
        "notes": list(result.notes),
        "accuracy": accuracy_sentence(fmt, result.record),
        "part": part,
    }
    return context


def accuracy_sentence(fmt: Formatter, record: tuple[AccuracyRecord, ...] | list[AccuracyRecord]) -> str:
    """'Forecasts for this client have been within 8% on average (12 forecasts checked).'"""
    checked = [r for r in record if r.forecasts and not math.isnan(r.mape)]
    count = sum(r.forecasts for r in checked)
    if not count:
        return ""
    average = sum(r.mape * r.forecasts for r in checked) / count
    inside = sum(r.inside for r in checked)
    return (f"Forecasts for this client have been within {fmt.value(average, 'percent')} of what "
            f"happened on average, and {inside} of {count} landed inside their likely range.")


def _intro(period: Period, made_at: date | None, kpis: list[KpiForecast]) -> str:
    if made_at is None or not kpis:
        return ""
    first = kpis[0].periods[0]
    seen = f"{made_at:%-d %B %Y}"
    if first.days_done:
        return (f"With data up to {seen}, each forecast adds the expected rest of "
                f"{first.period_label} to what is already in.")
    return (f"{period.label} is complete, so the forecasts look ahead to "
            f"{first.period_label}, from data up to {seen}. The next report holds them against "
            "what happens.")


def _statement(fmt: Formatter, kpi: KpiForecast) -> dict[str, Any]:
    """One plain sentence per KPI: '62% likely to reach 1,200 leads in November 2026'."""
    period = kpi.periods[0]
    forecast = (f"forecast {fmt.value(period.point, period.unit)}, "
                f"range {fmt.value(period.lower, period.unit)} \u2013 {fmt.value(period.upper, period.unit)}")
    if math.isnan(period.probability):
        sentence = f"{kpi.label} in {period.period_label}: {forecast}; no target is set."
        likely = "none"
    else:
        goal = fmt.value(period.target, period.unit)
        aim = f"stay at or below {goal}" if period.direction == "lower" else f"reach {goal}"
        sentence = (f"{fmt.probability(period.probability)} likely to {aim} "
                    f"{_noun(kpi.label)} in {period.period_label} ({forecast}).")
        likely = _likelihood(period.probability)
    return {"label": kpi.label, "sentence": sentence, "likely": likely,
            "probability": fmt.probability(period.probability), "method": _method_name(kpi.method)}


def _method_name(method: str) -> str:
    """The method as the appendix names it, in words a client follows."""
    return {"prophet": "a model of trend, weekly and yearly patterns (Prophet)",
            "seasonal-naive": "the same weekday a week earlier",
            "mixed": "a mix of the trend model and the same weekday a week earlier"}.get(
        method, METHOD_NAMES.get(method, method))


def _noun(label: str) -> str:
    """``Leads`` -> ``leads`` for use inside a sentence (keeps acronyms such as ``CPA``)."""
    first = label.split(" ")[0]
    return label if first.isupper() else label[0].lower() + label[1:]


def _likelihood(probability: float) -> str:
    """Status colour for a chance: green from 70%, amber from 40%, red below."""
    return "green" if probability >= 0.7 else "amber" if probability >= 0.4 else "red"


def _chart(report: Report, kpi: KpiForecast, check: ForecastCheck | None) -> tuple[str, Sheet]:
    """The KPI's chart (its past periods, then its forecast with the likely range) and its
    data for the data pack."""
    forecasts = list(kpi.periods)
    first = forecasts[0]
    history = _periods_back(Period.between(first.start, first.end).previous(), PERIODS_CHARTED)
    actual = [(_axis_label(p, i), _kpi_value(report.results, kpi.metric, p))
              for i, p in enumerate(history)]
    points = [ForecastPoint(_axis_label(Period.between(f.start, f.end), len(history) + i),
                            f.point, f.lower, f.upper) for i, f in enumerate(forecasts)]
    earlier = None
    if check is not None:
        at = next((i for i, p in enumerate(history) if p.start == check.forecast.start), None)
        if at is not None:
            f = check.forecast
            earlier = ForecastPoint(actual[at][0], f.point, f.lower, f.upper)
    fmt = report.fmt
    target = first.target if not math.isnan(first.target) else None
    title = (f"{kpi.label}: {fmt.probability(first.probability)} likely to hit the target in "
             f"{first.period_label}" if target is not None else f"{kpi.label}: forecast")
    build = functools.partial(forecast_chart, actual, points, target=target, title=title,
                              theme=report.theme,
                              axis_format=lambda y, unit=first.unit: fmt.value(y, unit),
                              earlier=earlier,
                              range_label=f"{fmt.probability(first.interval)} range")
    alt = (f"Line chart of {kpi.label} by period from {history[0].label} to {history[-1].label}, "
           f"then the forecast for {first.period_label}: {fmt.value(first.point, first.unit)} "
           f"(range {fmt.value(first.lower, first.unit)} to {fmt.value(first.upper, first.unit)})"
           + (f", target {fmt.value(target, first.unit)}." if target is not None else "."))
    return chart_html(build, alt=alt), _chart_data(fmt, kpi, history, actual, earlier, title)


def _chart_data(fmt: Formatter, kpi: KpiForecast, history: list[Period],
                actual: list[tuple[str, float]], earlier: ForecastPoint | None, title: str) -> Sheet:
    """A forecast chart's points: each past period's value (with the forecast made for it,
    when the chart shows one), then each forecast period's forecast, range and target."""
    unit = kpi.periods[0].unit

    def shown(value: float) -> Cell:
        return Cell.of(fmt.value(value, unit), value) if not math.isnan(value) else Cell("")

    columns = (_("Period"), _("Actual"), _("Forecast"), _("Likely from"), _("Likely to"), _("Target"))
    rows = []
    for period, (label, value) in zip(history, actual):
        forecast = earlier if earlier is not None and earlier.label == label else None
        rows.append((Cell(period.label), shown(value),
                     *((shown(forecast.point), shown(forecast.lower), shown(forecast.upper))
                       if forecast is not None else (Cell(""),) * 3), Cell("")))
    for future in kpi.periods:
        rows.append((Cell(future.period_label), Cell(""), shown(future.point), shown(future.lower),
                     shown(future.upper), shown(future.target)))
    return chart_sheet(title, columns, rows)


def _periods_back(last: Period, count: int) -> list[Period]:
    periods = [last]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods


def _kpi_value(results: ReportResults, metric: str, period: Period) -> float:
    daily = results.daily
    if daily.empty or period.end < daily.index[0].date():
        return math.nan
    return float(metric_value(period_totals(daily, period), metric))


def _axis_label(period: Period, position: int) -> str:
    if period.kind == "month":
        return f"{period.start:%b}\n{period.start:%Y}" if period.start.month == 1 or position == 0 \
            else f"{period.start:%b}"
    return period.key


def _check_row(fmt: Formatter, check: ForecastCheck) -> dict[str, Any]:
    f = check.forecast
    target = "no target" if check.reached is None else (
        f"{fmt.probability(f.probability)} likely; {'reached' if check.reached else 'missed'}")
    return {
        "label": f.label, "made_at": f"{f.made_at:%-d %b %Y}",
        "forecast": fmt.value(f.point, f.unit),
        "range": f"{fmt.value(f.lower, f.unit)} \u2013 {fmt.value(f.upper, f.unit)}",
        "actual": fmt.value(check.actual, f.unit),
        "error": fmt.value(check.error, "percent"),
        "inside": "Yes" if check.inside else "No",
        "inside_class": "good" if check.inside else "bad",
        "target": target,
    }


def _record_row(fmt: Formatter, record: AccuracyRecord) -> dict[str, Any]:
    return {"label": record.label, "forecasts": record.forecasts,
            "mape": fmt.value(record.mape, "percent"),
            "inside": f"{record.inside} of {record.forecasts}",
            "periods": ", ".join(record.periods)}


def _method_row(kpi: KpiForecast) -> dict[str, Any]:
    method = _method_name(kpi.method)
    days = [f"{day:%-d %b %Y}" for day in kpi.set_aside]
    listed = ", ".join(days[:SET_ASIDE_LISTED]) + (
        f" and {len(days) - SET_ASIDE_LISTED} more" if len(days) > SET_ASIDE_LISTED else "")
    return {"label": kpi.label, "method": method, "reason": kpi.reason, "set_aside": listed}
