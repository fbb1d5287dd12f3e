"""Customer success: surveys, support, health score, churn, retention and lifetime value."""

from __future__ import annotations

import math
from typing import Any

from nbreport.core.formatting import Formatter
from nbreport.i18n import N_, _
from nbreport.metrics.customer_success import CustomerSuccessResult, SupportSummary
from nbreport.metrics.definitions import HEALTH_SIGNALS
from nbreport.metrics.health import HealthResult
from nbreport.metrics.surveys import SurveyResult
from nbreport.report.context import Report
from nbreport.report.fragment import Fragment, Omitted, render
from nbreport.report.plan import TITLES, empty_reason
from nbreport.report.sections.kpis import NO_DATA, NOTHING

SCALE_NAMES = {"nps": N_("Net Promoter Score (0-10 scale)"),
               "csat": N_("CSAT, share answering 4-5 of 5"),
               "ces": N_("Customer effort, mean of 1-7 (higher is easier)")}
BAND_NAMES = {"healthy": N_("Healthy"), "at_risk": N_("At risk"), "critical": N_("Critical")}

# The unit each survey scale is written in: NPS a signed whole number (+18), CSAT a share,
# CES a mean with one decimal; their changes in points (Formatter.change_in).
SCALE_UNITS = {"nps": "score", "csat": "percent", "ces": "number"}


def _score(fmt: Formatter, value: float, scale: str) -> str:
    return fmt.value(value, SCALE_UNITS[scale])

def _score_change(fmt: Formatter, now: float, before: float, scale: str) -> str:
    return fmt.difference(now - before, SCALE_UNITS[scale])

def _survey_row(fmt: Formatter, now: SurveyResult, before: SurveyResult,
                minimum: int) -> dict[str, Any]:
    return {
        "name": _(SCALE_NAMES[now.scale]),
        "value": _score(fmt, now.value, now.scale),
        "interval": _("%(low)s to %(high)s", low=_score(fmt, now.low, now.scale),
                      high=_score(fmt, now.high, now.scale)),
        "responses": fmt.value(now.responses, "count"),
        "previous": _score(fmt, before.value, before.scale),
        "change": _score_change(fmt, now.value, before.value, now.scale),
        "warning": _("Only %(responses)s responses (fewer than %(minimum)s): read this score as "
                     "a rough indication; the likely range shows how far it could be off.",
                     responses=now.responses, minimum=minimum) if now.small_sample else "",
    }

def _open_text(fmt: Formatter, count: float) -> str:
    """Open tickets; an export without resolution times or statuses cannot tell."""
    return _("not recorded in the export") if math.isnan(count) else fmt.value(count, "count")


def _support_rows(fmt: Formatter, now: SupportSummary,
                  before: SupportSummary) -> list[dict[str, str]]:
    hours = lambda value: (_("%(hours)s h", hours=fmt.value(value, "number"))  # noqa: E731
                           if not math.isnan(value) else _("n/a"))
    return [
        {"name": _("Tickets opened"), "now": fmt.value(now.tickets, "count"),
         "before": fmt.value(before.tickets, "count")},
        {"name": _("Median time to first response"), "now": hours(now.first_response_hours),
         "before": hours(before.first_response_hours)},
        {"name": _("Median time to resolution"), "now": hours(now.resolution_hours),
         "before": hours(before.resolution_hours)},
        {"name": _("Still open at the data's end"), "now": _open_text(fmt, now.open),
         "before": _open_text(fmt, before.open)},
        {"name": _("Rated tickets scored 4-5 (%(rated)s rated)",
                   rated=now.satisfaction.responses),
         "now": fmt.value(now.satisfaction.value, "percent"),
         "before": fmt.value(before.satisfaction.value, "percent")},
    ]

def _health(fmt: Formatter, health: HealthResult) -> dict[str, Any]:
    points = lambda value: fmt.value(value, "number")  # noqa: E731
    components = [{
        "label": row["label"], "weight": fmt.value(row["weight"], "percent"),
        "value": fmt.value(row["value"], HEALTH_SIGNALS[signal].unit),
        "points": points(row["points"]),
        "contribution": points(row["contribution"]),
        "previous": points(row["previous_contribution"]),
        "change": fmt.difference(row["change"], "number"),
    } for signal, row in health.components.iterrows()]
    bands = [{"band": _(BAND_NAMES[band]), "accounts": fmt.value(row["accounts"], "count"),
              "previous": fmt.value(row["previous_accounts"], "count"),
              "mrr": fmt.money(row["mrr"], cents=False)} for band, row in health.bands.iterrows()]
    attention = [{"account": row["account_id"], "score": points(row["score"]),
                  "mrr": fmt.money(row["mrr"], cents=False)}
                 for _account, row in health.attention.iterrows()]
    return {"score": points(health.score), "previous": points(health.previous),
            "change": fmt.difference(health.change, "number"),
            "components": components, "bands": bands, "attention": attention,
            "accounts": fmt.value(health.accounts, "count"), "unscored": health.unscored,
            "total": points(health.components["contribution"].sum())}

def _accounts(fmt: Formatter, found: CustomerSuccessResult) -> list[tuple[str, str, str]]:
    now, before = found.churn, found.previous_churn
    assert now is not None and before is not None and found.retention and found.yearly_retention
    lifetime = (_("Customer lifetime value (ARPA / monthly churn)") if found.gross_margin == 1.0
                else _("Customer lifetime value (ARPA x %(margin)s gross margin / monthly churn)",
                       margin=fmt.value(found.gross_margin, "percent")))
    return [
        (_("Customers at the start of the period"), fmt.value(now.customers_at_start, "count"),
         fmt.value(before.customers_at_start, "count")),
        (_("Customers lost"), fmt.value(now.lost, "count"), fmt.value(before.lost, "count")),
        (_("Customer churn rate (lost / customers at start)"), fmt.value(now.rate, "percent"),
         fmt.value(before.rate, "percent")),
        (_("MRR churn rate (MRR lost / MRR at start)"), fmt.value(now.mrr_rate, "percent"),
         fmt.value(before.mrr_rate, "percent")),
        (_("Net revenue retention over the period"), fmt.value(found.retention.nrr, "percent"), ""),
        (_("Gross revenue retention over the period"), fmt.value(found.retention.grr, "percent"),
         ""),
        (_("Net revenue retention, last 12 months"),
         fmt.value(found.yearly_retention.nrr, "percent"), ""),
        (_("Monthly customer churn, last 12 months"), fmt.value(found.monthly_churn, "percent"),
         ""),
        (_("Average MRR per account (ARPA)"), fmt.money(found.average_mrr), ""),
        (lifetime, fmt.money(found.lifetime_value, cents=False), ""),
    ]

def _cohorts(fmt: Formatter, found: CustomerSuccessResult) -> dict[str, Any] | None:
    table = found.cohorts
    if table is None or table.empty:
        return None
    ages = [column for column in table.columns if column != "customers"]
    rows = [{"cohort": cohort, "customers": fmt.value(row["customers"], "count"),
             "cells": ["" if math.isnan(row[age]) else fmt.value(row[age], "percent")
                       for age in ages]}
            for cohort, row in table.iterrows()]
    return {"ages": ages, "rows": rows}

def _without_missing_past(row: dict[str, Any], comparable: bool) -> dict[str, Any]:
    """A row whose previous period no source covers says "no data" there, never 0."""
    if comparable:
        return row
    gone = {key: _(NO_DATA) for key in ("previous", "before") if key in row}
    return {**row, **gone, **({"change": NOTHING} if "change" in row else {})}


def customer_success(report: Report) -> Fragment:
    """The health score in a sentence, the survey scores and the accounts to watch."""
    return _customer_success(report, "body")


def customer_success_detail(report: Report) -> Fragment:
    """For the appendix: the health score's make-up and bands, support, churn, retention and
    lifetime value, and what this client's data cannot tell."""
    return _customer_success(report, "detail")


def _customer_success(report: Report, part: str) -> Fragment:
    found, results = report.results.customer_success, report.results
    fmt = report.fmt
    if not found.available:
        return Omitted(TITLES["customer-success"], empty_reason("customer-success", report.results))
    settings = report.inputs.params.customer_success
    minimum = settings.min_responses
    surveys = [_without_missing_past(_survey_row(fmt, now, before, minimum),
                                     results.is_comparable(f"{scale}_responses"))
               for scale, (now, before) in found.surveys.items()]
    support = ([_without_missing_past(row, results.is_comparable("tickets"))
                for row in _support_rows(fmt, found.support, found.previous_support)]
               if found.support and found.previous_support else [])
    return render(
        "customer_success.html.j2",
        f"Customer success{' in detail' if part == 'detail' else ''}: {len(surveys)} surveys",
        surveys=surveys, support=support,
        health=_health(fmt, found.health) if found.health else None,
        accounts=_accounts(fmt, found) if found.churn else [],
        cohorts=_cohorts(fmt, found), missing=found.missing, period=results.reported.label,
        previous=results.previous_label,
        confidence=fmt.value(settings.confidence, "percent"), part=part)
