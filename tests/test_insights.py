"""Wins and challenges: both sides, statistical care, ranking; the tests behind them by hand."""

from __future__ import annotations

import math

import pytest
from tests.frames import client, days, table

from nbreport.core.formatting import Formatter
from nbreport.metrics import daily_metrics, period_totals, scorecard
from nbreport.metrics.contribution import decompose_change
from nbreport.metrics.insights import (
    Insight,
    MetricRef,
    budget_insight,
    change_insights,
    churn_insight,
    driver_insights,
    rank,
    target_insights,
)
from nbreport.metrics.spec import InsightSettings, KpiSpec, StatusThresholds
from nbreport.metrics.stats import RatioEstimate, compare_proportions, compare_ratios, ratio_of_sums
from nbreport.params import Period

SEPTEMBER, OCTOBER = Period.parse("2026-09"), Period.parse("2026-10")
FMT = Formatter("USD", "en_US")
BAR = InsightSettings()


def test_ratio_of_sums_variance_and_z_test_by_hand() -> None:
    estimate = ratio_of_sums([2, 4, 6], [1, 1, 2])
    assert estimate.value == 3 and estimate.variance == pytest.approx(2 / (3 * 2 * (4 / 3) ** 2))
    test = compare_ratios(RatioEstimate(3, 0.1875, 3), RatioEstimate(4, 0.0625, 3))
    assert test.z == pytest.approx(2.0) and test.p_value == pytest.approx(0.0455, abs=1e-4)
    mean = ratio_of_sums([1, 2, 3])  # a sum compares its daily mean
    assert mean.value == 2 and mean.variance == pytest.approx(1 / 3)
    proportions = compare_proportions(10, 100, 20, 100)
    assert proportions.z == pytest.approx(0.1 / math.sqrt(0.15 * 0.85 * 0.02))
    assert proportions.p_value == pytest.approx(0.0477, abs=1e-4)


def two_months() -> object:
    """September then October: search clicks up, social flat, the same spend, sessions down 20%,
    few conversions."""
    ads, web = [], []
    for i, day in enumerate(days("2026-09-01", "2026-10-31")):
        wobble = 1 + (0.05 if i % 2 else -0.05)
        october = day >= "2026-10-01"
        ads.append({"date": day, "campaign": "S", "channel": "Paid Search", "impressions": 5_000,
                    "clicks": round((100 if october else 70) * wobble), "spend": 60.0,
                    "conversions": (1 + i % 2) if october else i % 2})
        ads.append({"date": day, "campaign": "P", "channel": "Paid Social", "impressions": 5_000,
                    "clicks": round(30 * wobble), "spend": 40.0, "conversions": 0})
        web.append({"date": day, "channel": "Organic", "sessions": round((800 if october else 1000) * wobble)})
    return client(ads=table("ads", ads), web=table("web", web))


REFS = [MetricRef("clicks", "Clicks", "higher"), MetricRef("cpc", "Cost per click", "lower"),
        MetricRef("sessions", "Sessions", "higher"), MetricRef("conversions", "Conversions", "higher"),
        MetricRef("spend", "Spend", "neutral")]


def test_changes_are_wins_or_challenges_only_with_volume_and_significance() -> None:
    daily = daily_metrics(two_months(), [r.metric for r in REFS])
    found = {i.subject: i for i in change_insights(daily, REFS, OCTOBER, SEPTEMBER, "September 2026", BAR, FMT)}
    assert set(found) == {"Clicks", "Cost per click", "Sessions"}  # conversions tripled, on 15: too few
    clicks = found["Clicks"]
    assert clicks.side == "win" and clicks.p_value < 0.001
    assert clicks.value == daily.loc["2026-10", "clicks"].sum()
    per_day = (clicks.value / 31) / (clicks.reference / 30) - 1  # October is a day longer
    assert clicks.sentence == (f"Clicks up {FMT.change(clicks.change)[1:]} on September 2026 "
                               f"({FMT.change(per_day)} per day): {clicks.value:,.0f} against "
                               f"{clicks.reference:,.0f}.")
    assert found["Cost per click"].side == "win"  # lower is better
    sessions = found["Sessions"]
    october, september = daily.loc["2026-10", "sessions"].sum(), daily.loc["2026-09", "sessions"].sum()
    assert sessions.side == "challenge" and sessions.change == pytest.approx(october / september - 1)
    assert sessions.sentence.startswith("Sessions down ") and sessions.impact == pytest.approx(0.2, abs=0.01)


def test_the_bar_is_set_by_params() -> None:
    daily = daily_metrics(two_months(), ["conversions", "clicks"])
    lenient = InsightSettings(min_volume=5)
    found = change_insights(daily, REFS, OCTOBER, SEPTEMBER, "September", lenient, FMT)
    assert "Conversions" in {i.subject for i in found}
    strict = InsightSettings(min_change=0.5)
    assert change_insights(daily, REFS, OCTOBER, SEPTEMBER, "September", strict, FMT) == []


def test_targets_met_and_missed() -> None:
    daily = daily_metrics(two_months(), ["clicks", "cpc", "conversions"])
    kpis = [KpiSpec(metric="clicks", target=3000), KpiSpec(metric="cpc", target=0.5),
            KpiSpec(metric="conversions", target=1)]
    results = scorecard(daily, kpis, OCTOBER, OCTOBER, StatusThresholds())
    found = {i.subject: i for i in target_insights(results, daily, OCTOBER, BAR, FMT, partial=False)}
    assert set(found) == {"Clicks", "Cost per click", "Platform-reported conversions"}
    fewer = target_insights(results, daily, OCTOBER, InsightSettings(min_volume=50), FMT, partial=False)
    assert {i.subject for i in fewer} == {"Clicks", "Cost per click"}  # 46 conversions: too few now
    assert found["Clicks"].side == "win" and found["Clicks"].sentence == (
        f"Clicks beat its target: {results[0].actual:,.0f} against 3,000 "
        f"({FMT.value(results[0].attainment, 'percent')} of it).")
    assert found["Cost per click"].side == "challenge"
    assert found["Cost per click"].impact == pytest.approx(1 - results[1].attainment)


def test_the_channel_behind_a_change() -> None:
    data = two_months()
    by_channel = daily_metrics(data, ["clicks"], by="channel")
    parts = decompose_change(period_totals(by_channel, SEPTEMBER), period_totals(by_channel, OCTOBER), "clicks")
    found = driver_insights(parts, by_channel, MetricRef("clicks", "Clicks", "higher"), OCTOBER,
                            SEPTEMBER, "September", BAR, FMT)
    assert [i.subject for i in found] == [f"Clicks from {parts.index[0]}"]
    top = parts.iloc[0]
    assert found[0].sentence == (f"Clicks from {parts.index[0]}: {top['before']:,.0f} \u2192 "
                                 f"{top['after']:,.0f}, +{top['contribution']:,.0f} of the "
                                 f"+{parts.attrs['total_change']:,.0f} change on September.")


def test_budget_and_churn() -> None:
    (over,) = budget_insight(1000, 1250, False, 0.1, "October 2026", FMT)
    assert over.side == "challenge" and over.impact == pytest.approx(0.15)
    assert over.sentence == "Spend is on course for $1,250 by the end of October 2026, 25.0% over the $1,000 budget."
    assert budget_insight(1000, 1050, True, 0.1, "October 2026", FMT) == []
    (churned,) = churn_insight(10, 500, 30, 500, "September", BAR, FMT)
    assert churned.side == "challenge" and churned.p_value < 0.01
    assert churned.sentence == "Customer churn rose to 6.0% from 2.0% in September: 30 of 500 customers left."
    assert churn_insight(1, 20, 3, 20, "September", BAR, FMT) == []  # too few customers to tell


def insight(side: str, subject: str, impact: float) -> Insight:
    return Insight(side, "change", subject, "", subject, 1.0, 1.0, "", 0.0, "count", impact)  # type: ignore[arg-type]


def test_ranking_keeps_the_biggest_per_subject_and_side_and_both_sides_speak() -> None:
    candidates = [insight("win", "A", 0.1), insight("win", "A", 0.3), insight("win", "B", 0.2),
                  insight("win", "C", 0.05), insight("win", "D", 0.4)]
    found = rank(candidates, InsightSettings(per_side=3), ["3 KPIs against September"])
    assert [(i.subject, i.impact) for i in found.wins] == [("D", 0.4), ("A", 0.3), ("B", 0.2)]
    assert found.challenges == []
    note = found.empty_note("challenge")
    assert note.startswith("No challenge cleared the bar this period. We checked 3 KPIs against September")
    # the bar in plain words: the size, the data behind it and "not chance", no p-value
    assert "at least 5%" in note and "at least 30 clicks, orders or responses" in note
    assert "too large to be chance" in note and "p \u2264" not in note
