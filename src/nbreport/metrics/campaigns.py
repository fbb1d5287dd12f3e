"""Where the media money went: spend and results by campaign over the reported period."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nbreport.core.period import Period
from nbreport.metrics.daily import daily_metrics, metric_value, period_totals
from nbreport.sources.loader import ClientData

CAMPAIGN_METRICS = ("spend", "impressions", "clicks", "conversions", "cpa")


@dataclass(frozen=True)
class CampaignTable:
    """Per campaign with spend in the period, biggest spend first.

    Attributes
    ----------
    totals:
        Index: campaign; columns: the summed metrics of :data:`CAMPAIGN_METRICS`.
    cpa:
        Cost per platform-reported conversion, per campaign (a ratio of the sums).
    platforms:
        Campaign -> the source (ad platform) its rows came from.
    """

    totals: pd.DataFrame
    cpa: pd.Series
    platforms: pd.Series

    @property
    def spend(self) -> float:
        return float(self.totals["spend"].sum())


def campaign_table(data: ClientData, reported: Period) -> CampaignTable | None:
    """The campaigns that spent in ``reported`` (``None`` for a client without ad data)."""
    if not data.has("ads"):
        return None
    daily = daily_metrics(data, CAMPAIGN_METRICS, by="campaign")
    totals = period_totals(daily, reported)
    totals = totals[totals["spend"] > 0].sort_values("spend", ascending=False)
    platforms = data.table("ads").drop_duplicates("campaign").set_index("campaign")["source"]
    return CampaignTable(totals, metric_value(totals, "cpa"), platforms)
