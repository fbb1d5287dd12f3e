"""Budget candour: where every unit of the client's money went, against the plan.

Results, costs and returns are registry metrics (see :mod:`nbreport.metrics.budget`),
labelled from the registry (or the client's KPI label for the same metric) and linked to
their definitions in the appendix.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from nbreport.core.formatting import Formatter
from nbreport.i18n import N_, _
from nbreport.metrics.budget import BudgetReport
from nbreport.metrics.spec import BudgetSpec
from nbreport.params import ClientParams
from nbreport.report.context import Report
from nbreport.report.figures import headline_sentence, plain, raw, term
from nbreport.report.fragment import Fragment, Omitted, render
from nbreport.report.plan import TITLES, empty_reason

if TYPE_CHECKING:
    from nbreport.metrics.kpis import KpiResult

CAMPAIGN_ROWS = 12
PLANNED, SHARE, PACE = N_("Planned budget"), N_("Share of ad spend"), N_("Pace against plan")
PROJECTED = N_("Projected spend at period end")
VARIANCE = N_("Projected over (+) or under (\u2212) plan")


def _cell(shown: str, value: Any) -> dict[str, Any]:
    return {"shown": shown, "value": raw(value)}


def _table_rows(table: pd.DataFrame, fmt: Formatter) -> list[dict[str, Any]]:
    money = lambda value: _cell(fmt.money(value, cents=False), value)  # noqa: E731
    return [{
        "name": str(name),
        "planned": money(row["planned"]),
        "spent": money(row["spent"]),
        "share": _cell(fmt.value(row["share"], "percent"), row["share"]),
        "pace": _cell(fmt.value(row["pace"], "percent"), row["pace"]),
        "projected": money(row["projected"]),
        "variance": _cell(fmt.difference(row["variance"], "currency"), row["variance"]),
        "results": _cell(fmt.value(row["results"], "count"), row["results"]),
        "cost_per_result": _cell(fmt.money(row["cost_per_result"]), row["cost_per_result"]),
        "revenue": money(row["revenue"]),
        "return_on_spend": _cell(fmt.value(row["return_on_spend"], "multiple"),
                                 row["return_on_spend"]),
    } for name, row in table.iterrows()]


def _fee_terms(spec: BudgetSpec | None, fmt: Formatter, complete: bool, whole_months: bool = True) -> str:
    """How the fee is charged, e.g. "12.0% of ad spend + £650 a month"."""
    fee = spec.management_fee if spec is not None else None
    terms = []
    if fee is not None and fee.percent_of_spend:
        terms.append(_("%(percent)s of ad spend",
                       percent=fmt.value(fee.percent_of_spend / 100, "percent")))
    if fee is not None and fee.fixed:
        monthly = (N_("%(amount)s a month") if complete and whole_months
                   else N_("%(amount)s a month (pro-rated to date)") if whole_months
                   else N_("%(amount)s a month (pro-rated to the period's days)"))
        terms.append(_(monthly, amount=fmt.money(fee.fixed, cents=False)))
    return " + ".join(terms)


def _summary_rows(params: ClientParams, fmt: Formatter, found: BudgetReport) -> list[dict[str, Any]]:
    """Label (a registry term or a plain budget line) and figure of each summary line."""
    s = found.summary
    money = lambda value: _cell(fmt.money(value, cents=False), value)  # noqa: E731
    fee_terms = _fee_terms(params.budget, fmt, s.complete, params.period.kind == "month")
    rows = [
        (plain(_(PLANNED)), money(s.planned)),
        (term(params, "spend"), money(s.spent)),
        (plain(_(PACE)), _cell(fmt.value(s.pace, "percent"), s.pace)),
        # a period that is over has no projection: it would repeat the spend
        *([] if s.complete else [(plain(_(PROJECTED)), money(s.projected))]),
        (plain(_("Over (+) or under (\u2212) plan") if s.complete else _(VARIANCE)),
         _cell(fmt.difference(s.variance, "currency"), s.variance)),
        (plain(_("Management fee (%(terms)s)", terms=fee_terms) if fee_terms
               else _("Management fee")),
         money(s.fee) if fee_terms else _cell(_("none"), 0.0)),
        (plain(_("Total cost (ad spend + fee)")), money(s.total_cost)),
        (term(params, found.result_metric), _cell(fmt.value(s.results, "count"), s.results)),
        (term(params, found.cost_metric), _cell(fmt.money(s.cost_per_result), s.cost_per_result)),
    ]
    if found.all_in_metric:
        rows.append((term(params, found.all_in_metric),
                     _cell(fmt.money(s.all_in_cost_per_result), s.all_in_cost_per_result)))
    rows += [
        (term(params, found.revenue_metric), money(s.revenue)),
        (term(params, found.return_metric),
         _cell(fmt.value(s.return_on_spend, "multiple"), s.return_on_spend)),
        (term(params, found.roi_metric), _cell(fmt.value(s.roi, "percent"), s.roi)),
    ]
    return [{"term": ref, **cell} for ref, cell in rows]


def _not_in_scorecard(rows: list[dict[str, Any]], kpis: Sequence[KpiResult]) -> list[dict[str, Any]]:
    """The summary lines whose figure the scorecard does not show already (one figure, one
    place: a KPI such as cost per lead is read in the scorecard, not twice)."""
    shown = {(k.metric, k.actual) for k in kpis if not math.isnan(k.actual)}
    return [row for row in rows
            if not any(row["term"].get("name") == metric and _same(row["value"], actual)
                       for metric, actual in shown)]


def _same(value: Any, actual: float) -> bool:
    return isinstance(value, int | float) and math.isclose(value, actual, rel_tol=1e-9, abs_tol=1e-9)


def _columns(params: ClientParams, found: BudgetReport) -> dict[str, dict[str, str]]:
    """The label of every table column: registry terms for metrics, plain words otherwise."""
    return {"planned": plain(_(PLANNED)), "spent": term(params, "spend"),
            "share": plain(_(SHARE)), "pace": plain(_(PACE)), "projected": plain(_(PROJECTED)),
            "variance": plain(_(VARIANCE)),
            "results": term(params, found.result_metric),
            "cost_per_result": term(params, found.cost_metric),
            "revenue": term(params, found.revenue_metric),
            "return_on_spend": term(params, found.return_metric),
            "campaign_results": term(params, found.campaign_result_metric),
            "campaign_cost": term(params, found.campaign_cost_metric)}


def budget(report: Report) -> Fragment:
    """Planned against actual spend, pacing and projection, fee, cost per result and return."""
    return _budget(report, "body")


def budget_detail(report: Report) -> Fragment:
    """For the appendix: the budget by channel and by campaign."""
    return _budget(report, "detail")


def _budget(report: Report, part: str) -> Fragment:
    params = report.inputs.params
    found, spec = report.results.budget, params.budget
    if found is None or spec is None:
        return Omitted(TITLES["budget"], empty_reason("budget", report.results))
    fmt, s, campaigns = report.fmt, found.summary, found.campaigns
    return render(
        "budget.html.j2",
        f"Budget{' by channel and campaign' if part == 'detail' else ''}: "
        f"{fmt.money(s.spent, cents=False)} of {fmt.money(s.planned, cents=False)}",
        summary=_not_in_scorecard(_summary_rows(params, fmt, found), report.results.kpis),
        channels=_table_rows(found.channels, fmt),
        campaigns=_table_rows(campaigns.head(CAMPAIGN_ROWS), fmt),
        columns=_columns(params, found), headline=headline_sentence(params),
        hidden=max(len(campaigns) - CAMPAIGN_ROWS, 0),
        has_campaign_plan=bool(campaigns["planned"].notna().any()),
        period=report.results.reported.label, complete=s.complete,
        off_pace=s.off_pace, tolerance=fmt.value(spec.pacing_tolerance, "percent"), part=part)
