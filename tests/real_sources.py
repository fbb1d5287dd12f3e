"""How the public real files in ../shared/data/real are read: one SourceSpec each, for every test.

The data-layer tests (test_sources_real.py) and the metric tests load the same files; they
share these specs so that both read them the same way. Every spec says only what a params
file could say: no code knows these files. See the files' MANIFEST.md for their traps.
"""

from __future__ import annotations

from typing import Any

from nbreport.sources import SourceSpec


def source(**fields: Any) -> SourceSpec:
    return SourceSpec.model_validate(fields)


def facebook_ads(name: str, conversions: str) -> SourceSpec:
    """KAG: one row per ad, no date, no revenue; the same file read for two conversion counts
    (``Total_Conversion`` reported by Facebook, ``Approved_Conversion`` confirmed by the advertiser)."""
    return source(name=name, kind="ads", path="KAG_conversion_data.csv", unique_key=["ad_id"],
                  mapping={"rename": {"xyz_campaign_id": "campaign", "Impressions": "impressions",
                                      "Clicks": "clicks", "Spent": "spend", conversions: "conversions"},
                           "constants": {"date": "2017-08-31", "channel": "Paid Social"}})


AB_TEST: dict[str, Any] = {"kind": "ads", "mapping": {
    "rename": {"Campaign Name": "campaign", "Date": "date",
               r"re:Spend \[(?P<currency>[A-Z]{3})\]": "spend", "# of Impressions": "impressions",
               "# of Website Clicks": "clicks", "# of Purchase": "conversions"}}}

# a review can cover several orders: the file's grain is review and order
OLIST: dict[str, Any] = {
    "name": "reviews", "kind": "survey", "path": "olist_order_reviews_sample.csv",
    "unique_key": ["review_id", "order_id"], "mapping": {
        "rename": {"review_id": "response_id", "review_score": "score", "review_creation_date": "date",
                   "review_comment_message": "comment"},
        "constants": {"scale": "csat"}}}

NPS: dict[str, Any] = {
    "name": "nps", "kind": "survey", "path": "nps_survey_responses_practice.csv", "mapping": {
        "rename": {"ID": "response_id", "Survey date": "date", "NPS": "score", "Market": "segment"},
        "constants": {"scale": "nps"}}}

# a one-off churn extract: every customer once, "Churn" says who left in the last month
TELCO: dict[str, Any] = {
    "name": "customers", "kind": "accounts", "path": "telco_customer_churn.csv", "mapping": {
        "rename": {"customerID": "account_id", "Churn": "status", "MonthlyCharges": "mrr",
                   "Contract": "segment", "InternetService": "plan"},
        "values": {"status": {"Yes": "churned", "No": "active"}},
        "constants": {"date": "2018-01-31"}}}
