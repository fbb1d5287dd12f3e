"""Where the media money went: spend and results by campaign for the period."""

from __future__ import annotations

from typing import Any

from nbreport.metrics.daily import daily_metrics, metric_value, period_totals, safe_divide
from nbreport.report.context import Report
from nbreport.report.figures import plain, raw, term
from nbreport.report.fragment import Fragment, render

CAMPAIGN_METRICS = ("spend", "impressions", "clicks", "conversions", "cpa")
ROWS_SHOWN = 12
ALL_CAMPAIGNS = "All campaigns"


def _cell(shown: str, value: Any) -> dict[str, Any]:
    return {"shown": shown, "value": raw(value)}


def campaigns(report: Report) -> Fragment:
    """Spend, clicks, platform-reported conversions, their cost and share of spend per
    campaign, biggest spend first."""
    if not report.data.has("ads"):
        return render("notice.html.j2", "No ad data", message="This client has no ad-platform data.")
    fmt = report.fmt
    daily = daily_metrics(report.data, CAMPAIGN_METRICS, by="campaign")
    totals = period_totals(daily, report.reported)
    totals = totals[totals["spend"] > 0].sort_values("spend", ascending=False)
    platforms = (report.data.table("ads").drop_duplicates("campaign")
                 .set_index("campaign")["source"])
    overall_spend = totals["spend"].sum()
    cpa = metric_value(totals, "cpa")
    rows = [{
        "campaign": name,
        "platform": platforms.get(name, ""),
        "spend": _cell(fmt.money(row["spend"], cents=False), row["spend"]),
        "share": _cell(fmt.value(safe_divide(row["spend"], overall_spend), "percent"),
                       safe_divide(row["spend"], overall_spend)),
        "clicks": _cell(fmt.value(row["clicks"], "count"), row["clicks"]),
        "conversions": _cell(fmt.value(row["conversions"], "count"), row["conversions"]),
        "cpa": _cell(fmt.money(cpa[name]), cpa[name]),
    } for name, row in totals.head(ROWS_SHOWN).iterrows()]
    hidden = max(len(totals) - ROWS_SHOWN, 0)
    columns = {"spend": term(report, "spend"), "share": plain("Share of ad spend"),
               "clicks": term(report, "clicks"), "conversions": term(report, "conversions"),
               "cpa": term(report, "cpa")}
    return render("campaigns.html.j2", f"Campaigns: {len(totals)}", rows=rows, hidden=hidden,
                  columns=columns, total=_cell(fmt.money(overall_spend, cents=False), overall_spend),
                  whole=fmt.value(1.0, "percent"), all_campaigns=ALL_CAMPAIGNS,
                  period=report.reported.label)
