"""The demo's raw exports read with plain pandas, as an analyst checking a report would.

Deliberately independent of ``nbreport.sources`` (no presets, no readers): tests compare
the report's numbers with these, so a bug in the data layer shows up as a difference.
Each function reads one tool's export shape (written by src/nbreport/demo/exports.py)
into a small frame with an ISO ``date`` string (the day the export writes) and plainly
named columns.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

# HubSpot's "Original Traffic Source" names of the channel groups the demo uses
HUBSPOT_CHANNELS = {"Paid search": "Paid Search", "Paid social": "Paid Social",
                    "Organic search": "Organic Search", "Direct traffic": "Direct",
                    "Email marketing": "Email", "Referrals": "Referral"}


def in_month(frame: pd.DataFrame, month: str = "2026-10") -> pd.DataFrame:
    """The rows dated in ``month`` (YYYY-MM)."""
    return frame[frame["date"].str.startswith(month)]


def _ads(frame: pd.DataFrame, channel: str) -> pd.DataFrame:
    return frame.assign(channel=channel)[["date", "campaign", "channel", "spend", "conversions"]]


def google_ads_report(path: Path) -> pd.DataFrame:
    """Google Ads UI download: two title rows, ``1,234`` numbers, ``Total:`` rows at the end."""
    raw = pd.read_csv(path, skiprows=2, thousands=",")
    raw = raw[~raw["Day"].str.startswith("Total")]
    return _ads(raw.rename(columns={"Day": "date", "Campaign": "campaign", "Cost": "spend",
                                    "Conversions": "conversions"}), "Paid Search")


def google_ads_api(path: Path) -> pd.DataFrame:
    """Google Ads API (GAQL) report: field names as the API spells them, cost in micros."""
    raw = pd.read_csv(path)
    return _ads(pd.DataFrame({"date": raw["segments.date"], "campaign": raw["campaign.name"],
                              "spend": raw["metrics.cost_micros"] / 1e6,
                              "conversions": raw["metrics.conversions"]}), "Paid Search")


def meta_ads(path: Path) -> pd.DataFrame:
    """Meta Ads Manager export by day; spend in ``Amount spent (<currency>)``."""
    raw = pd.read_csv(path)
    spend = next(column for column in raw.columns if column.startswith("Amount spent"))
    return _ads(raw.rename(columns={"Day": "date", "Campaign name": "campaign", spend: "spend",
                                    "Purchases": "conversions"}), "Paid Social")


def linkedin_ads(path: Path) -> pd.DataFrame:
    """LinkedIn Campaign Manager report: a title block of four lines, M/D/YYYY dates."""
    raw = pd.read_csv(path, skiprows=4)
    days = pd.to_datetime(raw["Start Date (in UTC)"], format="%m/%d/%Y").dt.strftime("%Y-%m-%d")
    return _ads(raw.assign(date=days).rename(columns={"Campaign Name": "campaign", "Total Spent": "spend",
                                                      "Conversions": "conversions"}), "Paid Social")


def ledgerline_ads(folder: Path) -> pd.DataFrame:
    """The B2B demo client's paid media: Google Ads (API report) and LinkedIn together."""
    return pd.concat([google_ads_api(folder / "google-ads.csv"), linkedin_ads(folder / "linkedin-ads.csv")],
                     ignore_index=True)


def ga4(path: Path) -> pd.DataFrame:
    """GA4 traffic-acquisition CSV: ``#`` comment lines, YYYYMMDD dates."""
    raw = pd.read_csv(path, comment="#", dtype={"Date": str})
    days = pd.to_datetime(raw["Date"], format="%Y%m%d").dt.strftime("%Y-%m-%d")
    return pd.DataFrame({"date": days, "channel": raw["Session default channel group"],
                         "sessions": raw["Sessions"], "conversions": raw["Key events"]})


def shopify_orders(path: Path) -> pd.DataFrame:
    """Shopify orders export: one row per line item, the order's fields on its first row only."""
    raw = pd.read_csv(path, keep_default_na=False)
    orders = raw[raw["Financial Status"] != ""]
    return pd.DataFrame({"date": orders["Created at"].str[:10], "order_id": orders["Name"],
                         "revenue": pd.to_numeric(orders["Total"]), "channel": orders["Tags"]})


def hubspot_deals(path: Path) -> pd.DataFrame:
    """HubSpot deals view: every deal is a lead, dated by its create date."""
    raw = pd.read_csv(path)
    return pd.DataFrame({"date": raw["Create Date"].str[:10],
                         "channel": raw["Original Traffic Source"].map(HUBSPOT_CHANNELS),
                         "stage": raw["Deal Stage"]})


def delighted(path: Path) -> pd.DataFrame:
    """Delighted API responses, one JSON object per line; ``created_at`` in Unix seconds (UTC)."""
    raw = pd.DataFrame([json.loads(line) for line in path.read_text().splitlines()])
    days = pd.to_datetime(raw["created_at"], unit="s").dt.strftime("%Y-%m-%d")
    return pd.DataFrame({"date": days, "scale": raw["survey_type"], "score": raw["score"]})


def nps(scores: pd.Series) -> float:
    """Net Promoter Score: share of 9-10 minus share of 0-6, in points."""
    return 100 * ((scores >= 9).sum() - (scores <= 6).sum()) / len(scores)


def churned_in_october(path: Path) -> tuple[int, int]:
    """From account snapshots: customers active on 30 September, and how many of them the
    31 October snapshot shows as churned."""
    snapshots = pd.read_csv(path)
    september = snapshots[(snapshots["date"] == "2026-09-30") & (snapshots["status"] == "active")]
    october = snapshots[snapshots["date"] == "2026-10-31"].set_index("account_id")["status"]
    return len(september), int(october.reindex(september["account_id"]).eq("churned").sum())
