"""Where the media money went: spend and results by campaign for the period."""

from __future__ import annotations

from typing import Any

from nbreport.i18n import N_, _
from nbreport.metrics.daily import safe_divide
from nbreport.report.context import Report
from nbreport.report.figures import plain, raw, term
from nbreport.report.fragment import Fragment, Omitted, render
from nbreport.report.plan import TITLES, empty_reason

ROWS_SHOWN = 12
ALL_CAMPAIGNS = N_("All campaigns")


def _cell(shown: str, value: Any) -> dict[str, Any]:
    return {"shown": shown, "value": raw(value)}


def campaigns(report: Report) -> Fragment:
    """Spend, clicks, platform-reported conversions, their cost and share of spend per
    campaign, biggest spend first."""
    found = report.results.campaigns
    if found is None:
        return Omitted(TITLES["campaigns"], empty_reason("campaigns", report.results))
    fmt = report.fmt
    totals, cpa, platforms = found.totals, found.cpa, found.platforms
    overall_spend = totals["spend"].sum()
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
    columns = {"spend": term(report.inputs.params, "spend"), "share": plain(_("Share of ad spend")),
               "clicks": term(report.inputs.params, "clicks"), "conversions": term(report.inputs.params, "conversions"),
               "cpa": term(report.inputs.params, "cpa")}
    return render("campaigns.html.j2", f"Campaigns: {len(totals)}", rows=rows, hidden=hidden,
                  columns=columns, total=_cell(fmt.money(overall_spend, cents=False), overall_spend),
                  whole=fmt.value(1.0, "percent"), all_campaigns=_(ALL_CAMPAIGNS),
                  period=report.results.reported.label)
