"""Trend charts of the headline KPIs, at the grain of the period.

A monthly report shows the last thirteen months, the reported one highlighted. The other kinds
of period show their own parts: a week (or a custom range up to two months) its days, a quarter
its weeks, a year its months (:func:`trend_grain`).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import pandas as pd

from nbreport.i18n.dates import (
    day_month,
    day_month_year,
    month_name,
    month_year,
    weekday_day_month,
)
from nbreport.charts.embed import chart_html
from nbreport.charts.trend import ChartAnnotation, monthly_bars
from nbreport.commentary.notes import ChartEvents, ContextNote, monthly_chart_events, notes_between
from nbreport.core.formatting import Formatter
from nbreport.core.period import Period
from nbreport.core.period_names import period_words
from nbreport.delivery.sheets import Cell, Sheet, chart_sheet
from nbreport.i18n import _, ngettext
from nbreport.metrics.daily import metric_value
from nbreport.metrics.kpis import KpiResult, relative_change
from nbreport.report.context import Report
from nbreport.report.results import ReportResults
from nbreport.report.fragment import Fragment, render, trusted

MONTHS_SHOWN = 13
CHARTS = 2
CUSTOM_DAYS_BY_DAY = 62  # a custom range up to two months is charted by day, longer ones by week


@dataclass(frozen=True)
class TrendSeries:
    """One KPI's bars: ``values`` indexed by each bar's first day, their ``grain`` (``day``,
    ``week``, ``month``) and the bar to ``highlight`` (``None``: every bar is the period)."""

    values: pd.Series
    grain: str
    highlight: pd.Timestamp | None


def trend_grain(period: Period) -> str:
    """``day`` for a week, ``week`` for a quarter, ``month`` for a month or a year; a custom
    range by day up to two months, else by week."""
    if period.kind == "custom":
        return "day" if period.days <= CUSTOM_DAYS_BY_DAY else "week"
    return {"week": "day", "quarter": "week"}.get(period.kind, "month")


def monthly_values(results: ReportResults, metric: str, months: int = MONTHS_SHOWN) -> pd.Series:
    """The metric for each of the last ``months`` calendar months up to the reported period."""
    end = pd.Timestamp(results.reported.end)
    start = (end - pd.DateOffset(months=months - 1)).to_period("M").to_timestamp()
    daily = results.daily.loc[start:end]  # type: ignore[misc]
    monthly = daily.groupby(daily.index.to_period("M").to_timestamp()).sum()
    values = metric_value(monthly, metric)
    return values if isinstance(values, pd.Series) else pd.Series(dtype="float64")


def period_values(results: ReportResults, metric: str, grain: str) -> pd.Series:
    """The metric for each day, week or month of the reported period (to date), each indexed by
    its first day inside the period: a quarter's first week starts on the quarter's first day."""
    reported = results.reported
    start = pd.Timestamp(reported.start)
    daily = results.daily.loc[start:pd.Timestamp(reported.end)]  # type: ignore[misc]
    if grain == "day":
        keys = daily.index
    elif grain == "week":
        mondays = daily.index - pd.to_timedelta(daily.index.day_of_week, unit="D")
        keys = mondays.where(mondays >= start, start)
    else:
        keys = daily.index.to_period("M").to_timestamp()
        keys = keys.where(keys >= start, start)
    values = metric_value(daily.groupby(keys).sum(), metric)
    return values if isinstance(values, pd.Series) else pd.Series(dtype="float64")


def trend_series(results: ReportResults, metric: str) -> TrendSeries:
    """The bars of one KPI at the period's grain (see the module docstring)."""
    if results.period.kind == "month":
        highlight = pd.Timestamp(results.reported.end).to_period("M").to_timestamp()
        return TrendSeries(monthly_values(results, metric).dropna(), "month", highlight)
    grain = trend_grain(results.period)
    return TrendSeries(period_values(results, metric, grain).dropna(), grain, None)


def trends(report: Report) -> Fragment:
    """Up to two headline KPIs at the period's grain; a caption the charts share (how to read
    them, the events they mark) is written once below them."""
    results, fmt = report.results, report.fmt
    drawn, chart_data = [], []
    for result in results.headline[:CHARTS]:
        series = trend_series(results, result.metric)
        if len(series.values) < 2:
            continue
        notes = list(report.inputs.context_notes)
        events = (monthly_chart_events(notes, series.values.index, fmt.locale)
                  if series.grain == "month" and series.highlight is not None
                  else chart_events(notes, series.values.index, results.reported, fmt.locale))
        build = functools.partial(monthly_bars, series.values, highlight=series.highlight,
                                  title=_finding(fmt, result, series), unit=result.unit, fmt=fmt,
                                  theme=report.theme, annotations=events.annotations,
                                  grain=series.grain)
        caption = " ".join(filter(None, (_reading(results, series), events.caption)))
        alt = " ".join(filter(None, (_alt_text(fmt, result, series), events.caption)))
        drawn.append((build, alt, caption))
        chart_data.append(_chart_data(fmt, result, series, build.keywords["title"], caption))
    shared = len(drawn) > 1 and len({caption for _build, _alt, caption in drawn}) == 1
    charts = [trusted(chart_html(build, alt=alt, caption="" if shared else caption))
              for build, alt, caption in drawn]
    return render("charts.html.j2", f"Trends: {len(charts)} charts", charts=charts,
                  note=drawn[0][2] if shared else "", chart_data=chart_data,
                  empty=_("Not enough history to chart the headline KPIs yet."))


def _chart_data(fmt: Formatter, result: KpiResult, series: TrendSeries, title: str,
                caption: str) -> Sheet:
    """The chart's bars for the data pack: each bar's month, week or day and its value."""
    first_column = {"month": _("Month"), "week": _("Week starting"), "day": _("Day")}[series.grain]
    rows = [(Cell(month_year(at.date()) if series.grain == "month" else at.date().isoformat()),
             Cell.of(fmt.value(value, result.unit), value))
            for at, value in series.values.items()]
    return chart_sheet(title, (first_column, result.label), rows, note=caption)


def chart_events(notes: list[ContextNote], starts: pd.Index, reported: Period,
                 locale: str) -> ChartEvents:
    """Markers for the notes that fall in the reported period, on the bar holding their day."""
    if not len(starts):
        return ChartEvents([], "")
    annotations, parts = [], []
    for number, note in enumerate(notes_between(notes, reported.start, reported.end), start=1):
        day = pd.Timestamp(max(note.date, reported.start))
        annotations.append(ChartAnnotation(starts[starts <= day].max(), number))
        parts.append(f"({number}) {note.title}, {note.when(locale)}")
    caption = _("Events: %(events)s.", events="; ".join(parts)) if parts else ""
    return ChartEvents(annotations, caption)


def _reading(results: ReportResults, series: TrendSeries) -> str:
    """How to read the chart: what one bar is and how many there are."""
    if series.highlight is not None:
        return (_("One bar per calendar month; the highlighted bar is %(period)s to date.",
                  period=results.reported.label) if results.partial else
                _("One bar per calendar month; the highlighted bar is %(period)s.",
                  period=results.reported.label))
    text = _bars_of(series.grain, period_words(results.period), len(series.values),
                    results.partial)
    if series.grain == "week" and _cut_weeks(results.reported):
        text += " " + _("A week cut by the start or end of the period holds only its days "
                        "inside it.")
    return text


def _bars_of(grain: str, period: str, count: int, to_date: bool) -> str:
    """``One bar per day of 19–25 October 2026: 7 days.``"""
    if grain == "day":
        return (ngettext("One bar per day of %(period)s to date: %(n)s day.",
                         "One bar per day of %(period)s to date: %(n)s days.", count, period=period)
                if to_date else
                ngettext("One bar per day of %(period)s: %(n)s day.",
                         "One bar per day of %(period)s: %(n)s days.", count, period=period))
    if grain == "week":
        return (ngettext("One bar per week of %(period)s to date: %(n)s week.",
                         "One bar per week of %(period)s to date: %(n)s weeks.", count,
                         period=period)
                if to_date else
                ngettext("One bar per week of %(period)s: %(n)s week.",
                         "One bar per week of %(period)s: %(n)s weeks.", count, period=period))
    return (ngettext("One bar per month of %(period)s to date: %(n)s month.",
                     "One bar per month of %(period)s to date: %(n)s months.", count, period=period)
            if to_date else
            ngettext("One bar per month of %(period)s: %(n)s month.",
                     "One bar per month of %(period)s: %(n)s months.", count, period=period))


def _cut_weeks(period: Period) -> bool:
    return period.start.weekday() != 0 or period.end.weekday() != 6


def _bar_name(at: pd.Timestamp, grain: str, *, year: bool = False) -> str:
    if grain == "day":
        return weekday_day_month(at, year=year)
    if grain == "week":
        return _("the week of %(day)s", day=day_month_year(at) if year else day_month(at))
    return month_year(at) if year else month_name(at)


def _finding(fmt: Formatter, result: KpiResult, series: TrendSeries) -> str:
    """A title that states what the chart shows: 'Revenue up 12.0% on September', or for the
    parts of a period 'Revenue by day, highest on Saturday 24 October'."""
    values, grain, kpi = series.values, series.grain, result.label
    if series.highlight is None:
        bar = _bar_name(values.idxmax(), grain)
        return (_("%(kpi)s by day, highest on %(bar)s", kpi=kpi, bar=bar) if grain == "day" else
                _("%(kpi)s by week, highest on %(bar)s", kpi=kpi, bar=bar) if grain == "week" else
                _("%(kpi)s by month, highest on %(bar)s", kpi=kpi, bar=bar))
    month = series.highlight
    if month not in values.index or values.index.get_loc(month) == 0:
        return _("%(kpi)s by month", kpi=kpi)
    position = values.index.get_loc(month)
    change = relative_change(values.iloc[position], values.iloc[position - 1])
    previous = month_name(values.index[position - 1])
    if math.isnan(change):
        return _("%(kpi)s by month", kpi=kpi)
    amount = fmt.change(abs(change)).lstrip("+")
    if change > 0:
        return _("%(kpi)s up %(change)s on %(month)s", kpi=kpi, change=amount, month=previous)
    if change < 0:
        return _("%(kpi)s down %(change)s on %(month)s", kpi=kpi, change=amount, month=previous)
    return _("%(kpi)s level on %(month)s", kpi=kpi, month=previous)


def _alt_text(fmt: Formatter, result: KpiResult, series: TrendSeries) -> str:
    values, grain = series.values, series.grain
    first, last, peak = values.index[0], values.index[-1], values.idxmax()
    latest, highest = fmt.value(values.iloc[-1], result.unit), fmt.value(values.max(), result.unit)
    if grain == "month" and series.highlight is not None:
        return _("Bar chart of %(kpi)s by month from %(first)s to %(last)s. Latest month: "
                 "%(latest)s. Highest: %(highest)s in %(peak)s.", kpi=result.label,
                 first=month_year(first), last=month_year(last), latest=latest, highest=highest,
                 peak=month_year(peak))
    shown = {"kpi": result.label, "first": _bar_name(first, grain, year=True),
             "last": _bar_name(last, grain, year=True), "latest": latest, "highest": highest,
             "peak": _bar_name(peak, grain, year=True)}
    if grain == "day":
        return ngettext("Bar chart of %(kpi)s by day, %(n)s day from %(first)s to %(last)s. "
                        "Latest day: %(latest)s. Highest: %(highest)s, %(peak)s.",
                        "Bar chart of %(kpi)s by day, %(n)s days from %(first)s to %(last)s. "
                        "Latest day: %(latest)s. Highest: %(highest)s, %(peak)s.",
                        len(values), **shown)
    if grain == "week":
        return ngettext("Bar chart of %(kpi)s by week, %(n)s week from %(first)s to %(last)s. "
                        "Latest week: %(latest)s. Highest: %(highest)s, %(peak)s.",
                        "Bar chart of %(kpi)s by week, %(n)s weeks from %(first)s to %(last)s. "
                        "Latest week: %(latest)s. Highest: %(highest)s, %(peak)s.",
                        len(values), **shown)
    return ngettext("Bar chart of %(kpi)s by month, %(n)s month from %(first)s to %(last)s. "
                    "Latest month: %(latest)s. Highest: %(highest)s, %(peak)s.",
                    "Bar chart of %(kpi)s by month, %(n)s months from %(first)s to %(last)s. "
                    "Latest month: %(latest)s. Highest: %(highest)s, %(peak)s.",
                    len(values), **shown)
