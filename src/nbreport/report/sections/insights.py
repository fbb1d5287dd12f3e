"""Wins and challenges: both sides, always, each a plain sentence with its numbers."""

from __future__ import annotations

import math

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
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, render

CUSTOMER_METRICS = ("nps", "csat", "ces", "ticket_csat")


def watched_metrics(report: Report) -> list[MetricRef]:
    """The KPIs, then the customer-success scores the client has data for."""
    refs = [MetricRef(kpi.metric, kpi.display_label, kpi.better) for kpi in report.params.kpis]
    tracked = {ref.metric for ref in refs}
    scales = set(report.data.table("survey")["scale"].unique())
    available = {"nps": "nps" in scales, "csat": "csat" in scales, "ces": "ces" in scales,
                 "ticket_csat": report.data.has("support")}
    refs += [MetricRef(name, METRICS[name].label, METRICS[name].direction)
             for name in CUSTOMER_METRICS if available[name] and name not in tracked]
    return refs


def collect_insights(report: Report) -> Insights:
    """Every candidate win and challenge of the report, ranked (see :mod:`.metrics.insights`)."""
    settings, fmt = report.params.insights, report.fmt
    now, before = report.reported, report.comparison_periods["previous"]
    label = report.previous_label
    refs = watched_metrics(report)
    daily = daily_metrics(report.data, [ref.metric for ref in refs],
                          source_for=report._sources_for_kpis())
    comparable = [ref for ref in refs if report.comparable(ref.metric)]  # no change against no data
    candidates: list[Insight] = change_insights(daily, comparable, now, before, label, settings, fmt)
    candidates += target_insights(report.kpis, daily, now, settings, fmt,
                                  partial=report.reported != report.period)
    for ref in refs[:len(report.params.kpis)]:
        candidates += driver_insights(report.contributions[ref.metric], report.daily_by_channel,
                                      ref, now, before, label, settings, fmt)
    checked = [f"{len(refs)} metrics against {label}",
               f"{sum(k.target is not None for k in report.params.kpis)} KPI targets",
               "each channel's part of every KPI's change"]
    for result in report.triangulation:
        candidates += discrepancy_insights(result.label, result.current, result.truth,
                                           result.unit, result.tolerance, result.sentences)
    if report.triangulation:
        checked.append(f"{len(report.triangulation)} cross-source reconciliations")
    if report.budget is not None and report.params.budget is not None:
        spend = report.budget.summary
        candidates += budget_insight(spend.planned, spend.projected, spend.complete,
                                     report.params.budget.pacing_tolerance, report.period.label,
                                     fmt)
        checked.append("spend against the budget")
    now_churn, then_churn = report.customer_success.churn, report.customer_success.previous_churn
    if now_churn is not None and then_churn is not None:
        candidates += churn_insight(then_churn.lost, then_churn.customers_at_start, now_churn.lost,
                                    now_churn.customers_at_start, label, settings, fmt)
        checked.append("customer churn")
    return rank(candidates, settings, checked)


def _row(insight: Insight, report: Report) -> dict[str, str]:
    evidence = []
    if not math.isnan(insight.p_value):
        evidence.append("p < 0.001" if insight.p_value < 0.001 else f"p = {insight.p_value:.3f}")
    if not math.isnan(insight.volume):
        evidence.append(f"volume {report.fmt.value(insight.volume, 'count')}")
    return {"sentence": insight.sentence, "topic": insight.topic,
            "evidence": ", ".join(evidence)}


def wins_and_challenges(report: Report) -> Fragment:
    """Two lists, wins and challenges, best first; an empty side says why it is empty."""
    found = report.insights
    sides = [{"title": title, "css": side, "rows": [_row(i, report) for i in insights],
              "empty": found.empty_note(side)}
             for title, side, insights in (("Wins", "win", found.wins),
                                           ("Challenges", "challenge", found.challenges))]
    text = f"Wins and challenges: {len(found.wins)} wins, {len(found.challenges)} challenges"
    return render("insights.html.j2", text, sides=sides, period=report.reported.label,
                  previous=report.previous_label)
