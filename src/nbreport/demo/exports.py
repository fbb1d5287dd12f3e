"""Writers that save the demo's numbers the way the real tools export them.

The generator draws the numbers; these functions only shape them: Google Ads
report downloads (title rows, ``1,234`` thousands separators, ``Total:`` rows) or
API reports (money in micros), Meta Ads Manager exports (``Amount spent (USD)``),
LinkedIn Campaign Manager reports (a title block, M/D/YYYY dates), GA4 CSV exports
(``#`` comment lines, YYYYMMDD dates), a Shopify orders export (one row per line
item), HubSpot and Salesforce CRM exports (their stage names, a locale's dates, a
report footer), Typeform responses (CSV or XLSX) and Delighted API responses (JSON
lines, Unix timestamps). Cosmetic details (times of day, extra line items) come
from a random generator of their own, so the numbers stay those of the profile.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from nbreport.core.files import write_atomic
from nbreport.demo.profiles import DEMO_END, DEMO_START

SECONDS_PER_DAY = 86_400
RANGE_TEXT = f"{DEMO_START:%B} {DEMO_START.day}, {DEMO_START.year} - {DEMO_END:%B} {DEMO_END.day}, {DEMO_END.year}"
HUBSPOT_STAGES = {"lead": "Appointment scheduled", "opportunity": "Presentation scheduled",
                  "won": "Closed won", "lost": "Closed lost"}
HUBSPOT_SOURCES = {"Paid Search": "Paid search", "Paid Social": "Paid social",
                   "Organic Search": "Organic search", "Direct": "Direct traffic",
                   "Email": "Email marketing", "Referral": "Referrals"}
SALESFORCE_STAGES = {"lead": "Prospecting", "opportunity": "Proposal/Price Quote",
                     "won": "Closed Won", "lost": "Closed Lost"}
TYPEFORM_QUESTIONS = {
    "csat": "How satisfied are you with us?",
    "comment": "Anything we could do better?",
    "segment": "Which describes you best?",
}


def _thousands(values: pd.Series, decimals: int) -> pd.Series:
    return values.map(lambda v: f"{v:,.{decimals}f}")


def _write_csv(frame: pd.DataFrame, path: Path, preamble: str = "", footer: str = "") -> Path:
    write_atomic(path, preamble + frame.to_csv(index=False, lineterminator="\n") + footer)
    return path


def google_ads_report(ads: pd.DataFrame, currency: str, path: Path) -> Path:
    """The Google Ads UI's report download: a title row, the date range, totals at the end."""
    frame = pd.DataFrame({
        "Day": ads["date"], "Campaign": ads["campaign"], "Campaign type": ads["campaign_type"],
        "Currency code": currency, "Impr.": _thousands(ads["impressions"], 0),
        "Clicks": _thousands(ads["clicks"], 0), "Cost": _thousands(ads["spend"], 2),
        "Conversions": _thousands(ads["conversions"], 2),
        "Conv. value": _thousands(ads["conversion_value"], 2),
    })
    totals = pd.DataFrame([{
        "Day": f"Total: {label}", "Campaign": "--", "Campaign type": "--", "Currency code": currency,
        "Impr.": f"{rows['impressions'].sum():,.0f}", "Clicks": f"{rows['clicks'].sum():,.0f}",
        "Cost": f"{rows['spend'].sum():,.2f}", "Conversions": f"{rows['conversions'].sum():,.2f}",
        "Conv. value": f"{rows['conversion_value'].sum():,.2f}",
    } for label, rows in [("Account", ads), *ads.groupby("campaign_type", sort=True)]])
    return _write_csv(pd.concat([frame, totals], ignore_index=True), path,
                      preamble=f"Campaign report\n\"{RANGE_TEXT}\"\n")


def google_ads_api(ads: pd.DataFrame, currency: str, path: Path) -> Path:
    """A Google Ads API (GAQL) report saved as CSV: field names as the API spells them, micros."""
    frame = pd.DataFrame({
        "segments.date": ads["date"], "campaign.name": ads["campaign"],
        "campaign.advertising_channel_type": ads["campaign_type"].str.upper().str.replace(" ", "_"),
        "customer.currency_code": currency, "metrics.impressions": ads["impressions"],
        "metrics.clicks": ads["clicks"],
        "metrics.cost_micros": np.round(ads["spend"].to_numpy() * 1e6).astype("int64"),
        "metrics.conversions": ads["conversions"].astype(float),
        "metrics.conversions_value": ads["conversion_value"],
    })
    return _write_csv(frame, path)


def meta_ads_export(ads: pd.DataFrame, currency: str, path: Path) -> Path:
    """Ads Manager's export of the campaigns table broken down by day."""
    frame = pd.DataFrame({
        "Reporting starts": DEMO_START.isoformat(), "Reporting ends": DEMO_END.isoformat(),
        "Day": ads["date"], "Campaign name": ads["campaign"], "Objective": ads["campaign_type"],
        f"Amount spent ({currency})": ads["spend"].map("{:.2f}".format),
        "Impressions": ads["impressions"], "Link clicks": ads["clicks"],
        "Purchases": ads["conversions"], "Purchases conversion value": ads["conversion_value"],
    })
    return _write_csv(frame, path)


def linkedin_ads_export(ads: pd.DataFrame, currency: str, path: Path) -> Path:
    """Campaign Manager's campaign performance report: a title block, M/D/YYYY dates."""
    days = pd.to_datetime(ads["date"])
    frame = pd.DataFrame({
        "Start Date (in UTC)": [f"{d.month}/{d.day}/{d.year}" for d in days],
        "Account Name": "Ledgerline Ltd", "Campaign Group Name": "Always on",
        "Campaign Name": ads["campaign"],
        "Campaign ID": ads["campaign"].map(lambda name: 500000000 + sum(map(ord, name))),
        "Campaign Type": ads["campaign_type"], "Currency": currency,
        "Total Spent": ads["spend"].map("{:.2f}".format), "Impressions": ads["impressions"],
        "Clicks": ads["clicks"], "Conversions": ads["conversions"],
        "Conversion Value": ads["conversion_value"].map("{:.2f}".format),
    })
    preamble = (f"Campaign Performance Report (in UTC)\n"
                f"\"Report Start: {DEMO_START.month}/{DEMO_START.day}/{DEMO_START.year}, 12:00 AM\"\n"
                f"\"Report End: {DEMO_END.month}/{DEMO_END.day}/{DEMO_END.year}, 11:59 PM\"\n\n")
    return _write_csv(frame, path, preamble=preamble)


def ga4_export(web: pd.DataFrame, client_name: str, path: Path) -> Path:
    """A GA4 traffic-acquisition report exported as CSV."""
    frame = pd.DataFrame({
        "Session default channel group": web["channel"],
        "Date": web["date"].str.replace("-", "", regex=False),
        "Sessions": web["sessions"], "Total users": web["users"], "New users": web["new_users"],
        "Key events": web["conversions"], "Total revenue": web["revenue"].map("{:.2f}".format),
    })
    preamble = ("# ----------------------------------------\n"
                "# Traffic acquisition: Session default channel group\n"
                f"# Account: {client_name}\n# Property: {client_name} - GA4\n"
                "# ----------------------------------------\n#\n"
                f"# Start date: {DEMO_START:%Y%m%d}\n# End date: {DEMO_END:%Y%m%d}\n")
    return _write_csv(frame, path, preamble=preamble)


def shopify_orders(records: pd.DataFrame, currency: str, zone: str, rng: np.random.Generator,
                   path: Path) -> Path:
    """Shopify's orders export: one row per line item, order fields on the first row only."""
    n = len(records)
    local = (pd.to_datetime(records["date"]) + pd.to_timedelta(rng.integers(7 * 3600, 23 * 3600, n), "s"))
    created = local.dt.tz_localize(zone, ambiguous=False, nonexistent="shift_forward")
    stamp = created.dt.strftime("%Y-%m-%d %H:%M:%S %z")
    orders = pd.DataFrame({
        "Name": "#" + records["order_id"], "Email": [f"customer{i % 9973}@example.com" for i in range(n)],
        "Financial Status": "paid", "Paid at": stamp, "Fulfillment Status": "fulfilled",
        "Currency": currency, "Subtotal": records["revenue"].map("{:.2f}".format), "Shipping": "0.00",
        "Taxes": "0.00", "Total": records["revenue"].map("{:.2f}".format), "Discount Code": "",
        "Created at": stamp, "Lineitem quantity": 1, "Lineitem name": "Outdoor gear",
        "Tags": records["channel"],
    })
    extra = orders[rng.random(n) < 0.25].copy()
    for column in ("Financial Status", "Paid at", "Fulfillment Status", "Currency", "Subtotal",
                   "Shipping", "Taxes", "Total", "Discount Code", "Tags"):
        extra[column] = ""
    extra["Lineitem name"] = "Gift wrapping"
    rows = pd.concat([orders, extra]).sort_index(kind="stable")
    return _write_csv(rows, path)


def hubspot_deals(crm: pd.DataFrame, currency: str, rng: np.random.Generator, path: Path) -> Path:
    """A HubSpot deals view exported as CSV."""
    times = pd.to_timedelta(rng.integers(8 * 60, 19 * 60, len(crm)), "m")
    frame = pd.DataFrame({
        "Record ID": crm["lead_id"], "Deal Name": "Ledgerline - " + crm["lead_id"],
        "Pipeline": "Sales Pipeline", "Deal Stage": crm["stage"].map(HUBSPOT_STAGES),
        "Amount": crm["amount"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}"),
        "Deal currency code": currency,
        "Create Date": (pd.to_datetime(crm["date"]) + times).dt.strftime("%Y-%m-%d %H:%M"),
        "Close Date": crm["close_date"],
        "Original Traffic Source": crm["channel"].map(HUBSPOT_SOURCES),
    })
    return _write_csv(frame, path)


def salesforce_opportunities(crm: pd.DataFrame, path: Path) -> Path:
    """An opportunities report exported as CSV by a user with a German locale (DD.MM.YYYY)."""
    def day(text: pd.Series) -> pd.Series:
        return pd.to_datetime(text.replace("", None)).dt.strftime("%d.%m.%Y").fillna("")

    frame = pd.DataFrame({
        "Opportunity ID": crm["lead_id"], "Opportunity Name": "Booking " + crm["lead_id"],
        "Account Name": "Patient", "Stage": crm["stage"].map(SALESFORCE_STAGES),
        "Amount": crm["amount"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}"),
        "Close Date": day(crm["close_date"]), "Created Date": day(crm["date"]),
        "Lead Source": crm["channel"],
    })
    footer = (f"\n\"Grand Totals ({len(frame)} records)\"\n\n"
              "\"Confidential Information - Do Not Distribute\"\n"
              f"\"Copyright (c) 2000-{DEMO_END.year} salesforce.com, inc. All rights reserved.\"\n")
    return _write_csv(frame, path, footer=footer)


def typeform_responses(surveys: pd.DataFrame, rng: np.random.Generator, path: Path) -> Path:
    """Typeform's responses download: a column per question, then its own columns (CSV or XLSX)."""
    seconds = pd.to_timedelta(rng.integers(6 * 3600, 22 * 3600, len(surveys)), "s")
    submitted = pd.to_datetime(surveys["date"]) + seconds
    frame = pd.DataFrame({
        "#": surveys["response_id"],
        TYPEFORM_QUESTIONS["csat"]: surveys["score"],
        TYPEFORM_QUESTIONS["comment"]: surveys["comment"],
        TYPEFORM_QUESTIONS["segment"]: surveys["segment"],
        "Start Date (UTC)": (submitted - pd.Timedelta(minutes=2)).dt.strftime("%Y-%m-%d %H:%M:%S"),
        "Submit Date (UTC)": submitted.dt.strftime("%Y-%m-%d %H:%M:%S"),
        "Network ID": [f"{value:010x}" for value in rng.integers(0, 2**40, len(surveys))],
    })
    if path.suffix == ".xlsx":
        workbook = io.BytesIO()
        frame.to_excel(workbook, index=False, sheet_name="Responses")
        write_atomic(path, _fixed_timestamps(workbook.getvalue()))
        return path
    return _write_csv(frame, path)


def _fixed_timestamps(workbook: bytes) -> bytes:
    """An xlsx file's bytes with fixed dates inside, so the same profile gives the same bytes."""
    stamp = f"{DEMO_END.isoformat()}T00:00:00Z"
    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    rewritten = io.BytesIO()
    with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            target.writestr(zipfile.ZipInfo(name, date_time=(DEMO_END.year, DEMO_END.month,
                                                             DEMO_END.day, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    return rewritten.getvalue()


def delighted_responses(surveys: pd.DataFrame, rng: np.random.Generator, path: Path) -> Path:
    """Delighted's survey responses as the API lists them, one JSON object per line."""
    midnight = (pd.to_datetime(surveys["date"]) - pd.Timestamp(0)) // pd.Timedelta(seconds=1)
    created = midnight.to_numpy() + rng.integers(0, SECONDS_PER_DAY, len(surveys))
    lines = []
    for row, timestamp in zip(surveys.itertuples(index=False), created):
        lines.append(json.dumps({
            "id": row.response_id, "person": f"p{zlib.crc32(row.response_id.encode()) % 10**6}",
            "survey_type": row.scale, "score": int(row.score), "comment": row.comment or None,
            "permalink": f"https://app.delighted.example/r/{row.response_id}",
            "created_at": int(timestamp), "updated_at": None,
            "person_properties": {"Plan": row.segment}, "notes": [], "tags": [],
        }) + "\n")
    write_atomic(path, "".join(lines))
    return path
