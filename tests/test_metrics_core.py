"""The metric engine's backbone: ratios of sums, no division errors, targets and status."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from nbreport.core.formatting import Formatter
from nbreport.metrics import daily_metrics, metric_value, period_totals, scorecard
from nbreport.metrics.spec import KpiSpec, StatusThresholds
from nbreport.params import Period
from nbreport.sources.loader import ClientData


def ads(rows: list[tuple[str, str, int, int, float, float]]) -> ClientData:
    frame = pd.DataFrame(rows, columns=["date", "campaign", "impressions", "clicks", "spend", "conversions"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["source"] = "ads"
    return ClientData({"ads": frame})


def test_ratios_are_computed_from_sums_not_averaged() -> None:
    data = ads([("2026-10-01", "A", 100, 1, 10.0, 1), ("2026-10-02", "A", 100, 99, 90.0, 9)])
    totals = period_totals(daily_metrics(data, ["ctr", "cpc"]), Period.parse("2026-10"))
    assert metric_value(totals, "ctr") == pytest.approx(100 / 200)  # not mean(0.01, 0.99) ... same here
    assert metric_value(totals, "cpc") == pytest.approx(100 / 100)  # mean of daily CPCs would be 5.45


def test_division_by_zero_is_missing_and_shown_as_na() -> None:
    data = ads([("2026-10-01", "A", 0, 0, 0.0, 0)])
    totals = period_totals(daily_metrics(data, ["ctr", "cpa"]), Period.parse("2026-10"))
    assert math.isnan(metric_value(totals, "ctr")) and math.isnan(metric_value(totals, "cpa"))
    assert Formatter().value(metric_value(totals, "cpa"), "currency") == "n/a"


def test_scorecard_pro_rates_targets_and_respects_direction() -> None:
    rows = [(f"2026-09-{d:02d}", "A", 1000, 10, 100.0, 2) for d in range(1, 31)]
    rows += [(f"2026-10-{d:02d}", "A", 1000, 20, 100.0, 4) for d in range(1, 16)]
    daily = daily_metrics(ads(rows), ["clicks", "cpa"])
    october = Period.parse("2026-10")
    kpis = [KpiSpec(metric="clicks", target=620), KpiSpec(metric="cpa", target=20)]
    clicks, cpa = scorecard(daily, kpis, october, october.to_date(date(2026, 10, 15)), StatusThresholds())
    assert clicks.actual == 300 and clicks.target == pytest.approx(300)  # 620 x 15/31
    assert clicks.previous == 150  # the first 15 days of September
    assert clicks.change_pct == pytest.approx(1.0) and clicks.status == "green"
    assert cpa.actual == pytest.approx(25) and cpa.target == 20  # ratio targets are not pro-rated
    assert cpa.attainment == pytest.approx(0.8) and cpa.status == "red"  # lower is better


def test_formatting_follows_currency_and_locale() -> None:
    german = Formatter("EUR", "de_DE")
    assert german.value(1234567.891, "currency") == "1.234.568\u00a0\u20ac"
    assert german.value(12.5, "currency") == "12,50\u00a0\u20ac"
    assert german.value(0.1234, "percent") == "12,3\u00a0%"
    assert Formatter("USD", "en_US").change(-0.04) == "\u22124.0%"
    assert Formatter("GBP", "en_GB").value(7.589, "multiple") == "7.59\u00d7"
