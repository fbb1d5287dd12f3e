"""Contribution analysis: parts that add up exactly to a KPI's change, for sums and ratios."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import REPO

from nbreport.metrics.contribution import decompose_change
from nbreport.metrics.daily import metric_value, period_totals
from nbreport.report import open_report


def test_ratio_parts_by_hand() -> None:
    before = pd.DataFrame({"revenue": [100.0, 60.0], "spend": [50.0, 0.0]}, index=["Paid", "Organic"])
    after = pd.DataFrame({"revenue": [120.0, 90.0], "spend": [40.0, 0.0]}, index=["Paid", "Organic"])
    parts = decompose_change(before, after, "blended_roas")
    assert parts.attrs["total_before"] == pytest.approx(3.2)
    assert parts.attrs["total_change"] == pytest.approx(5.25 - 3.2)
    assert parts.loc["Paid", "numerator_effect"] == pytest.approx(20 * (1 / 50 + 1 / 40) / 2)
    assert parts.loc["Paid", "denominator_effect"] == pytest.approx(10 * 370 / (2 * 50 * 40))
    assert parts.loc["Organic", "contribution"] == pytest.approx(30 * (1 / 50 + 1 / 40) / 2)
    assert parts["contribution"].sum() == pytest.approx(2.05)
    assert list(parts.index) == ["Paid", "Organic"]  # biggest part first
    assert parts["share"].sum() == pytest.approx(1.0)


def test_sum_parts_are_each_segments_change_and_new_segments_count() -> None:
    before = pd.DataFrame({"clicks": [10.0, 5.0]}, index=["A", "B"])
    after = pd.DataFrame({"clicks": [7.0, 9.0, 4.0]}, index=["A", "B", "C"])
    parts = decompose_change(before, after, "clicks")
    assert parts["contribution"].to_dict() == {"B": 4.0, "C": 4.0, "A": -3.0}
    assert parts.attrs["total_change"] == 5.0 and (parts["denominator_effect"] == 0).all()


def test_undefined_ratio_gives_missing_parts_not_infinities() -> None:
    before = pd.DataFrame({"spend": [10.0], "conversions": [0.0]}, index=["A"])
    after = pd.DataFrame({"spend": [10.0], "conversions": [2.0]}, index=["A"])
    parts = decompose_change(before, after, "cpa")
    assert parts["contribution"].isna().all() and pd.isna(parts.attrs["total_change"])


amounts = st.one_of(st.just(0.0), st.floats(0.01, 1e6))  # counts and money: cents upwards
segments = st.lists(st.tuples(*[amounts] * 4), min_size=1, max_size=6)


@settings(max_examples=80, deadline=None)
@given(segments, st.sampled_from([("cpa", "spend", "conversions"), ("cpm", "spend", "impressions"),
                                  ("blended_roi", "revenue", "spend"), ("conversion_rate", "conversions", "clicks"),
                                  ("spend", "spend", None), ("net_return", "revenue", "spend")]))
def test_parts_always_add_up_to_the_change(rows: list[tuple[float, ...]], case: tuple) -> None:
    metric, first, second = case
    columns = [first] if second is None else [first, second]
    index = [f"s{i}" for i in range(len(rows))]
    before = pd.DataFrame([r[:len(columns)] for r in rows], columns=columns, index=index)
    after = pd.DataFrame([r[2:2 + len(columns)] for r in rows], columns=columns, index=index)
    if second is not None and metric != "net_return" and (before[second].sum() == 0 or after[second].sum() == 0):
        return  # the ratio itself is undefined: covered above
    parts = decompose_change(before, after, metric)
    now, then = metric_value(after.sum(), metric), metric_value(before.sum(), metric)
    change = now - then
    # floating point loses digits in proportion to the values subtracted, not to their
    # difference, and the split mixes segments of very different sizes (0.016 impressions
    # beside 172,510): parts are checked to 1e-6 of the largest figure, far below a cent
    scale = max(abs(now), abs(then), float(parts["contribution"].abs().max()), 1.0)
    assert parts["contribution"].sum() == pytest.approx(change, rel=1e-6, abs=1e-6 * scale)
    backwards = decompose_change(after, before, metric)
    assert backwards["contribution"].reindex(parts.index).to_numpy() == pytest.approx(
        -parts["contribution"].to_numpy(), rel=1e-9, abs=1e-9)


def test_demo_report_channel_parts_add_up(demo_data_dir: Path) -> None:
    report = open_report("northwind-outfitters", project_dir=REPO, data_dir=demo_data_dir)
    for kpi in report.results.kpis:
        parts = report.results.contributions[kpi.metric]
        assert parts.attrs["total_change"] == pytest.approx(kpi.change_abs)
        assert parts["contribution"].sum() == pytest.approx(kpi.change_abs)
    orders = report.results.contributions["orders"]
    now = period_totals(report.results.daily_by_channel, report.results.reported)
    assert orders.loc["Paid Search", "after"] == now.loc["Paid Search", "orders"]
