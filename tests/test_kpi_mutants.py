"""Tests written from `make mutate`'s surviving mutants: each pins a number (or the value that
decides whether there is one) that a mutant of the comparison, coverage, KPI or period code
changed without any other test noticing. Expected values are computed here from dates and plain
arithmetic, never through the code under test.

Mutants left alive because no input can tell them from the code (equivalent), as of the last run:

- ``Period(..., )`` for ``Period(..., "custom")`` (kpis._aligned, Period.to_date,
  Period.same_period_last_year): "custom" is the default.
- coverage.detect_grain returning anchor 1 instead of 0 for daily or monthly rows, and
  source_coverage recomputing the anchor also for detected weeks: only weekly rows read the
  anchor, and detected weekly rows all fall on the first row's weekday.
- source_coverage giving weekly or monthly sources a slack (``or True``, ``else 1``): a period
  is checked for cut rows first, so it starts and ends on row boundaries, 7 or more days apart,
  and a slack of at most 6 days never reaches the next boundary.
- coverage_by_source's ``groupby(observed=..., sort=...)``: unobserved categories give empty
  groups, which have no coverage; the order of sources changes no value.
- daily.safe_divide: ``astype(None)`` / ``asarray(dtype=None)`` is float64 anyway; ``isna(n) and
  isna(d)``: a single NaN divides to NaN all the same.
- kpis.relative_change ``... or True``: safe_divide of a NaN is NaN; scorecard's default
  ``KpiInputs({}, None)``: no coverage either way.
- Period.previous with ``start - 2 days``: still inside the previous month, quarter or year.
- Period.same_period_last_year counting the weeks of year + 1 or year - 2 instead of year - 1:
  53-week ISO years are 5 or 6 years apart, so all three have 52 weeks when week 53 asks.
"""

from __future__ import annotations

import math
import warnings
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from tests.frames import client, days, table

from nbreport.metrics import daily_metrics, metric_value, period_totals, safe_divide, scorecard
from nbreport.metrics.coverage import (
    SourceCoverage,
    coverage_by_source,
    detect_grain,
    source_coverage,
    value_over,
)
from nbreport.metrics.kpis import (
    KpiInputs,
    SummedFrom,
    comparison_periods,
    kpi_status,
    status_for,
)
from nbreport.metrics.spec import KpiSpec, StatusThresholds
from nbreport.core.period import Period, PeriodParseError

OCTOBER = Period.parse("2026-10")
SEPTEMBER = Period(date(2026, 9, 1), date(2026, 9, 30), "month")


def dated(*stamps: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(stamps)))


# --- periods --------------------------------------------------------------------------------

def test_the_same_iso_week_last_year() -> None:
    """Week 10 of 2026 against week 10 of 2025 (3-9 March), not week 1: 29 December 2025 is a
    Monday, so a "last week of the year" looked up on the 29th would be week 1 of 2026."""
    found = Period.parse("2026-W10").same_period_last_year()
    monday = date(2025, 1, 1) - timedelta(days=date(2025, 1, 1).weekday())  # week 1 of 2025
    assert (found.start, found.end, found.kind) == (monday + timedelta(weeks=9),
                                                    monday + timedelta(weeks=9, days=6), "week")
    # 2026 has 53 ISO weeks, 2025 has 52: week 53 is compared with 2025's last week
    last = Period.parse("2026-W53").same_period_last_year()
    assert (last.start, last.end) == (date(2025, 12, 22), date(2025, 12, 28))


def test_a_year_is_compared_with_the_whole_previous_year() -> None:
    found = Period.parse("2026").same_period_last_year()
    assert (found.start, found.end, found.kind, found.label) == (
        date(2025, 1, 1), date(2025, 12, 31), "year", "2025")


def test_custom_and_partial_periods_stay_custom() -> None:
    custom = Period.parse("2026-10-03..2026-10-09")
    assert custom.same_period_last_year().kind == "custom"
    assert OCTOBER.to_date(date(2026, 10, 15)).kind == "custom"
    aligned = comparison_periods(OCTOBER, OCTOBER.to_date(date(2026, 10, 15)))
    assert aligned["previous"].kind == aligned["last_year"].kind == "custom"


def test_as_of_the_last_day_is_the_whole_period() -> None:
    june = Period.parse("2026-06")
    assert june.to_date(date(2026, 6, 30)) == june
    with pytest.raises(PeriodParseError, match=r"as-of date 2026-05-31 is before the period "
                                               r"starts \(2026-06-01\)"):
        june.to_date(date(2026, 5, 31))


def test_as_of_the_last_day_of_june_compares_with_all_of_may() -> None:
    june = Period.parse("2026-06")
    data = client(ads=table("ads", [{"date": d, "campaign": "A", "clicks": 1.0}
                                    for d in days("2026-05-01", "2026-06-30")]))
    (clicks,) = scorecard(daily_metrics(data, ["clicks"]), [KpiSpec(metric="clicks")], june,
                          june.to_date(date(2026, 6, 30)), StatusThresholds())
    assert (clicks.actual, clicks.previous, clicks.previous_days) == (30, 31, 31)


def test_a_part_as_long_as_the_comparison_period_is_all_of_it() -> None:
    periods = comparison_periods(OCTOBER, OCTOBER.to_date(date(2026, 10, 30)))
    assert periods["previous"] == SEPTEMBER and periods["previous"].label == "September 2026"


# --- coverage -------------------------------------------------------------------------------

def test_coverage_bounds_count_as_covered() -> None:
    source = SourceCoverage("shop", "day", date(2026, 9, 1), date(2026, 9, 30))
    assert value_over(SEPTEMBER, [source], whole=True).available  # starts and ends with it
    assert source.cover(SEPTEMBER) == "all"
    ends_on_first = Period(date(2026, 8, 25), date(2026, 9, 1))
    starts_on_last = Period(date(2026, 9, 30), date(2026, 10, 5))
    assert source.cover(ends_on_first) == source.cover(starts_on_last) == "part"
    assert value_over(ends_on_first, [source], whole=False).available
    assert value_over(starts_on_last, [source], whole=False).available


def test_no_value_says_why() -> None:
    missing = value_over(OCTOBER, [], whole=True)
    assert missing.available is False and missing.reason == "no data for October 2026"
    monthly = SourceCoverage("crm", "month", date(2026, 1, 1), date(2026, 12, 31))
    cut = value_over(OCTOBER.to_date(date(2026, 10, 15)), [monthly], whole=False)
    assert cut.available is False and "crm reports by month" in cut.reason
    none = value_over(OCTOBER, [SourceCoverage("crm", "day", date(2027, 1, 1),
                                               date(2027, 2, 1))], whole=False)
    assert none.available is False and none.reason == "no data for October 2026"
    whole = SourceCoverage("ads", "day", date(2026, 1, 1), date(2026, 12, 31))
    late = SourceCoverage("shop", "day", date(2026, 10, 10), date(2026, 12, 31))
    partial = value_over(OCTOBER, [whole, late], whole=True)
    assert partial.available is False and "(shop covers 2026-10-10 to 2026-12-31)" in partial.reason


@pytest.mark.parametrize(("stamps", "grain"), [
    (pd.date_range("2026-01-15", "2026-09-15", freq="MS") + pd.Timedelta(days=14), "day"),
    (pd.date_range("2026-01-01", "2026-03-01", freq="10D"), "day"),  # 10 days apart, any weekday
])
def test_rows_far_apart_are_not_months_or_weeks_by_distance_alone(stamps: pd.DatetimeIndex,
                                                                  grain: str) -> None:
    assert detect_grain(pd.Series(stamps))[0] == grain


def test_monthly_rows_cover_whole_months() -> None:
    starts = source_coverage("crm", dated("2026-01-01", "2026-02-01", "2026-06-01"))
    assert (starts.grain, starts.first, starts.last) == ("month", date(2026, 1, 1), date(2026, 6, 30))
    ends = source_coverage("crm", dated("2026-01-31", "2026-02-28", "2026-06-30"))
    assert (ends.first, ends.last) == (date(2026, 1, 1), date(2026, 6, 30))
    assert value_over(Period.parse("2026-06"), [starts], whole=True).available


def test_weekly_rows_cover_seven_days_from_their_weekday() -> None:
    wednesdays = dated("2026-09-02", "2026-09-09", "2026-09-16", "2026-09-23")  # Wednesdays
    weekly = source_coverage("ads", wednesdays)
    assert (weekly.source, weekly.grain, weekly.anchor) == ("ads", "week", 2)
    assert (weekly.first, weekly.last) == (date(2026, 9, 2), date(2026, 9, 29))
    daily = source_coverage("ads", dated("2026-09-02", "2026-09-03"))
    assert (daily.grain, daily.last) == ("day", date(2026, 9, 3))
    week = Period(date(2026, 9, 9), date(2026, 9, 15))
    assert value_over(week, [weekly], whole=True).available


def test_a_grain_given_in_params_overrides_the_detected_one() -> None:
    one_wednesday = dated("2026-09-02")  # a single row: detected as a day
    weekly = source_coverage("ads", one_wednesday, grain="week")
    assert (weekly.grain, weekly.anchor, weekly.last) == ("week", 2, date(2026, 9, 8))
    assert value_over(Period(date(2026, 9, 2), date(2026, 9, 8)), [weekly], whole=True).available
    monthly = source_coverage("crm", dated("2026-09-01", "2026-09-02"), grain="month")
    assert (monthly.grain, monthly.first, monthly.last) == ("month", date(2026, 9, 1),
                                                            date(2026, 9, 30))


def test_coverage_by_source_reads_every_table_and_applies_grains() -> None:
    tables = {
        "empty": pd.DataFrame({"date": pd.to_datetime([]), "source": []}),
        "undated": pd.DataFrame({"source": ["x"], "sessions": [1]}),
        "unnamed": pd.DataFrame({"date": pd.to_datetime(["2026-09-01"])}),
        "crm": pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
                             "source": ["b", "b", "b"]}),
        "web": pd.DataFrame({"date": pd.to_datetime(["2026-09-01", "2026-09-02"]),
                             "source": ["a", "a"]}),
    }
    found = coverage_by_source(tables)
    assert sorted(found) == ["a", "b"]
    assert (found["b"].source, found["b"].grain, found["a"].grain) == ("b", "month", "day")
    forced = coverage_by_source(tables, {"a": "month"})
    assert (forced["a"].grain, forced["a"].last) == ("month", date(2026, 9, 30))



def test_a_daily_source_closed_at_weekends_covers_its_weekends() -> None:
    """Rows Monday 5 to Friday 16 October 2026, none at the weekend: the 95% gap is 3 days, so
    2 quiet days in a row are usual and the weekends around the rows count as covered."""
    weekdays = pd.Series([d for d in pd.date_range("2026-10-05", "2026-10-16") if d.weekday() < 5])
    shop = source_coverage("shop", weekdays)
    assert (shop.grain, shop.slack) == ("day", 2)
    around = Period(date(2026, 10, 3), date(2026, 10, 18))  # Saturday to Sunday
    assert value_over(around, [shop], whole=True).available
    assert not value_over(Period(date(2026, 10, 2), date(2026, 10, 18)), [shop], whole=True).available
    four = source_coverage("shop", dated("2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06"))
    assert four.slack == 2  # Thursday, Friday, Monday, Tuesday: gaps 1, 3, 1


def test_a_source_without_quiet_days_has_no_slack() -> None:
    every_day = source_coverage("ads", pd.Series(pd.date_range("2026-09-01", "2026-10-31")))
    assert every_day.slack == 0
    day_before = Period(date(2026, 8, 31), date(2026, 9, 30))
    assert not value_over(day_before, [every_day], whole=True).available
    assert source_coverage("ads", dated("2026-10-01", "2026-10-02", "2026-10-03")).slack == 0


def test_a_value_over_part_of_the_period_says_which_part() -> None:
    late = SourceCoverage("shop", "day", date(2026, 10, 10), date(2026, 10, 31))
    found = value_over(OCTOBER, [late], whole=False)
    assert found.available and found.reason == ("shop data starts on 2026-10-10, after October "
                                                "2026 starts")


# --- KPIs -----------------------------------------------------------------------------------

def _clicks(per_day: float, start: str, end: str) -> pd.DataFrame:
    data = client(ads=table("ads", [{"date": d, "campaign": "A", "clicks": per_day, "spend": 2.0}
                                    for d in days(start, end)]))
    return daily_metrics(data, ["clicks", "cpc"])


def test_the_reported_period_needs_only_some_coverage() -> None:
    """A source that stops on 20 October: October's actual is its 20 days, not "no data"."""
    daily = _clicks(3.0, "2026-09-01", "2026-10-20")
    summed_from = {"clicks": SummedFrom("ads", ("ads",))}
    inputs = KpiInputs(summed_from, [SourceCoverage("ads", "day", date(2026, 9, 1),
                                                    date(2026, 10, 20))])
    (clicks,) = scorecard(daily, [KpiSpec(metric="clicks")], OCTOBER, OCTOBER,
                          StatusThresholds(), [inputs])
    assert (clicks.actual, clicks.previous) == (60, 90)
    assert math.isnan(clicks.last_year) and clicks.note("last_year") == "no data for October 2025"
    assert clicks.note("now") == "" and clicks.inputs == summed_from
    assert clicks.caveats == {"now": "ads data ends on 2026-10-20, before October 2026 ends"}
    plain = clicks.to_dict()
    assert plain["last_year"] is None and plain["yoy_pct"] is None
    assert plain["notes"] == {"last_year": "no data for October 2025"}
    assert plain["inputs"] == {"clicks": {"kind": "ads", "sources": ["ads"]}}



def test_the_reported_period_is_named_even_without_a_value() -> None:
    monthly = SourceCoverage("crm", "month", date(2026, 1, 1), date(2026, 12, 31))
    reported = OCTOBER.to_date(date(2026, 10, 15))
    (clicks,) = scorecard(_clicks(1.0, "2026-09-01", "2026-10-31"), [KpiSpec(metric="clicks")],
                          OCTOBER, reported, StatusThresholds(),
                          [KpiInputs({"clicks": SummedFrom("crm", ("crm",))}, [monthly])])
    assert math.isnan(clicks.actual) and clicks.periods["now"] == reported
    assert clicks.to_dict()["periods"]["now"] == {"start": "2026-10-01", "end": "2026-10-15"}


def test_every_field_of_a_kpi_result() -> None:
    """October 2026 (31 days) against September (30) and October 2025 (31), 2 clicks a day in
    October 2025, 3 in September, 4 in October 2026; spend 2 a day."""
    data = client(ads=table("ads", [{"date": d, "campaign": "A", "spend": 2.0,
                                     "clicks": {"2025-10": 2.0, "2026-09": 3.0}.get(d[:7], 4.0)}
                                    for d in days("2025-10-01", "2025-10-31")
                                    + days("2026-09-01", "2026-10-31")]))
    kpis = [KpiSpec(metric="clicks", target=100), KpiSpec(metric="cpc", target=0.4)]
    clicks, cpc = scorecard(daily_metrics(data, ["clicks", "cpc"]), kpis, OCTOBER, OCTOBER,
                            StatusThresholds())
    assert scorecard(daily_metrics(data, ["clicks"]), kpis[:1], OCTOBER, OCTOBER,
                     StatusThresholds())[0].inputs == {}
    assert (clicks.metric, clicks.unit, clicks.direction) == ("clicks", "count", "higher")
    assert (cpc.metric, cpc.unit, cpc.direction) == ("cpc", "currency", "lower")
    assert (clicks.days, clicks.previous_days, clicks.last_year_days) == (31, 30, 31)
    assert clicks.yoy_per_day_pct == pytest.approx((124 / 31) / (62 / 31) - 1)
    assert clicks.change_per_day_pct == pytest.approx((124 / 31) / (90 / 30) - 1)
    assert cpc.actual == pytest.approx(0.5) and cpc.last_year == pytest.approx(1.0)
    assert cpc.yoy_per_day_pct == pytest.approx(0.5 / 1.0 - 1)  # a ratio: the plain change
    assert cpc.pace == pytest.approx(0.4 / 0.5)  # lower is better: target / projected
    assert cpc.attainment == pytest.approx(0.4 / 0.5) and cpc.status == "red"


def test_a_leap_february_is_compared_per_day_with_the_last() -> None:
    feb = Period.parse("2024-02")
    daily = _clicks(10.0, "2023-02-01", "2024-02-29")
    (clicks,) = scorecard(daily, [KpiSpec(metric="clicks")], feb, feb, StatusThresholds())
    assert (clicks.actual, clicks.last_year, clicks.last_year_days) == (290, 280, 28)
    assert clicks.yoy_pct == pytest.approx(290 / 280 - 1) and clicks.yoy_per_day_pct == pytest.approx(0)


def test_status_at_the_thresholds_and_without_a_target() -> None:
    thresholds = StatusThresholds(green=1.0, amber=0.9)
    assert status_for(0.9, thresholds) == "amber" and status_for(1.0, thresholds) == "green"
    assert status_for(math.nan, thresholds) == "none"
    assert kpi_status(5.0, 0.0, "higher", thresholds) == "none"  # a target of 0: no attainment
    assert kpi_status(0.0, math.nan, "lower", thresholds) == "none"  # no target: no status


# --- sums and ratios per channel, division -------------------------------------------------

def test_totals_and_ratios_per_channel() -> None:
    ads = table("ads", [
        {"date": "2026-10-01", "campaign": "A", "channel": "Search", "clicks": 10, "spend": 30.0},
        {"date": "2026-10-02", "campaign": "A", "channel": "Search", "clicks": 20, "spend": 30.0},
        {"date": "2026-10-02", "campaign": "B", "channel": "Social", "clicks": 0, "spend": 5.0},
        {"date": "2026-09-30", "campaign": "B", "channel": "Social", "clicks": 7, "spend": 7.0},
    ])
    totals = period_totals(daily_metrics(client(ads=ads), ["cpc"], by="channel"), OCTOBER)
    assert totals.loc["Search", "clicks"] == 30 and totals.loc["Social", "spend"] == 5
    cpc = metric_value(totals, "cpc")
    assert cpc["Search"] == pytest.approx(60 / 30) and math.isnan(cpc["Social"])


def test_safe_divide_by_a_series_and_without_warnings() -> None:
    result = safe_divide(6.0, pd.Series([0.0, 2.0]))
    assert math.isnan(result[0]) and result[1] == 3.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = safe_divide(np.array([1.0, 0.0]), np.array([0.0, 0.0]))  # inf and 0/0
    assert np.isnan(found).all()


# --- the registry (structural mutants from tests/mutation_registry.py) ----------------------

# Which way is better, by what the metric measures (not by its name, which may change): money
# spent per result and counts of bad things are better low; spend itself has no direction;
# everything else is better high.
BAD_COUNTS = {"nps_detractors", "tickets"}


def test_every_metric_is_better_the_right_way() -> None:
    from nbreport.metrics.definitions import METRICS, RatioMetric

    for name, metric in METRICS.items():
        cost_per_result = isinstance(metric, RatioMetric) and metric.numerator == "spend"
        expected = ("lower" if cost_per_result or name in BAD_COUNTS
                    else "neutral" if name == "spend" else "higher")
        assert METRICS[name].direction == expected, name
        if expected != "neutral":
            assert KpiSpec(metric=name, target=1).better == expected, name


def test_web_users_are_summed_not_counted() -> None:
    web = table("web", [
        {"date": "2026-10-01", "channel": "Direct", "sessions": 70, "users": 40, "new_users": 25},
        {"date": "2026-10-02", "channel": "Direct", "sessions": 30, "users": 20, "new_users": 5},
    ])
    totals = period_totals(daily_metrics(client(web=web), ["users", "new_users"]), OCTOBER)
    assert (metric_value(totals, "users"), metric_value(totals, "new_users")) == (60, 30)


def test_revenue_from_won_deals_only_then_from_web_analytics() -> None:
    crm = table("crm", [
        {"date": "2026-09-01", "stage": "won", "close_date": "2026-10-05", "amount": 700.0},
        {"date": "2026-09-02", "stage": "lost", "close_date": "2026-10-06", "amount": 900.0},
    ])
    totals = period_totals(daily_metrics(client(crm=crm), ["revenue"]), OCTOBER)
    assert metric_value(totals, "revenue") == 700  # the lost deal's amount is no revenue
    web = table("web", [{"date": "2026-10-01", "channel": "Direct", "sessions": 9, "revenue": 120.0},
                        {"date": "2026-10-02", "channel": "Direct", "sessions": 9, "revenue": 80.5}])
    totals = period_totals(daily_metrics(client(web=web), ["revenue"]), OCTOBER)
    assert metric_value(totals, "revenue") == 200.5  # no orders, no deals: web analytics' sum


def test_paid_revenue_from_web_analytics_is_the_paid_channels_sum() -> None:
    web = table("web", [
        {"date": "2026-10-01", "channel": "Paid Search", "sessions": 5, "revenue": 250.0},
        {"date": "2026-10-01", "channel": "Organic Search", "sessions": 9, "revenue": 900.0},
        {"date": "2026-10-02", "channel": "Paid Social", "sessions": 4, "revenue": 49.5},
    ])
    totals = period_totals(daily_metrics(client(web=web), ["paid_revenue"]), OCTOBER)
    assert metric_value(totals, "paid_revenue") == 299.5  # organic revenue is left out
