"""Trend charts at the grain of the period: days in a week, weeks in a quarter, months in a year."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from nbreport.charts.theme import ChartTheme
from nbreport.charts.trend import monthly_bars
from nbreport.core.formatting import Formatter
from nbreport.core.period import Period
from nbreport.report.sections.trends import trend_grain, trend_series


def results_for(text: str, as_of: date | None = None) -> SimpleNamespace:
    """What the trend section reads of a report's results: the period and the daily sums."""
    days = pd.date_range("2025-01-01", "2026-12-31", freq="D", name="date")
    rng = np.random.default_rng(7)
    daily = pd.DataFrame({"revenue": rng.integers(50, 150, len(days)).astype(float),
                          "orders": rng.integers(1, 5, len(days)).astype(float)}, index=days)
    period = Period.parse(text)
    return SimpleNamespace(period=period, reported=period.to_date(as_of), daily=daily)


@pytest.mark.parametrize("text, grain", [("2026-W43", "day"), ("2026-10", "month"),
                                         ("2026-Q3", "week"), ("2026", "month"),
                                         ("2026-10-03..2026-10-16", "day"),
                                         ("2026-01-01..2026-05-31", "week")])
def test_each_kind_of_period_has_its_grain(text: str, grain: str) -> None:
    assert trend_grain(Period.parse(text)) == grain


def test_a_week_is_charted_by_day() -> None:
    results = results_for("2026-W43")
    series = trend_series(results, "revenue")
    expected = results.daily.loc["2026-10-19":"2026-10-25", "revenue"]
    assert series.grain == "day" and series.highlight is None
    assert list(series.values.index) == list(expected.index)
    assert series.values.tolist() == expected.tolist()


def test_a_quarter_is_charted_by_week_cut_at_its_edges() -> None:
    results = results_for("2026-Q3")
    series = trend_series(results, "revenue")
    days = results.daily.loc["2026-07-01":"2026-09-30", "revenue"]
    iso = days.index.isocalendar()
    by_week = days.groupby([iso["year"].to_numpy(), iso["week"].to_numpy()]).sum()
    assert series.grain == "week" and len(series.values) == len(by_week) == 14
    assert series.values.tolist() == by_week.tolist()
    assert series.values.index[0] == pd.Timestamp("2026-07-01")  # a Wednesday: the cut first week
    assert series.values.index[1] == pd.Timestamp("2026-07-06")


def test_a_year_is_charted_by_month_and_ratios_are_ratios_of_sums() -> None:
    results = results_for("2026")
    series = trend_series(results, "aov")
    days = results.daily.loc["2026"]
    monthly = days.groupby(days.index.month).sum()
    assert series.grain == "month" and len(series.values) == 12
    assert series.values.tolist() == pytest.approx((monthly["revenue"] / monthly["orders"]).tolist())


def test_a_month_keeps_thirteen_months_with_the_month_highlighted() -> None:
    series = trend_series(results_for("2026-10"), "revenue")
    assert series.grain == "month" and len(series.values) == 13
    assert series.highlight == pd.Timestamp("2026-10-01")


def test_a_week_to_date_charts_the_days_so_far() -> None:
    series = trend_series(results_for("2026-W43", as_of=date(2026, 10, 21)), "revenue")
    assert len(series.values) == 3


@pytest.mark.parametrize("grain, count", [("day", 7), ("week", 14), ("month", 12)])
def test_the_chart_draws_one_bar_per_part(grain: str, count: int) -> None:
    freq = {"day": "D", "week": "W-MON", "month": "MS"}[grain]
    values = pd.Series(np.arange(1, count + 1, dtype=float),
                       index=pd.date_range("2026-07-06", periods=count, freq=freq))
    figure = monthly_bars(values, highlight=None, title="t", unit="count", fmt=Formatter(),
                          theme=ChartTheme(), grain=grain)
    axes = figure.axes[0]
    assert len(axes.patches) == count
    labels = [tick.get_text() for tick in axes.get_xticklabels()]
    assert len(labels) == count and labels[0]
