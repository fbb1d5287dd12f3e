"""Month-by-month trend charts of the headline KPIs."""

from __future__ import annotations

import functools
import math

import pandas as pd

from nbreport.charts.embed import chart_html
from nbreport.charts.trend import monthly_bars
from nbreport.commentary.notes import monthly_chart_events
from nbreport.core.formatting import Formatter
from nbreport.metrics.daily import metric_value
from nbreport.metrics.kpis import KpiResult, relative_change
from nbreport.report.context import Report
from nbreport.report.results import ReportResults
from nbreport.report.fragment import Fragment, render, trusted

MONTHS_SHOWN = 13
CHARTS = 2


def monthly_values(results: ReportResults, metric: str, months: int = MONTHS_SHOWN) -> pd.Series:
    """The metric for each of the last ``months`` calendar months up to the reported period."""
    end = pd.Timestamp(results.reported.end)
    start = (end - pd.DateOffset(months=months - 1)).to_period("M").to_timestamp()
    daily = results.daily.loc[start:end]  # type: ignore[misc]
    monthly = daily.groupby(daily.index.to_period("M").to_timestamp()).sum()
    values = metric_value(monthly, metric)
    return values if isinstance(values, pd.Series) else pd.Series(dtype="float64")


def trends(report: Report) -> Fragment:
    """Up to two headline KPIs, month by month, the reported month highlighted."""
    results, fmt = report.results, report.fmt
    charts = []
    for result in results.headline[:CHARTS]:
        values = monthly_values(results, result.metric).dropna()
        if len(values) < 2:
            continue
        highlight = pd.Timestamp(results.reported.end).to_period("M").to_timestamp()
        title = _finding(fmt, result, values, highlight)
        events = monthly_chart_events(list(report.inputs.context_notes), values.index, fmt.locale)
        build = functools.partial(monthly_bars, values, highlight=highlight, title=title,
                                  unit=result.unit, fmt=fmt, theme=report.theme,
                                  annotations=events.annotations)
        reading = (f"One bar per calendar month; the highlighted bar is {results.reported.label}"
                   f"{' to date' if results.partial else ''}.")
        caption = " ".join(filter(None, (reading, events.caption)))
        alt = " ".join(filter(None, (_alt_text(fmt, result, values), events.caption)))
        charts.append(trusted(chart_html(build, alt=alt, caption=caption)))
    return render("charts.html.j2", f"Trends: {len(charts)} charts", charts=charts,
                  empty="Not enough monthly history to chart the headline KPIs yet.")


def _finding(fmt: Formatter, result: KpiResult, values: pd.Series, month: pd.Timestamp) -> str:
    """A title that states what the chart shows, e.g. 'Revenue up 12.0% on September'."""
    if month not in values.index or values.index.get_loc(month) == 0:
        return f"{result.label} by month"
    position = values.index.get_loc(month)
    change = relative_change(values.iloc[position], values.iloc[position - 1])
    previous = values.index[position - 1].strftime("%B")
    if math.isnan(change):
        return f"{result.label} by month"
    word = "up" if change > 0 else "down" if change < 0 else "level"
    amount = fmt.change(abs(change)).lstrip("+") if change else ""
    return f"{result.label} {word} {amount} on {previous}".replace("  ", " ")


def _alt_text(fmt: Formatter, result: KpiResult, values: pd.Series) -> str:
    first, last = values.index[0], values.index[-1]
    peak = values.idxmax()
    return (f"Bar chart of {result.label} by month from {first:%B %Y} to {last:%B %Y}. "
            f"Latest month: {fmt.value(values.iloc[-1], result.unit)}. "
            f"Highest: {fmt.value(values.max(), result.unit)} in {peak:%B %Y}.")
