"""Budget candour: where every unit of the client's money went, against the plan."""

from __future__ import annotations

import pandas as pd

from nbreport.formatting import Formatter
from nbreport.metrics.budget import BudgetReport
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


def _fee_terms(report: Report, complete: bool) -> str:
    """How the fee is charged, e.g. "12.0% of media spend + £650 a period"."""
    spec = report.params.budget
    fee = spec.management_fee if spec is not None else None
    terms = []
    if fee is not None and fee.percent_of_spend:
        terms.append(f"{report.fmt.value(fee.percent_of_spend / 100, 'percent')} of media spend")
    if fee is not None and fee.fixed:
        prorated = "" if complete else " (pro-rated to date)"
        terms.append(f"{report.fmt.money(fee.fixed, cents=False)} a period{prorated}")
    return " + ".join(terms)


def _result_label(report: Report, found: BudgetReport) -> str:
    """The client's own name for a result when a KPI tracks it ("Booking requests")."""
    kpi = report.kpi_spec(found.result_metric)
    return kpi.display_label if kpi is not None else found.result_label


def _summary_rows(report: Report, found: BudgetReport) -> list[tuple[str, str]]:
    fmt, s = report.fmt, found.summary
    money = lambda value: fmt.money(value, cents=False)  # noqa: E731
    fee_terms = _fee_terms(report, s.complete)
    label = _result_label(report, found)
    result = label.lower()
    return [
        ("Planned budget", money(s.planned)),
        ("Media spend" + ("" if s.complete else " to date"), money(s.spent)),
        ("Pace against plan", fmt.value(s.pace, "percent")),
        ("Projected spend at period end", money(s.projected)),
        ("Projected over (+) or under (\u2212) plan", fmt.difference(s.variance, "currency")),
        (f"Management fee ({fee_terms})" if fee_terms else "Management fee",
         money(s.fee) if fee_terms else "none"),
        ("Total cost (media + fee)", money(s.total_cost)),
        (f"{label} from paid channels", fmt.value(s.results, "count")),
        (f"Cost per result ({result}), media only", fmt.money(s.cost_per_result)),
        (f"Cost per result ({result}), all-in", fmt.money(s.all_in_cost_per_result)),
        ("Revenue from paid channels", money(s.revenue)),
        ("Return on spend (revenue / media spend)", fmt.value(s.return_on_spend, "multiple")),
        ("ROI after all costs ((revenue \u2212 cost) / cost)", fmt.value(s.roi, "percent")),
    ]


def budget(report: Report) -> Fragment:
    """Planned against actual spend, pacing and projection, fee, cost per result and return,
    by channel and by campaign."""
    found, spec = report.budget, report.params.budget
    if found is None or spec is None:
        return render("notice.html.j2", "No budget",
                      message="No budget is set for this client, so spend is not compared with a "
                              "plan here (see the campaigns section for what was spent).")
    fmt, s, campaigns = report.fmt, found.summary, found.campaigns
    return render(
        "budget.html.j2",
        f"Budget: {fmt.money(s.spent, cents=False)} of {fmt.money(s.planned, cents=False)}",
        summary=_summary_rows(report, found), channels=_table_rows(found.channels, fmt),
        campaigns=_table_rows(campaigns.head(CAMPAIGN_ROWS), fmt),
        hidden=max(len(campaigns) - CAMPAIGN_ROWS, 0),
        has_campaign_plan=bool(campaigns["planned"].notna().any()),
        result_label=_result_label(report, found), period=report.reported.label,
        complete=s.complete,
        off_pace=s.off_pace, tolerance=fmt.value(spec.pacing_tolerance, "percent"))
