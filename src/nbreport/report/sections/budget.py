"""Budget candour: where every unit of the client's money went, against the plan."""

from __future__ import annotations

import pandas as pd

from nbreport.formatting import Formatter
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render

CAMPAIGN_ROWS = 12


def _table_rows(table: pd.DataFrame, fmt: Formatter) -> list[dict[str, str]]:
    return [{
        "name": str(name),
        "planned": fmt.money(row["planned"], cents=False),
        "spent": fmt.money(row["spent"], cents=False),
        "share": fmt.value(row["share"], "percent"),
        "pace": fmt.value(row["pace"], "percent"),
        "projected": fmt.money(row["projected"], cents=False),
        "variance": fmt.difference(row["variance"], "currency"),
        "results": fmt.value(row["results"], "count"),
        "cost_per_result": fmt.money(row["cost_per_result"]),
        "revenue": fmt.money(row["revenue"], cents=False),
        "return_on_spend": fmt.value(row["return_on_spend"], "multiple"),
    } for name, row in table.iterrows()]


def budget(report: Report) -> Fragment:
    """Planned against actual spend, pacing and projection, fee, cost per result and return,
    by channel and by campaign."""
    if report.budget is None:
        return render("notice.html.j2", "No budget",
                      message="No budget is set for this client, so spend is not compared with a "
                              "plan here (see the campaigns section for what was spent).")
    fmt, found = report.fmt, report.budget
    s = found.summary
    fee = report.params.budget.management_fee if report.params.budget else None
    fee_terms = []
    if fee is not None and fee.percent_of_spend:
        fee_terms.append(f"{fmt.value(fee.percent_of_spend / 100, 'percent')} of media spend")
    if fee is not None and fee.fixed:
        fee_terms.append(f"{fmt.money(fee.fixed, cents=False)} a period"
                         + ("" if s.complete else " (pro-rated to date)"))
    summary = [
        ("Planned budget", fmt.money(s.planned, cents=False)),
        ("Media spend" + ("" if s.complete else " to date"), fmt.money(s.spent, cents=False)),
        ("Pace against plan", fmt.value(s.pace, "percent")),
        ("Projected spend at period end", fmt.money(s.projected, cents=False)),
        ("Projected over (+) or under (\u2212) plan", fmt.difference(s.variance, "currency")),
        ("Management fee" + (f" ({' + '.join(fee_terms)})" if fee_terms else ""),
         fmt.money(s.fee, cents=False) if fee_terms else "none"),
        ("Total cost (media + fee)", fmt.money(s.total_cost, cents=False)),
        (f"{found.result_label} from paid channels", fmt.value(s.results, "count")),
        (f"Cost per result ({found.result_label.lower()}), media only", fmt.money(s.cost_per_result)),
        (f"Cost per result ({found.result_label.lower()}), all-in", fmt.money(s.all_in_cost_per_result)),
        ("Revenue from paid channels", fmt.money(s.revenue, cents=False)),
        ("Return on spend (revenue / media spend)", fmt.value(s.return_on_spend, "multiple")),
        ("ROI after all costs ((revenue \u2212 cost) / cost)", fmt.value(s.roi, "percent")),
    ]
    campaigns = found.campaigns
    return render(
        "budget.html.j2", f"Budget: {fmt.money(s.spent, cents=False)} of {fmt.money(s.planned, cents=False)}",
        summary=summary, channels=_table_rows(found.channels, fmt),
        campaigns=_table_rows(campaigns.head(CAMPAIGN_ROWS), fmt),
        hidden=max(len(campaigns) - CAMPAIGN_ROWS, 0), has_campaign_plan=bool(campaigns["planned"].notna().any()),
        result_label=found.result_label, period=report.reported.label, complete=s.complete,
        off_pace=s.off_pace, tolerance=fmt.value(report.params.budget.pacing_tolerance, "percent")
        if report.params.budget else "")
