"""Wins and challenges: every candidate from the report's results, ranked (part of the analysis).

The candidates and their ranking are :mod:`nbreport.metrics.insights`'s; this module
gathers what they are drawn from: the KPIs and customer scores the client has data for,
their changes, targets, channels, reconciliations, budget pacing and churn.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from nbreport.core.formatting import Formatter
from nbreport.core.period import Period
from nbreport.i18n import _, ngettext
from nbreport.metrics.budget import BudgetReport
from nbreport.metrics.customer_success import CustomerSuccessResult
from nbreport.metrics.daily import daily_metrics
from nbreport.metrics.definitions import METRICS
from nbreport.metrics.insights import (
    Insight,
    Insights,
    MetricRef,
    budget_insight,
    change_insights,
    churn_insight,
    discrepancy_insights,
    driver_insights,
    rank,
    target_insights,
)
from nbreport.metrics.kpis import KpiResult
from nbreport.metrics.triangulation import TriangulationResult
from nbreport.params import ClientParams
from nbreport.sources.loader import ClientData

CUSTOMER_METRICS = ("nps", "csat", "ces", "ticket_csat")
# compared with the previous period by the customer-success section, not by the insights
COMPARED_ELSEWHERE = ("nps_responses", "csat_responses", "ces_responses", "tickets")


def watched_metrics(params: ClientParams, data: ClientData) -> list[MetricRef]:
    """The KPIs, then the customer-success scores the client has data for."""
    refs = [MetricRef(kpi.metric, kpi.display_label, kpi.better) for kpi in params.kpis]
    tracked = {ref.metric for ref in refs}
    scales = set(data.table("survey")["scale"].unique())
    available = {"nps": "nps" in scales, "csat": "csat" in scales, "ces": "ces" in scales,
                 "ticket_csat": data.has("support")}
    refs += [MetricRef(name, METRICS[name].label, METRICS[name].direction)
             for name in CUSTOMER_METRICS if available[name] and name not in tracked]
    return refs


def collect_insights(
    params: ClientParams, data: ClientData, fmt: Formatter, *, kpis: tuple[KpiResult, ...],
    comparable: Mapping[str, bool], periods: Mapping[str, Period],
    contributions: Mapping[str, pd.DataFrame], daily_by_channel: pd.DataFrame,
    triangulation: tuple[TriangulationResult, ...], budget: BudgetReport | None,
    customer_success: CustomerSuccessResult, source_for: dict[str, str],
) -> Insights:
    """Every candidate win and challenge of the report, ranked (see :mod:`.metrics.insights`)."""
    settings = params.insights
    now, before = periods["now"], periods["previous"]
    label = before.label
    refs = watched_metrics(params, data)
    daily = daily_metrics(data, [ref.metric for ref in refs], source_for=source_for)
    compared = [ref for ref in refs if comparable[ref.metric]]  # no change against no data
    candidates: list[Insight] = change_insights(daily, compared, now, before, label, settings, fmt)
    candidates += target_insights(list(kpis), daily, now, settings, fmt,
                                  partial=params.report_period != params.period)
    for ref in refs[:len(params.kpis)]:
        candidates += driver_insights(contributions[ref.metric], daily_by_channel,
                                      ref, now, before, label, settings, fmt)
    checked = [ngettext("%(n)s metric against %(period)s", "%(n)s metrics against %(period)s",
                        len(refs), period=label),
               ngettext("%(n)s KPI target", "%(n)s KPI targets",
                        sum(k.has_target for k in params.kpis)),
               _("each channel's part of every KPI's change")]
    for result in triangulation:
        candidates += discrepancy_insights(result.label, result.current, result.truth,
                                           result.unit, result.tolerance, result.sentences)
    if triangulation:
        checked.append(ngettext("%(n)s cross-source reconciliation",
                                "%(n)s cross-source reconciliations", len(triangulation)))
    if budget is not None and params.budget is not None:
        spend = budget.summary
        candidates += budget_insight(spend.planned, spend.projected, spend.complete,
                                     params.budget.pacing_tolerance, params.period.label, fmt)
        checked.append(_("spend against the budget"))
    now_churn, then_churn = customer_success.churn, customer_success.previous_churn
    if now_churn is not None and then_churn is not None:
        candidates += churn_insight(then_churn.lost, then_churn.customers_at_start, now_churn.lost,
                                    now_churn.customers_at_start, label, settings, fmt)
        checked.append(_("customer churn"))
    return rank(candidates, settings, checked)
