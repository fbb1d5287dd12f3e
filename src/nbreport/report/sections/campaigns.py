"""Where the media money went: spend and results by campaign for the period."""

from __future__ import annotations

from nbreport.metrics.daily import daily_metrics, metric_value, period_totals, safe_divide
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render

CAMPAIGN_METRICS = ("spend", "impressions", "clicks", "conversions")
ROWS_SHOWN = 12


def campaigns(report: Report) -> Fragment:
    """Spend, clicks, conversions, CPA and share of spend per campaign, biggest spend first."""
    if not report.data.has("ads"):
        return render("notice.html.j2", "No ad data", message="This client has no ad-platform data.")
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
        "spend": report.fmt.money(row["spend"], cents=False),
        "share": report.fmt.value(safe_divide(row["spend"], overall_spend), "percent"),
        "clicks": report.fmt.value(row["clicks"], "count"),
        "conversions": report.fmt.value(row["conversions"], "count"),
        "cpa": report.fmt.money(cpa[name]),
    } for name, row in totals.head(ROWS_SHOWN).iterrows()]
    hidden = max(len(totals) - ROWS_SHOWN, 0)
    return render("campaigns.html.j2", f"Campaigns: {len(totals)}", rows=rows, hidden=hidden,
                  total=report.fmt.money(overall_spend, cents=False),
                  whole=report.fmt.value(1.0, "percent"), period=report.reported.label)
