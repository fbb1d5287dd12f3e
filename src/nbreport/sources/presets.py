"""Presets: how the tools agencies use write their exports.

``preset: google_ads`` on a source brings the tool's column names, date format,
units (micros), title rows and total rows; the source's own ``mapping`` refines it
(its renames, formats and constants win). Every preset cites where its column
names come from; where a tool offers several names for a column (UI download and
API), the first one the file has is used.

Kept free of pandas so that params validation can list the preset names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PresetName = Literal[
    "google_ads", "google_ads_api", "meta_ads", "linkedin_ads", "microsoft_ads", "ga4",
    "hubspot_deals", "salesforce_opportunities", "zendesk_tickets", "delighted", "typeform",
    "shopify_orders",
]

ISO_DAY = "%Y-%m-%d"


@dataclass(frozen=True)
class Preset:
    """What one tool's export looks like.

    Attributes
    ----------
    name, tool, kind:
        The preset's name in params, the tool's name for people, the canonical kind.
    docs:
        Where the column names, formats and units are documented.
    rename:
        Export column -> canonical column(s); for the same canonical column, the first
        export column present wins (UI and API names side by side).
    date_format, scale, constants, values, drop:
        As in :class:`nbreport.sources.spec.ColumnMapping`.
    null_values:
        Cells that mean "no value" in this tool's exports (Google Ads writes ``--``).
    header_contains:
        A cell of the header row, for exports with a title block above it.
    if_blank:
        What a blank cell means in this tool's exports (Meta leaves zero results blank).
    minutes_after:
        Canonical timestamp -> (canonical base timestamp, export column of minutes):
        for tools that export durations instead of times.
    unique_key:
        The export's grain when it is finer than the kind's.
    needs:
        What the user must add (e.g. which column holds the score), said in errors.
    """

    name: str
    tool: str
    kind: str
    docs: tuple[str, ...]
    rename: dict[str, str | tuple[str, ...]]
    date_format: str | tuple[str, ...] | None = None
    scale: dict[str, float] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    drop: dict[str, str] = field(default_factory=dict)
    null_values: tuple[str, ...] = ()
    header_contains: str | None = None
    minutes_after: dict[str, tuple[str, str]] = field(default_factory=dict)
    if_blank: dict[str, str] = field(default_factory=dict)
    unique_key: tuple[str, ...] | None = None
    needs: str = ""


GOOGLE_CAMPAIGN_TYPES = {
    "SEARCH": "Search", "SHOPPING": "Shopping", "PERFORMANCE_MAX": "Performance Max",
    "DISPLAY": "Display", "VIDEO": "Video", "LOCAL": "Local", "DEMAND_GEN": "Demand Gen",
    "MULTI_CHANNEL": "App", "SMART": "Smart",
}

HUBSPOT_SOURCES = {
    "Paid search": "Paid Search", "Organic search": "Organic Search", "Direct traffic": "Direct",
    "Paid social": "Paid Social", "Organic social": "Organic Social", "Social media": "Organic Social",
    "Email marketing": "Email", "Referrals": "Referral", "Offline sources": "Offline",
    "Other campaigns": "Other", "AI referrals": "Referral",
}

_PRESETS = (
    Preset(
        "google_ads", "Google Ads (report downloaded from the Google Ads UI)", "ads",
        docs=(
            "https://developers.google.com/adwords/api/docs/appendix/reports/campaign-performance-report"
            " (display names of report columns: Day, Campaign, Impr., Clicks, Cost, Currency)",
            "https://support.google.com/google-ads/answer/2375431 (downloading reports: a title "
            "row and a date-range row above the header; total rows at the end)",
        ),
        rename={
            "Day": "date", "Date": "date", "Campaign": "campaign", "Campaign type": "campaign_type",
            "Advertising channel": "campaign_type", "Impr.": "impressions",
            "Impressions": "impressions", "Clicks": "clicks", "Cost": "spend",
            "Conversions": "conversions", "Conv. value": "conversion_value",
            "Total conv. value": "conversion_value", "Currency code": "currency",
            "Currency": "currency",
        },
        date_format=(ISO_DAY, "%b %d, %Y"),
        constants={"channel": "Paid Search"},
        drop={"Day": "^Total", "Date": "^Total", "Campaign": "^Total"},
        null_values=("--", " --"),
        header_contains="Campaign",
    ),
    Preset(
        "google_ads_api", "Google Ads API (GAQL report, money in micros)", "ads",
        docs=(
            "https://developers.google.com/google-ads/api/fields/v17/metrics#metrics.cost_micros "
            "(cost_micros: cost in micros of the account currency)",
            "https://developers.google.com/google-ads/api/fields/v17/segments#segments.date "
            "(date as yyyy-MM-dd)",
            "https://cloud.google.com/bigquery/docs/google-ads-transformation (the same fields with "
            "underscores in BigQuery Data Transfer tables)",
        ),
        rename={
            "segments.date": "date", "segments_date": "date",
            "campaign.name": "campaign", "campaign_name": "campaign",
            "campaign.advertising_channel_type": "campaign_type",
            "campaign_advertising_channel_type": "campaign_type",
            "metrics.impressions": "impressions", "metrics_impressions": "impressions",
            "metrics.clicks": "clicks", "metrics_clicks": "clicks",
            "metrics.cost_micros": "spend", "metrics_cost_micros": "spend",
            "metrics.conversions": "conversions", "metrics_conversions": "conversions",
            "metrics.conversions_value": "conversion_value",
            "metrics_conversions_value": "conversion_value",
            "customer.currency_code": "currency", "customer_currency_code": "currency",
        },
        date_format=ISO_DAY,
        scale={"spend": 1e-6},
        constants={"channel": "Paid Search"},
        values={"campaign_type": GOOGLE_CAMPAIGN_TYPES},
    ),
    Preset(
        "meta_ads", "Meta Ads Manager (export of the campaigns table, broken down by day)", "ads",
        docs=(
            "https://www.facebook.com/business/help/1695754927158071 (Ads Manager reporting: export "
            "table data; 'Amount spent (<currency>)', 'Reporting starts', 'Day' breakdown)",
            "https://developers.facebook.com/docs/marketing-api/insights/parameters "
            "(API names: date_start, campaign_name, spend, impressions, inline_link_clicks)",
            "https://cloud.google.com/bigquery/docs/facebook-ads-transformation (account currency)",
        ),
        rename={
            "Day": "date", "Reporting starts": "date", "date_start": "date",
            "Campaign name": "campaign", "campaign_name": "campaign",
            "Objective": "campaign_type", "objective": "campaign_type",
            r"re:Amount spent \((?P<currency>[A-Z]{3})\)": "spend", "Amount spent": "spend",
            "spend": "spend", "Impressions": "impressions", "impressions": "impressions",
            "Link clicks": "clicks", "inline_link_clicks": "clicks",
            "Purchases": "conversions", "Website purchases": "conversions", "Results": "conversions",
            "Purchases conversion value": "conversion_value",
            "Website purchases conversion value": "conversion_value",
            "Currency": "currency", "account_currency": "currency",
        },
        date_format=ISO_DAY,
        constants={"channel": "Paid Social"},
        if_blank={"impressions": "zero", "clicks": "zero", "spend": "zero"},
    ),
    Preset(
        "linkedin_ads", "LinkedIn Campaign Manager (campaign performance report, daily)", "ads",
        docs=(
            "https://www.linkedin.com/help/lms/answer/a425287 (exporting Campaign Manager reports: "
            "a report title block above the header, dates as M/D/YYYY)",
            "https://twominutereports.com/linkedin-ads-metrics-and-dimensions ('Total Spent': cost "
            "in the account's local currency; Impressions; Clicks)",
            "https://learn.microsoft.com/linkedin/marketing/integrations/ads-reporting/ads-reporting "
            "(API names: costInLocalCurrency, externalWebsiteConversions)",
        ),
        rename={
            "Start Date (in UTC)": "date", "Start Date": "date", "Campaign Name": "campaign",
            "Campaign Type": "campaign_type", "Impressions": "impressions", "Clicks": "clicks",
            "Total Spent": "spend", "Amount Spent": "spend", "costInLocalCurrency": "spend",
            "Conversions": "conversions", "externalWebsiteConversions": "conversions",
            "Conversion Value": "conversion_value", "Total Conversion Value": "conversion_value",
            "Currency": "currency",
        },
        date_format=("%m/%d/%Y", ISO_DAY),
        constants={"channel": "Paid Social"},
        header_contains="Campaign Name",
    ),
    Preset(
        "microsoft_ads", "Microsoft Advertising (campaign performance report, daily)", "ads",
        docs=(
            "https://learn.microsoft.com/advertising/reporting-service/campaignperformancereportcolumn "
            "(TimePeriod, CampaignName, CampaignType, CurrencyCode, Impressions, Clicks, Spend, "
            "Conversions, Revenue)",
            "https://learn.microsoft.com/advertising/guides/reports (downloaded reports: header "
            "block of 'Report Name:', 'Rows:' lines, copyright footer)",
        ),
        rename={
            "TimePeriod": "date", "CampaignName": "campaign", "CampaignType": "campaign_type",
            "Impressions": "impressions", "Clicks": "clicks", "Spend": "spend",
            "Conversions": "conversions", "Revenue": "conversion_value", "CurrencyCode": "currency",
        },
        date_format=(ISO_DAY, "%m/%d/%Y"),
        constants={"channel": "Paid Search"},
        drop={"TimePeriod": "^\u00a9|^Total"},
        header_contains="TimePeriod",
    ),
    Preset(
        "ga4", "Google Analytics 4 (report exported as CSV, by day and session channel group)", "web",
        docs=(
            "https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema "
            "(date as YYYYMMDD; sessionDefaultChannelGroup, sessions, totalUsers, newUsers, "
            "keyEvents, totalRevenue)",
            "https://support.google.com/analytics/answer/9317657 (exported files start with '#' "
            "comment lines naming the property and date range)",
        ),
        rename={
            "Date": "date", "date": "date",
            "Session default channel group": "channel", "sessionDefaultChannelGroup": "channel",
            "Sessions": "sessions", "sessions": "sessions",
            "Total users": "users", "totalUsers": "users",
            "New users": "new_users", "newUsers": "new_users",
            "Key events": "conversions", "keyEvents": "conversions", "Conversions": "conversions",
            "Total revenue": "revenue", "totalRevenue": "revenue",
        },
        date_format=("%Y%m%d", ISO_DAY),
        drop={"Date": "^Grand total"},
        header_contains="Sessions",
    ),
    Preset(
        "hubspot_deals", "HubSpot (deals exported from a deals view)", "crm",
        docs=(
            "https://knowledge.hubspot.com/crm-deals/hubspots-default-deal-properties "
            "(Deal name, Deal stage, Amount, Close date, Create date, Original traffic source)",
            "https://knowledge.hubspot.com/object-settings/set-up-and-customize-pipelines "
            "(default sales pipeline stages: Appointment scheduled ... Closed won, Closed lost)",
        ),
        rename={
            "Record ID": "lead_id", "Deal ID": "lead_id", "Create Date": "date",
            "Close Date": "close_date", "Deal Stage": "stage", "Amount": "amount",
            "Original Traffic Source": "channel", "Original Source Type": "channel",
            "Currency": "currency", "Deal currency code": "currency",
        },
        date_format=(ISO_DAY,),
        values={
            "stage": {"Appointment scheduled": "lead", "Qualified to buy": "lead",
                      "Presentation scheduled": "opportunity",
                      "Decision maker bought-in": "opportunity", "Contract sent": "opportunity",
                      "Closed won": "won", "Closed lost": "lost"},
            "channel": HUBSPOT_SOURCES,
        },
        drop={"Deal Stage": "^$"},
    ),
    Preset(
        "salesforce_opportunities", "Salesforce (opportunities report exported as CSV, details only)",
        "crm",
        docs=(
            "https://help.salesforce.com/s/articleView?id=sf.reports_export.htm (export a report: "
            "dates in the user's locale, report footer with totals and copyright lines)",
            "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/"
            "sforce_api_objects_opportunity.htm (StageName standard values, CloseDate, LeadSource)",
        ),
        rename={
            "Opportunity ID": "lead_id", "Opportunity Id": "lead_id", "Created Date": "date",
            "Close Date": "close_date", "Stage": "stage", "Amount": "amount",
            "Lead Source": "channel", "Opportunity Currency": "currency",
        },
        date_format=("%m/%d/%Y",),
        values={"stage": {
            "Prospecting": "lead", "Qualification": "lead", "Needs Analysis": "opportunity",
            "Value Proposition": "opportunity", "Id. Decision Makers": "opportunity",
            "Perception Analysis": "opportunity", "Proposal/Price Quote": "opportunity",
            "Negotiation/Review": "opportunity", "Closed Won": "won", "Closed Lost": "lost"}},
        drop={"Stage": "^$"},
        needs="dates follow the exporting user's locale: set mapping.date_format if it is not en_US",
    ),
    Preset(
        "zendesk_tickets", "Zendesk Support (ticket CSV export)", "support",
        docs=(
            "https://support.zendesk.com/hc/en-us/articles/4408886165402 (exporting ticket data to "
            "CSV: Id, Status, Priority, Via, Created at, Solved at, Satisfaction Score, First reply "
            "time in minutes)",
        ),
        rename={
            "Id": ("ticket_id",), "Created at": ("date", "created_at"), "Solved at": "resolved_at",
            "Status": "status", "Priority": "priority", "Via": "channel",
            "Organization": "account_id", "Satisfaction Score": "satisfaction",
        },
        values={"satisfaction": {"Good": "1", "Bad": "0", "Offered": "", "Unoffered": ""},
                "status": {"New": "new", "Open": "open", "Pending": "pending", "Hold": "hold",
                           "Solved": "solved", "Closed": "closed"}},
        minutes_after={"first_response_at": ("created_at", "First reply time in minutes")},
    ),
    Preset(
        "delighted", "Delighted (survey responses from the API, one JSON object per line)", "survey",
        docs=(
            "https://delighted.com/docs/api/listing-survey-responses (id, survey_type, score, "
            "comment, created_at as a Unix timestamp, person_properties)",
        ),
        rename={"id": "response_id", "survey_type": "scale", "score": "score",
                "comment": "comment", "created_at": "date"},
        date_format="epoch",
        values={"scale": {"enps": "nps"}},
        needs="map a person property to the segment with mapping.rename, e.g. "
              "'person_properties.Plan: segment'",
    ),
    Preset(
        "typeform", "Typeform (responses downloaded as CSV or XLSX)", "survey",
        docs=(
            "https://www.typeform.com/help/a/download-your-results-360052676952/ (one column per "
            "question, then '#', 'Start Date (UTC)', 'Submit Date (UTC)', 'Network ID')",
        ),
        rename={"#": "response_id", "Response ID": "response_id", "Submit Date (UTC)": "date",
                "Submitted At": "date"},
        date_format=("%Y-%m-%d %H:%M:%S", ISO_DAY),
        needs="name the rating question's column with mapping.rename (to score) and give "
              "mapping.constants.scale (nps, csat or ces)",
    ),
    Preset(
        "shopify_orders", "Shopify (orders export CSV, one row per line item)", "orders",
        docs=(
            "https://help.shopify.com/en/manual/orders/export-orders (orders CSV: Name, Financial "
            "Status, Currency, Total, Created at; an order with several line items has several "
            "rows, order totals on the first)",
        ),
        rename={"Name": "order_id", "Created at": "date", "Total": "revenue", "Currency": "currency"},
        date_format="%Y-%m-%d %H:%M:%S %z",
        drop={"Financial Status": "^$"},
    ),
)

PRESETS: dict[str, Preset] = {preset.name: preset for preset in _PRESETS}
