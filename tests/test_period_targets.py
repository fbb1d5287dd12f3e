"""A KPI's goal for every kind of period: monthly targets pro-rated by days, targets_by_period."""

from __future__ import annotations

import calendar
import math
from datetime import date, timedelta

import pandas as pd
import pytest
from pydantic import ValidationError

from nbreport.core.period import Period
from nbreport.metrics.kpis import scorecard
from nbreport.metrics.spec import KpiSpec, StatusThresholds
from nbreport.metrics.targets import period_target, target_explained


def by_hand(monthly: float, start: date, end: date) -> float:
    """Each day gets the month's target over the month's days (plain arithmetic)."""
    total, day = 0.0, start
    while day <= end:
        total += monthly / calendar.monthrange(day.year, day.month)[1]
        day += timedelta(days=1)
    return total


@pytest.mark.parametrize("text", ["2026-W43", "2026-W40", "2026-10", "2026-Q3", "2026",
                                  "2026-10-03..2026-10-16", "2024-02"])
def test_a_monthly_target_is_spread_over_the_days(text: str) -> None:
    period = Period.parse(text)
    kpi = KpiSpec(metric="revenue", target=31_000)
    assert period_target(kpi, period) == pytest.approx(by_hand(31_000, period.start, period.end))


def test_whole_months_add_up() -> None:
    kpi = KpiSpec(metric="revenue", target=1000)
    assert period_target(kpi, Period.parse("2026-10")) == pytest.approx(1000)
    assert period_target(kpi, Period.parse("2026-Q3")) == pytest.approx(3000)
    assert period_target(kpi, Period.parse("2026")) == pytest.approx(12000)
    assert period_target(kpi, Period.parse("2026-W43")) == pytest.approx(1000 * 7 / 31)


def test_ratios_are_never_pro_rated() -> None:
    rate = KpiSpec(metric="conversion_rate", target=0.03)
    for text in ("2026-W43", "2026-Q3", "2026", "2026-10-03..2026-10-16"):
        assert period_target(rate, Period.parse(text)) == 0.03
    assert target_explained(rate, Period.parse("2026-W43")) is None


def test_targets_by_period_win_for_their_kind_and_spread_otherwise() -> None:
    kpi = KpiSpec(metric="orders", targets_by_period={"week": 250, "quarter": 3000})
    assert period_target(kpi, Period.parse("2026-W43")) == 250
    assert period_target(kpi, Period.parse("2026-Q3")) == 3000
    # no monthly goal: the finest one given (the week's) is spread by days
    assert period_target(kpi, Period.parse("2026-10")) == pytest.approx(250 * 31 / 7)
    both = KpiSpec(metric="orders", target=1000, targets_by_period={"week": 250})
    assert period_target(both, Period.parse("2026-W43")) == 250
    assert period_target(both, Period.parse("2026-Q3")) == pytest.approx(3000)
    assert math.isnan(period_target(KpiSpec(metric="orders"), Period.parse("2026-W43")))


@pytest.mark.parametrize("key, hint", [("weekly", "week"), ("months", "month"), ("quartr", "quarter"),
                                       ("annual", "year")])
def test_an_unknown_kind_of_period_says_which_was_meant(key: str, hint: str) -> None:
    with pytest.raises(ValidationError, match=f"did you mean '{hint}'"):
        KpiSpec(metric="orders", targets_by_period={key: 10})


def test_the_monthly_goal_is_given_once() -> None:
    with pytest.raises(ValidationError, match="keep one"):
        KpiSpec(metric="orders", target=1000, targets_by_period={"month": 900})
    assert KpiSpec(metric="orders", target=1000, targets_by_period={"month": 1000}).has_target


def test_validate_explains_the_pro_rating() -> None:
    kpi = KpiSpec(metric="revenue", target=560_000)
    note = target_explained(kpi, Period.parse("2026-W43"))
    assert note is not None and "560,000.00 per month" in note and "126,451.61" in note
    assert "targets_by_period.week" in note
    assert target_explained(kpi, Period.parse("2026-10")) is None
    assert target_explained(KpiSpec(metric="revenue", targets_by_period={"week": 1}),
                            Period.parse("2026-W43")) is None


def test_the_scorecard_of_a_week_uses_the_weeks_share_of_the_month() -> None:
    days = pd.date_range("2026-09-01", "2026-10-31", freq="D", name="date")
    daily = pd.DataFrame({"revenue": 100.0, "orders": 2.0}, index=days)
    week = Period.parse("2026-W43")
    kpis = [KpiSpec(metric="revenue", target=3100), KpiSpec(metric="aov", target=40)]
    revenue, average = scorecard(daily, kpis, week, week, StatusThresholds())
    assert revenue.full_target == pytest.approx(700) and revenue.target == pytest.approx(700)
    assert revenue.actual == 700 and revenue.status == "green"
    assert average.target == 40 and average.actual == 50
    # a week to date: the week's goal pro-rated again to the days reported
    to_date = week.to_date(date(2026, 10, 21))
    revenue, _ = scorecard(daily, kpis, week, to_date, StatusThresholds())
    assert revenue.target == pytest.approx(300) and revenue.full_target == pytest.approx(700)


def test_a_monthly_budget_is_pro_rated_like_a_target() -> None:
    from nbreport.metrics.budget import budget_for_period
    from nbreport.metrics.spec import BudgetSpec

    spec = BudgetSpec(amount=31_000, by_channel={"Search": 21_700}, by_campaign={"Brand": 3_100},
                      management_fee={"percent_of_spend": 10, "fixed": 620})
    week = budget_for_period(spec, Period.parse("2026-W43"))
    assert week.amount == pytest.approx(7_000) and week.by_channel["Search"] == pytest.approx(4_900)
    assert week.by_campaign["Brand"] == pytest.approx(700)
    assert week.management_fee.fixed == pytest.approx(140)
    assert week.management_fee.percent_of_spend == 10  # a share of spend is not pro-rated
    quarter = budget_for_period(spec, Period.parse("2026-Q3"))
    assert quarter.amount == pytest.approx(93_000)
    assert budget_for_period(spec, Period.parse("2026-10")) is spec
