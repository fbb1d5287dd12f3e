"""metrics/campaigns: spend and results per campaign in the period, checked against plain pandas."""

from __future__ import annotations

import pandas as pd
import pytest

from frames import client, table
from nbreport.core.period import Period
from nbreport.metrics.campaigns import CAMPAIGN_METRICS, campaign_table

ROWS = [
    {"date": "2026-10-01", "campaign": "Brand", "impressions": 100, "clicks": 10, "spend": 50.0, "conversions": 2},
    {"date": "2026-10-02", "campaign": "Brand", "impressions": 120, "clicks": 12, "spend": 70.0, "conversions": 4},
    {"date": "2026-10-02", "campaign": "Shop", "impressions": 900, "clicks": 30, "spend": 300.0, "conversions": 5},
    {"date": "2026-10-03", "campaign": "Paused", "impressions": 10, "clicks": 0, "spend": 0.0, "conversions": 0},
    {"date": "2026-09-30", "campaign": "Brand", "impressions": 999, "clicks": 99, "spend": 999.0, "conversions": 9},
]


def test_campaigns_that_spent_biggest_first_with_their_cost_per_conversion() -> None:
    result = campaign_table(client(ads=table("ads", ROWS, source="google-ads")), Period.parse("2026-10"))
    assert result is not None
    frame = pd.DataFrame(ROWS)
    october = frame[frame["date"].str.startswith("2026-10")].groupby("campaign")[
        ["spend", "impressions", "clicks", "conversions"]].sum()
    october = october[october["spend"] > 0].sort_values("spend", ascending=False)
    assert list(result.totals.index) == list(october.index) == ["Shop", "Brand"]
    for column in ("spend", "impressions", "clicks", "conversions"):
        assert result.totals[column].tolist() == pytest.approx(october[column].tolist()), column
    assert result.cpa.tolist() == pytest.approx((october["spend"] / october["conversions"]).tolist())
    assert result.spend == pytest.approx(october["spend"].sum())
    assert result.platforms["Brand"] == "google-ads"
    assert "cpa" in CAMPAIGN_METRICS


def test_a_client_without_ad_data_has_no_campaign_table() -> None:
    assert campaign_table(client(), Period.parse("2026-10")) is None
