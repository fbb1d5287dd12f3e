"""Every KPI of the registry against hand-computed values; comparisons, pro-rating and pacing."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.frames import client, days, table

from nbreport.metrics import daily_metrics, metric_value, period_totals, safe_divide, scorecard
from nbreport.metrics.definitions import METRICS, RatioMetric, is_additive
from nbreport.metrics.kpis import comparison_periods, kpi_status
from nbreport.metrics.spec import KpiSpec, StatusThresholds
from nbreport.params import Period

OCTOBER = Period.parse("2026-10")


def sample() -> object:
    ads = table("ads", [
        {"date": "2026-10-01", "campaign": "A", "channel": "Paid Search", "impressions": 1000,
         "clicks": 50, "spend": 100.0, "conversions": 5, "conversion_value": 400.0},
        {"date": "2026-10-02", "campaign": "B", "channel": "Paid Social", "impressions": 3000,
         "clicks": 30, "spend": 200.0, "conversions": 1, "conversion_value": 0.0},
    ])
    web = table("web", [
        {"date": "2026-10-01", "channel": "Paid Search", "sessions": 70, "conversions": 4, "revenue": 300.0},
        {"date": "2026-10-02", "channel": "Direct", "sessions": 30, "conversions": 1, "revenue": 0.0},
    ])
    orders = table("orders", [{"date": "2026-10-01", "revenue": 100.0, "channel": "Paid Search"},
                              {"date": "2026-10-01", "revenue": 200.0, "channel": "Organic Search"},
                              {"date": "2026-10-02", "revenue": 600.0, "channel": "Paid Social"}])
    crm = table("crm", [
        {"date": "2026-10-01", "stage": "won", "close_date": "2026-10-20", "amount": 1000.0,
         "channel": "Paid Search"},
        {"date": "2026-10-03", "stage": "won", "close_date": "2026-10-25", "amount": 3000.0,
         "channel": "Organic Search"},
        {"date": "2026-10-04", "stage": "lost", "close_date": "2026-10-28", "channel": "Paid Social"},
        {"date": "2026-10-05", "stage": "opportunity", "channel": "Paid Search"},
        {"date": "2026-10-06", "stage": "lead", "channel": "Referral"},
        {"date": "2026-09-10", "stage": "won", "close_date": "2026-10-02", "amount": 500.0,
         "channel": "Paid Search"},
    ])
    survey = table("survey", [{"date": "2026-10-01", "scale": "nps", "score": s} for s in (10, 9, 8, 7, 6, 0)]
                   + [{"date": "2026-10-02", "scale": "csat", "score": s} for s in (5, 4, 3, 1)]
                   + [{"date": "2026-10-03", "scale": "ces", "score": s} for s in (7, 5, 3)])
    support = table("support", [{"date": "2026-10-01", "satisfaction": 5},
                                {"date": "2026-10-02", "satisfaction": 2},
                                {"date": "2026-10-03", "satisfaction": None}])
    return client(ads=ads, web=web, orders=orders, crm=crm, survey=survey, support=support)


EXPECTED = {
    "impressions": 4000, "clicks": 80, "spend": 300, "conversions": 6, "conversion_value": 400,
    "ctr": 80 / 4000, "cpc": 300 / 80, "cpm": 1000 * 300 / 4000, "cpa": 300 / 6,
    "conversion_rate": 6 / 80, "revenue": 900, "orders": 3, "aov": 300, "blended_roas": 3.0,
    "net_return": 600, "blended_roi": 2.0, "sessions": 100, "web_conversions": 5, "web_revenue": 300,
    "session_conversion_rate": 0.05, "leads": 5, "opportunities": 4, "deals_won": 3,
    "lead_to_deal_rate": 3 / 5, "win_rate": 3 / 4, "cac": 100, "cost_per_lead": 60,
    "nps_promoters": 2, "nps_detractors": 2, "nps_responses": 6, "nps": 0.0,
    "csat_responses": 4, "csat": 0.5, "ces": 5.0, "tickets": 3, "tickets_rated": 2,
    "ticket_csat": 0.5,
    # paid channels only: orders of 100 (search) and 600 (social), three leads from paid channels
    "paid_revenue": 700, "paid_orders": 2, "paid_leads": 3, "paid_roas": 700 / 300,
    "paid_net_return": 400, "paid_roi": 400 / 300, "cost_per_paid_order": 150,
    "cost_per_paid_lead": 100,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_metric_against_hand_computed_values(name: str) -> None:
    totals = period_totals(daily_metrics(sample(), [name]), OCTOBER)
    assert metric_value(totals, name) == pytest.approx(EXPECTED[name])


def test_revenue_falls_back_to_won_deals_closed_in_the_period() -> None:
    data = sample()
    del data.tables["orders"]
    totals = period_totals(daily_metrics(data, ["revenue", "blended_roas", "paid_roas"]), OCTOBER)
    assert metric_value(totals, "revenue") == 4500  # 1000 + 3000 + the September lead won in October
    assert metric_value(totals, "blended_roas") == pytest.approx(15.0)
    assert metric_value(totals, "paid_roas") == pytest.approx((1000 + 500) / 300)  # organic left out


def test_nps_on_a_mixed_sample() -> None:
    data = client(survey=table("survey", [{"date": "2026-10-01", "scale": "nps", "score": s}
                                          for s in (10, 10, 9, 8, 3)]))
    totals = period_totals(daily_metrics(data, ["nps"]), OCTOBER)
    assert metric_value(totals, "nps") == pytest.approx(100 * (3 - 1) / 5)


@pytest.mark.parametrize("name", sorted(n for n, m in METRICS.items() if isinstance(m, RatioMetric)))
def test_every_ratio_is_missing_not_infinite_on_zero_denominators(name: str) -> None:
    empty = client(**{kind: table(kind, []) for kind in ("ads", "web", "orders", "crm", "survey", "support")})
    zeros = table("ads", [{"date": "2026-10-01", "campaign": "A", "impressions": 0, "clicks": 0,
                           "spend": 5.0, "conversions": 0}])
    for data in (empty, client(ads=zeros)):
        value = metric_value(period_totals(daily_metrics(data, [name]), OCTOBER), name)
        assert math.isnan(value)


def test_safe_divide_is_element_wise_on_every_container() -> None:
    assert math.isnan(safe_divide(1, 0)) and safe_divide(3, 4) == 0.75
    result = safe_divide(np.array([1.0, 2.0, 0.0]), np.array([0.0, 4.0, 0.0]))
    assert np.isnan(result[0]) and result[1] == 0.5 and np.isnan(result[2])
    frame = safe_divide(pd.DataFrame({"a": [1.0, -1.0]}), pd.DataFrame({"a": [0.0, 2.0]}))
    assert math.isnan(frame.loc[0, "a"]) and frame.loc[1, "a"] == -0.5
    series = safe_divide(pd.Series([1.0, 2.0]), 0)
    assert series.isna().all()


@st.composite
def ad_days(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 40))
    impressions = draw(st.lists(st.integers(0, 10_000), min_size=n, max_size=n))
    clicks = [draw(st.integers(0, i)) for i in impressions]
    spend = draw(st.lists(st.floats(0, 1000, allow_nan=False), min_size=n, max_size=n))
    conversions = [draw(st.integers(0, c)) for c in clicks]
    dates = days("2026-09-01", "2026-10-31")
    chosen = [dates[draw(st.integers(0, len(dates) - 1))] for _ in range(n)]
    return table("ads", [{"date": d, "campaign": "A", "impressions": i, "clicks": c, "spend": s,
                          "conversions": v} for d, i, c, s, v in zip(chosen, impressions, clicks,
                                                                     spend, conversions)])


@settings(max_examples=60, deadline=None)
@given(ad_days())
def test_ratios_are_ratios_of_sums_and_sums_add_up(frame: pd.DataFrame) -> None:
    daily = daily_metrics(client(ads=frame), ["ctr", "cpc", "cpm", "cpa", "conversion_rate"])
    october = frame[frame["date"] >= "2026-10-01"]
    totals = period_totals(daily, OCTOBER)
    for name, numerator, denominator, factor in (
            ("ctr", "clicks", "impressions", 1), ("cpc", "spend", "clicks", 1),
            ("cpm", "spend", "impressions", 1000), ("cpa", "spend", "conversions", 1)):
        expected = (factor * october[numerator].sum() / october[denominator].sum()
                    if october[denominator].sum() else math.nan)
        value = metric_value(totals, name)
        assert not math.isinf(value)
        assert (math.isnan(value) and math.isnan(expected)) or value == pytest.approx(expected)
    both = Period(date(2026, 9, 1), date(2026, 10, 31))
    september = period_totals(daily, Period.parse("2026-09"))
    assert period_totals(daily, both)["clicks"] == pytest.approx(september["clicks"] + totals["clicks"])


def constant_clicks(per_day: dict[str, float], start: str, end: str) -> object:
    rows = [{"date": d, "campaign": "A", "impressions": 1000, "clicks": per_day.get(d[:7], 0),
             "spend": 100.0, "conversions": 4} for d in days(start, end)]
    return client(ads=table("ads", rows))


def test_months_of_different_lengths_compare_totals_and_daily_rates() -> None:
    data = constant_clicks({"2026-09": 20, "2026-10": 10, "2025-10": 8}, "2025-10-01", "2026-10-31")
    daily = daily_metrics(data, ["clicks", "cpc"])
    clicks, cpc = scorecard(daily, [KpiSpec(metric="clicks"), KpiSpec(metric="cpc")], OCTOBER,
                            OCTOBER, StatusThresholds())
    assert (clicks.actual, clicks.previous, clicks.days, clicks.previous_days) == (310, 600, 31, 30)
    assert clicks.change_abs == -290 and clicks.change_pct == pytest.approx(310 / 600 - 1)
    assert clicks.change_per_day_pct == pytest.approx(-0.5)  # 10 a day against 20 a day
    assert clicks.last_year == 248 and clicks.yoy_abs == 62 and clicks.yoy_pct == pytest.approx(0.25)
    assert cpc.actual == pytest.approx(10.0) and cpc.previous == pytest.approx(5.0)
    assert cpc.change_pct == pytest.approx(1.0) and cpc.change_per_day_pct == pytest.approx(1.0)


def test_month_to_date_is_compared_day_for_day_and_paced_to_the_end() -> None:
    data = constant_clicks({"2026-09": 10, "2026-10": 20}, "2026-09-01", "2026-10-15")
    daily = daily_metrics(data, ["clicks", "net_return", "cpc"])
    reported = OCTOBER.to_date(date(2026, 10, 15))
    kpis = [KpiSpec(metric="clicks", target=620), KpiSpec(metric="cpc", target=5, direction="lower")]
    clicks, cpc = scorecard(daily, kpis, OCTOBER, reported, StatusThresholds())
    assert clicks.previous == 150 and clicks.previous_days == 15  # 1-15 September
    assert clicks.target == pytest.approx(300) and clicks.full_target == 620
    assert clicks.projected == pytest.approx(300 * 31 / 15) and clicks.pace == pytest.approx(1.0)
    assert clicks.target_gap == pytest.approx(0.0)
    assert cpc.target == 5 and cpc.projected == cpc.actual == pytest.approx(5.0)  # ratios keep their value


def test_comparison_periods_never_run_past_a_shorter_month() -> None:
    march = Period.parse("2026-03")
    periods = comparison_periods(march, march.to_date(date(2026, 3, 30)))
    assert periods["previous"] == Period.parse("2026-02")  # 30 days asked, February has 28
    assert (periods["last_year"].start, periods["last_year"].end) == (date(2025, 3, 1), date(2025, 3, 30))


def test_signed_sums_are_pro_rated_like_sums() -> None:
    assert is_additive("net_return") and is_additive("nps_net") and not is_additive("blended_roi")
    data = constant_clicks({"2026-10": 20}, "2026-10-01", "2026-10-15")
    daily = daily_metrics(data, ["net_return"])
    (result,) = scorecard(daily, [KpiSpec(metric="net_return", target=3100)], OCTOBER,
                          OCTOBER.to_date(date(2026, 10, 15)), StatusThresholds())
    assert result.target == pytest.approx(1500)


def test_status_of_a_lower_is_better_kpi_at_zero_is_green() -> None:
    thresholds = StatusThresholds()
    assert kpi_status(0.0, 20.0, "lower", thresholds) == "green"
    assert kpi_status(25.0, 20.0, "lower", thresholds) == "red"  # 80% of target
    assert kpi_status(19.0, 20.0, "higher", thresholds) == "amber"
    assert kpi_status(math.nan, 20.0, "higher", thresholds) == "none"
