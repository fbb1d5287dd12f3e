"""Forecasts: will each KPI reach its target, how sure we are, and how the last forecasts did.

The forecasts are computed with the report's results; the run stores them for the next
period's report when the report is opened (:mod:`nbreport.report.artifacts`), not here.
"""

from __future__ import annotations

import functools
import math
from datetime import date
from typing import Any

from nbreport.i18n.dates import day_month_year, short_date, short_month
from nbreport.charts.embed import chart_html
from nbreport.charts.forecast import ForecastPoint, forecast_chart
from nbreport.forecast.results import AccuracyRecord, ForecastCheck, KpiForecast
from nbreport.forecast.select import METHOD_NAMES
from nbreport.metrics.daily import metric_value, period_totals
from nbreport.core.period import Period
from nbreport.core.formatting import Formatter
from nbreport.delivery.sheets import Cell, Sheet, chart_sheet
from nbreport.i18n import N_, _, in_sentence
from nbreport.report.context import Report
from nbreport.report.results import ReportResults
from nbreport.report.fragment import Fragment, Omitted, render, trusted
from nbreport.report.plan import TITLES, empty_reason

PERIODS_CHARTED = 12
SET_ASIDE_LISTED = 5
# the methods as the appendix names them, in words a client follows
METHOD_WORDS = {"prophet": N_("a model of trend, weekly and yearly patterns (Prophet)"),
                "seasonal-naive": N_("the same weekday a week earlier"),
                "mixed": N_("a mix of the trend model and the same weekday a week earlier")}


CHARTED = 2  # one row of charts at 1280 px: the KPIs least likely to reach their target


def forecast(report: Report) -> Fragment:
    """How close earlier forecasts came, a chart for each of the KPIs least likely to reach
    their target and one line for each of the others."""
    if (reason := empty_reason("forecast", report.results)) is not None:
        return Omitted(TITLES["forecast"], reason)
    context = _context(report, "body")
    return render("forecast.html.j2", f"Forecast: {len(context['charts'])} charts", **context)


def charted(kpis: list[KpiForecast]) -> set[str]:
    """The metrics drawn: those least likely to reach their target (no target: last)."""
    def chance(kpi: KpiForecast) -> float:
        probability = kpi.periods[0].probability
        return 2.0 if math.isnan(probability) else probability

    return {kpi.metric for kpi in sorted(kpis, key=chance)[:CHARTED]}


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
    drawn_metrics = charted(kpis) if part == "body" else set()
    drawn = [_chart(report, k, checks.get(k.metric)) for k in kpis if k.metric in drawn_metrics]
    context = {
        "intro": _intro(period, result.made_at, kpis),
        "statements": [_statement(fmt, k) for k in kpis if k.metric not in drawn_metrics],
        "charts": [trusted(html) for html, _data in drawn],
        "chart_data": [data for _html, data in drawn],
        "unavailable": [{"label": k.label, "reason": k.reason} for k in result.kpis if not k.available],
        "checks": [_check_row(fmt, c) for c in result.checks],
        "made": sorted({day_month_year(c.forecast.made_at) for c in result.checks}),
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
    return _("Forecasts for this client have been within %(error)s of what happened on average, "
             "and %(inside)s of %(count)s landed inside their likely range.",
             error=fmt.value(average, "percent"), inside=inside, count=count)


def _intro(period: Period, made_at: date | None, kpis: list[KpiForecast]) -> str:
    if made_at is None or not kpis:
        return ""
    first = kpis[0].periods[0]
    seen = day_month_year(made_at)
    if first.days_done:
        return _("With data up to %(day)s, each forecast adds the expected rest of %(period)s to "
                 "what is already in.", day=seen, period=first.period_label)
    return _("%(period)s is complete, so the forecasts look ahead to %(next)s, from data up to "
             "%(day)s.",
             period=period.label, next=first.period_label, day=seen)


def _statement(fmt: Formatter, kpi: KpiForecast) -> dict[str, Any]:
    """One plain sentence per KPI: '62% likely to reach 1,200 leads in November 2026'."""
    period = kpi.periods[0]
    values = {"kpi": kpi.label, "period": period.period_label,
              "point": fmt.value(period.point, period.unit),
              "low": fmt.value(period.lower, period.unit),
              "high": fmt.value(period.upper, period.unit)}
    if math.isnan(period.probability):
        sentence = _("%(kpi)s in %(period)s: forecast %(point)s, range %(low)s \u2013 %(high)s; "
                     "no target is set.", **values)
        likely = "none"
    else:
        values |= {"chance": fmt.probability(period.probability), "kpi": in_sentence(kpi.label),
                   "goal": fmt.value(period.target, period.unit)}
        sentence = (_("%(chance)s likely to stay at or below %(goal)s %(kpi)s in %(period)s "
                      "(forecast %(point)s, range %(low)s \u2013 %(high)s).", **values)
                    if period.direction == "lower" else
                    _("%(chance)s likely to reach %(goal)s %(kpi)s in %(period)s (forecast "
                      "%(point)s, range %(low)s \u2013 %(high)s).", **values))
        likely = _likelihood(period.probability)
    return {"label": kpi.label, "sentence": sentence, "likely": likely,
            "probability": fmt.probability(period.probability), "method": _method_name(kpi.method)}


def _method_name(method: str) -> str:
    """The method as the appendix names it, in words a client follows."""
    return _(METHOD_WORDS.get(method) or METHOD_NAMES.get(method, method))


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
    title = (_("%(kpi)s: %(chance)s likely to hit the target in %(period)s", kpi=kpi.label,
               chance=fmt.probability(first.probability), period=first.period_label)
             if target is not None else _("%(kpi)s: forecast", kpi=kpi.label))
    build = functools.partial(forecast_chart, actual, points, target=target, title=title,
                              theme=report.theme,
                              # a partial, not a lambda: picklable, so the chart can be cached
                              axis_format=functools.partial(fmt.value, unit=first.unit),
                              earlier=earlier,
                              range_label=_("%(percent)s range",
                                            percent=fmt.probability(first.interval)))
    shown = {"kpi": kpi.label, "first": history[0].label, "last": history[-1].label,
             "period": first.period_label, "point": fmt.value(first.point, first.unit),
             "low": fmt.value(first.lower, first.unit), "high": fmt.value(first.upper, first.unit)}
    alt = (_("Line chart of %(kpi)s by period from %(first)s to %(last)s, then the forecast for "
             "%(period)s: %(point)s (range %(low)s to %(high)s), target %(target)s.",
             target=fmt.value(target, first.unit), **shown) if target is not None else
           _("Line chart of %(kpi)s by period from %(first)s to %(last)s, then the forecast for "
             "%(period)s: %(point)s (range %(low)s to %(high)s).", **shown))
    # the chart's title says the chance; its caption the forecast and range (once in the body)
    caption = _("Forecast %(point)s, likely between %(low)s and %(high)s.", **shown)
    return (chart_html(build, alt=alt, caption=caption),
            _chart_data(fmt, kpi, history, actual, earlier, title))


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
        month = short_month(period.start)
        return f"{month}\n{period.start:%Y}" if period.start.month == 1 or position == 0 else month
    return period.key


def _check_row(fmt: Formatter, check: ForecastCheck) -> dict[str, Any]:
    f = check.forecast
    chance = fmt.probability(f.probability)
    target = (_("no target") if check.reached is None
              else _("%(chance)s likely; reached", chance=chance) if check.reached
              else _("%(chance)s likely; missed", chance=chance))
    return {
        "label": f.label, "made_at": short_date(f.made_at),
        "forecast": fmt.value(f.point, f.unit),
        "range": f"{fmt.value(f.lower, f.unit)} \u2013 {fmt.value(f.upper, f.unit)}",
        "actual": fmt.value(check.actual, f.unit),
        "error": fmt.value(check.error, "percent"),
        "inside": _("Yes") if check.inside else _("No"),
        "inside_class": "good" if check.inside else "bad",
        "target": target,
    }


def _record_row(fmt: Formatter, record: AccuracyRecord) -> dict[str, Any]:
    return {"label": record.label, "forecasts": record.forecasts,
            "mape": fmt.value(record.mape, "percent"),
            "inside": _("%(inside)s of %(count)s", inside=record.inside, count=record.forecasts),
            "periods": ", ".join(record.periods)}


def _method_row(kpi: KpiForecast) -> dict[str, Any]:
    method = _method_name(kpi.method)
    days = [short_date(day) for day in kpi.set_aside]
    listed = ", ".join(days[:SET_ASIDE_LISTED])
    if len(days) > SET_ASIDE_LISTED:
        listed = _("%(days)s and %(n)s more", days=listed, n=len(days) - SET_ASIDE_LISTED)
    return {"label": kpi.label, "method": method, "reason": kpi.reason, "set_aside": listed}
