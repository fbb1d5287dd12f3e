"""Every preset on a file shaped like its tool's real export: title blocks, totals, units, dates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pytest

from nbreport.sources import PRESETS, SourceSpec, load_source

T = pd.Timestamp

GOOGLE_ADS_UI = """Campaign performance report
"October 1, 2026 - October 2, 2026"
Day,Campaign,Campaign type,Currency code,Impr.,Clicks,Cost,Conversions,Conv. value
2026-10-01,Brand Search,Search,USD,"12,408","1,210","2,146.30",48.50,"3,880.00"
2026-10-02,Brand Search,Search,USD,"11,002",980,"1,904.05",41.00, --
Total: Account,--,--,USD,"23,410","2,190","4,050.35",89.50,"3,880.00"
Total: Search,--,--,USD,"23,410","2,190","4,050.35",89.50,"3,880.00"
"""

GOOGLE_ADS_API = """segments.date,campaign.name,campaign.advertising_channel_type,customer.currency_code,metrics.impressions,metrics.clicks,metrics.cost_micros,metrics.conversions,metrics.conversions_value
2026-10-01,PMax - Sale,PERFORMANCE_MAX,GBP,5400,120,2146300000,4.5,910.2
2026-10-01,Search - Brand,SEARCH,GBP,900,80,65120000,3.0,600.0
"""

META = """Reporting starts,Reporting ends,Day,Campaign name,Objective,Amount spent (EUR),Impressions,Link clicks,Purchases,Purchases conversion value
2026-10-01,2026-10-31,2026-10-01,Prospecting - Lookalike,Sales,412.55,18230,231,6,540.00
2026-10-01,2026-10-31,2026-10-02,Prospecting - Lookalike,Sales,12.40,800,,,
"""

LINKEDIN = """Campaign Performance Report (in UTC)
"Report Start: 10/1/2026, 12:00 AM"
"Report End: 10/2/2026, 11:59 PM"
"Date Generated: 10/3/2026, 9:15 AM"

Start Date (in UTC),Account Name,Campaign Group Name,Campaign Name,Campaign ID,Campaign Type,Currency,Total Spent,Impressions,Clicks,Conversions,Leads
10/1/2026,Ledgerline Ltd,Always on,Finance Directors,512345,Sponsored Content,GBP,412.55,"18,230",97,4,3
10/2/2026,Ledgerline Ltd,Always on,Finance Directors,512345,Sponsored Content,GBP,398.10,"17,004",88,2,2
"""

MICROSOFT = """"Report Name: Campaign performance"
"Report Time: 10/3/2026 9:00:00 AM"
"Time Zone: (GMT-05:00) Eastern Time (US & Canada)"
"Report Aggregation: Daily"
"Rows: 2"

"TimePeriod","CampaignName","CampaignType","CurrencyCode","Impressions","Clicks","Spend","Conversions","Revenue"
"2026-10-01","Brand","Search & content","USD","5400","310","402.10","12","980.00"
"2026-10-02","Brand","Search & content","USD","5100","290","388.00","9","720.50"

"\u00a92026 Microsoft Corporation. All rights reserved. "
"""

GA4 = """# ----------------------------------------
# Traffic acquisition: Session default channel group
# Account: Northwind
# Property: Northwind - GA4
# ----------------------------------------
#
# Start date: 20261001
# End date: 20261002
Session default channel group,Date,Sessions,Engaged sessions,Total users,New users,Key events,Total revenue
Organic Search,20261001,2410,1603,1980,1204,41,3520.55
Paid Search,20261001,1102,840,950,610,22,1980.00
Organic Search,20261002,2350,1580,1930,1187,38,3101.10
"""

HUBSPOT = """Record ID,Deal Name,Deal Stage,Amount,Create Date,Close Date,Original Traffic Source,Pipeline
1801,Acme - renewal,Closed won,4200,2026-09-14 10:22,2026-10-02 16:05,Paid search,Sales Pipeline
1802,Globex - new,Presentation scheduled,,2026-10-01 09:00,,Organic search,Sales Pipeline
1803,Initech - new,Appointment scheduled,,2026-10-02 11:45,,Direct traffic,Sales Pipeline
1804,Umbrella - new,Closed lost,,2026-09-20 14:00,2026-10-01 12:00,Referrals,Sales Pipeline
"""

SALESFORCE = """"Opportunity Owner","Account Name","Opportunity Name","Stage","Amount","Probability (%)","Close Date","Created Date","Lead Source","Opportunity ID"
"Dana Lee","Acme","Acme - Q4","Closed Won","12000.00","100","10/2/2026","9/15/2026","Web","0065g00000AbCdE"
"Dana Lee","Globex","Globex - pilot","Qualification","5000.00","10","12/31/2026","10/1/2026","Partner Referral","0065g00000AbCdF"
"Sam Ortiz","Initech","Initech - expansion","Negotiation/Review","8000.00","90","11/30/2026","10/2/2026","Phone Inquiry","0065g00000AbCdG"

"Grand Totals (3 records)"

"Confidential Information - Do Not Distribute"
"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."
"""

ZENDESK = """Id,Requester,Organization,Subject,Status,Priority,Via,Ticket type,Created at,Updated at,Solved at,Satisfaction Score,First reply time in minutes
4101,Ana,Acme,Cannot log in,Solved,High,Email,Incident,2026-10-01 09:12:00,2026-10-01 11:00:00,2026-10-01 10:40:00,Good,18
4102,Ben,Globex,Export broken,Open,Normal,Web form,Problem,2026-10-01 23:30:00,2026-10-02 08:00:00,,Unoffered,
4103,Cai,Acme,Invoice copy,Closed,Low,Chat,Question,2026-10-02 08:00:00,2026-10-03 08:00:00,2026-10-02 08:30:00,Bad,5
"""

TYPEFORM = """#,How likely are you to recommend us to a friend?,What is the main reason for your score?,Start Date (UTC),Submit Date (UTC),Network ID
a1b2c3,9,"Fast, friendly support",2026-10-01 08:59:10,2026-10-01 09:00:02,4f1e2d
d4e5f6,3,"Too expensive
and slow",2026-10-02 17:20:00,2026-10-02 17:21:45,9a8b7c
"""

SHOPIFY = """Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Created at,Lineitem quantity,Lineitem name,Tags
#1001,a@example.com,paid,2026-10-01 23:10:00 -0400,fulfilled,USD,80.00,5.00,6.40,91.40,,2026-10-01 23:10:00 -0400,1,Tent,Paid Search
#1001,a@example.com,,,,,,,,,,2026-10-01 23:10:00 -0400,2,Tent pegs,
#1002,b@example.com,refunded,2026-10-02 08:00:00 -0400,fulfilled,USD,40.00,0.00,3.20,43.20,WELCOME,2026-10-02 08:00:00 -0400,1,Mug,Email
"""

DELIGHTED = "".join(json.dumps(row) + "\n" for row in (
    {"id": "1", "person": "10", "survey_type": "nps", "score": 10, "comment": "Love it",
     "permalink": "https://delighted.example/r/1", "created_at": 1791190800, "updated_at": None,
     "person_properties": {"Plan": "Growth"}, "notes": [], "tags": [], "additional_answers": []},
    {"id": "2", "person": "11", "survey_type": "nps", "score": 4, "comment": None,
     "permalink": "https://delighted.example/r/2", "created_at": 1791244799, "updated_at": None,
     "person_properties": {"Plan": "Starter"}, "notes": [], "tags": [], "additional_answers": []},
))


def _ads_checks(spend: float, currency: str, channel: str, dates: list[str]) -> Callable[[pd.DataFrame], None]:
    def check(frame: pd.DataFrame) -> None:
        assert frame["spend"].sum() == pytest.approx(spend)
        assert set(frame["currency"]) == {currency} and set(frame["channel"]) == {channel}
        assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == dates
    return check


def _google_ui(frame: pd.DataFrame) -> None:
    _ads_checks(4050.35, "USD", "Paid Search", ["2026-10-01", "2026-10-02"])(frame)
    assert frame["impressions"].tolist() == [12408, 11002] and frame["clicks"].tolist() == [1210, 980]
    assert frame["conversion_value"].tolist() == [3880.0, 0.0]  # "--": no value, and the default applies


def _google_api(frame: pd.DataFrame) -> None:
    _ads_checks(2211.42, "GBP", "Paid Search", ["2026-10-01", "2026-10-01"])(frame)
    assert frame["spend"].tolist() == [2146.3, 65.12]  # micros divided exactly
    assert frame["campaign_type"].tolist() == ["Performance Max", "Search"]


def _meta(frame: pd.DataFrame) -> None:
    _ads_checks(424.95, "EUR", "Paid Social", ["2026-10-01", "2026-10-02"])(frame)
    assert frame["clicks"].tolist() == [231, 0] and frame["conversions"].tolist() == [6, 0]


def _linkedin(frame: pd.DataFrame) -> None:
    _ads_checks(810.65, "GBP", "Paid Social", ["2026-10-01", "2026-10-02"])(frame)
    assert frame["impressions"].sum() == 35234 and frame["campaign_type"].iloc[0] == "Sponsored Content"


def _microsoft(frame: pd.DataFrame) -> None:
    _ads_checks(790.10, "USD", "Paid Search", ["2026-10-01", "2026-10-02"])(frame)
    assert frame["conversion_value"].sum() == pytest.approx(1700.5)


def _ga4(frame: pd.DataFrame) -> None:
    assert frame["sessions"].sum() == 5862 and frame["users"].sum() == 4860
    assert frame["conversions"].sum() == 101 and frame["revenue"].sum() == pytest.approx(8601.65)
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-01", "2026-10-02"]


def _hubspot(frame: pd.DataFrame) -> None:
    assert frame["stage"].tolist() == ["won", "opportunity", "lead", "lost"]
    assert frame["channel"].tolist() == ["Paid Search", "Organic Search", "Direct", "Referral"]
    assert frame["close_date"].iloc[0] == T("2026-10-02") and frame["date"].iloc[0] == T("2026-09-14")
    assert frame["amount"].iloc[0] == 4200 and frame["amount"].iloc[1:].isna().all()


def _salesforce(frame: pd.DataFrame) -> None:
    assert frame["stage"].tolist() == ["won", "lead", "opportunity"]
    assert frame["lead_id"].tolist() == ["0065g00000AbCdE", "0065g00000AbCdF", "0065g00000AbCdG"]
    assert frame["date"].tolist() == [T("2026-09-15"), T("2026-10-01"), T("2026-10-02")]
    assert frame["close_date"].iloc[0] == T("2026-10-02")


def _zendesk(frame: pd.DataFrame) -> None:
    assert frame["ticket_id"].tolist() == ["4101", "4102", "4103"]
    assert frame["status"].tolist() == ["solved", "open", "closed"]
    assert frame["date"].tolist() == [T("2026-10-01"), T("2026-10-01"), T("2026-10-02")]
    # the account's times are New York times: stored as UTC
    assert frame["created_at"].iloc[0] == T("2026-10-01 13:12") and frame["resolved_at"].iloc[0] == T("2026-10-01 14:40")
    assert frame["first_response_at"].iloc[0] == T("2026-10-01 13:30") and pd.isna(frame["first_response_at"].iloc[1])
    assert frame["satisfaction"].iloc[0] == 1 and pd.isna(frame["satisfaction"].iloc[1])
    assert frame["satisfaction"].iloc[2] == 0 and frame["account_id"].iloc[0] == "Acme"


def _delighted(frame: pd.DataFrame) -> None:
    assert frame["date"].tolist() == [T("2026-10-05"), T("2026-10-05")]  # Unix times, days in UTC
    assert frame["score"].tolist() == [10, 4] and frame["scale"].tolist() == ["nps", "nps"]
    assert frame["segment"].tolist() == ["Growth", "Starter"] and frame["comment"].tolist() == ["Love it", ""]


def _typeform(frame: pd.DataFrame) -> None:
    assert frame["score"].tolist() == [9, 3] and frame["response_id"].tolist() == ["a1b2c3", "d4e5f6"]
    assert frame["comment"].iloc[1] == "Too expensive\nand slow"
    assert frame["date"].tolist() == [T("2026-10-01"), T("2026-10-02")]


def _shopify(frame: pd.DataFrame) -> None:
    assert frame["order_id"].tolist() == ["#1001", "#1002"] and frame["revenue"].sum() == pytest.approx(134.6)
    assert frame["date"].tolist() == [T("2026-10-01"), T("2026-10-02")]  # the shop's day, not UTC's


CASES: dict[str, tuple[str, str, dict[str, Any], Callable[[pd.DataFrame], None]]] = {
    "google_ads": ("campaigns.csv", GOOGLE_ADS_UI, {}, _google_ui),
    "google_ads_api": ("gaql.csv", GOOGLE_ADS_API, {}, _google_api),
    "meta_ads": ("meta.csv", META, {}, _meta),
    "linkedin_ads": ("linkedin.csv", LINKEDIN, {}, _linkedin),
    "microsoft_ads": ("bing.csv", MICROSOFT, {}, _microsoft),
    "ga4": ("ga4.csv", GA4, {}, _ga4),
    "hubspot_deals": ("deals.csv", HUBSPOT, {}, _hubspot),
    "salesforce_opportunities": ("opportunities.csv", SALESFORCE, {}, _salesforce),
    "zendesk_tickets": ("tickets.csv", ZENDESK, {"timezone": "America/New_York"}, _zendesk),
    "delighted": ("responses.jsonl", DELIGHTED, {"mapping": {"rename": {"person_properties.Plan": "segment"}}},
                  _delighted),
    "typeform": ("responses.csv", TYPEFORM, {"mapping": {
        "rename": {"How likely are you to recommend us to a friend?": "score",
                   "What is the main reason for your score?": "comment"},
        "constants": {"scale": "nps"}}}, _typeform),
    "shopify_orders": ("orders.csv", SHOPIFY, {"unique_key": ["Name"]}, _shopify),
}


def test_every_preset_has_a_case_and_cites_its_documentation() -> None:
    assert set(CASES) == set(PRESETS)
    for preset in PRESETS.values():
        assert preset.docs and all(doc.startswith("https://") for doc in preset.docs), preset.name


@pytest.mark.parametrize("name", sorted(CASES))
def test_preset_reads_the_tools_export(tmp_path: Path, name: str) -> None:
    file, content, fields, check = CASES[name]
    (tmp_path / file).write_text(content, encoding="utf-8")
    source = SourceSpec.model_validate({"name": "export", "kind": PRESETS[name].kind, "path": file,
                                        "preset": name, **fields})
    frame, record = load_source(source, tmp_path)
    check(frame)
    assert record.preset == name and record.rows_used == len(frame)


def test_left_out_rows_are_said(tmp_path: Path) -> None:
    (tmp_path / "campaigns.csv").write_text(GOOGLE_ADS_UI)
    (tmp_path / "opportunities.csv").write_text(SALESFORCE)
    _, google = load_source(SourceSpec(name="g", kind="ads", path="campaigns.csv", preset="google_ads"), tmp_path)
    assert [w.message for w in google.warnings] == [
        "2 rows left out: 'Day' matches ^Total (not data in a Google Ads export).",
        "1 blank 'Conv. value' read as 0 (read as conversion_value)."]  # Google's "--"
    _, salesforce = load_source(SourceSpec(name="s", kind="crm", path="opportunities.csv",
                                           preset="salesforce_opportunities"), tmp_path)
    assert [w.message for w in salesforce.warnings] == [
        "3 rows left out: lines that are no data rows, such as 'Grand Totals (3 records)'; "
        "'Confidential Information - Do Not Distribute'; 'Copyright (c) 2000-2026 salesforce.com, "
        "inc. All rights reserved.'."]


def test_params_mapping_refines_a_preset(tmp_path: Path) -> None:
    german = SALESFORCE.replace("10/2/2026", "02.10.2026").replace("9/15/2026", "15.09.2026") \
        .replace("10/1/2026", "01.10.2026").replace("12/31/2026", "31.12.2026") \
        .replace("11/30/2026", "30.11.2026")
    (tmp_path / "opportunities.csv").write_text(german)
    source = SourceSpec.model_validate({
        "name": "s", "kind": "crm", "path": "opportunities.csv", "preset": "salesforce_opportunities",
        "mapping": {"date_format": "%d.%m.%Y", "constants": {"channel": "Referral"},
                    "values": {"stage": {"Qualification": "opportunity"}}}})
    frame, _ = load_source(source, tmp_path)
    assert frame["date"].iloc[0] == T("2026-09-15") and set(frame["channel"]) == {"Referral"}
    assert frame["stage"].tolist() == ["won", "opportunity", "opportunity"]
    with pytest.raises(Exception, match="preset hubspot_deals makes crm data, not ads"):
        SourceSpec.model_validate({"name": "x", "kind": "ads", "path": "a.csv", "preset": "hubspot_deals"})
