"""Everything the customer-success section shows, from whatever customer data the client has.

Surveys (:mod:`.surveys`), support tickets, churn, revenue retention,
lifetime value and cohorts (:mod:`.retention`) and the health score
(:mod:`.health`), for the reported period and the previous one. What the
client's data cannot support is listed in plain words in
:attr:`CustomerSuccessResult.missing`, so the report says so instead of
showing an empty table or an invented number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

import pandas as pd

from nbreport.i18n import _
from nbreport.metrics.health import HealthResult, health_report, resolution_hours
from nbreport.metrics.retention import (
    ChurnResult,
    RevenueRetention,
    arpa,
    churn,
    cohort_retention,
    lifetime_value,
    monthly_churn_rate,
    revenue_retention,
)
from nbreport.metrics.spec import CustomerSuccessSpec
from nbreport.metrics.surveys import SCORERS, SurveyResult, csat, survey_scores
from nbreport.core.period import Period
from nbreport.sources.loader import ClientData

TRAILING_MONTHS = 12


@dataclass(frozen=True)
class SupportSummary:
    """Support tickets opened in a period and how they were handled.

    ``first_response_hours`` and ``resolution_hours`` are medians over the period's tickets
    that got one; ``open`` counts the period's tickets not resolved by the data's end (NaN
    when the export says nothing of resolution: no resolution time and no status, so it
    cannot be known, and every ticket is never counted as open);
    ``satisfaction`` is the share of rated tickets scored 4-5 (CSAT of tickets).
    """

    tickets: int
    first_response_hours: float
    resolution_hours: float
    open: float
    satisfaction: SurveyResult


OPEN_STATUSES = frozenset({"open", "new", "pending", "on-hold", "on hold", "hold", "waiting"})


def _still_open(rows: pd.DataFrame, support: pd.DataFrame) -> float:
    """Tickets of ``rows`` not resolved by the data's end, judged by what the export records."""
    if support["resolved_at"].notna().any():
        return float(rows["resolved_at"].isna().sum())
    if "status" in support and support["status"].notna().any() and (support["status"] != "").any():
        return float(rows["status"].astype(str).str.strip().str.casefold().isin(OPEN_STATUSES).sum())
    return math.nan


def support_summary(support: pd.DataFrame, period: Period, *, confidence: float = 0.95,
                    min_responses: int = 30) -> SupportSummary:
    """:class:`SupportSummary` of the tickets created in ``period``."""
    rows = support[(support["date"] >= pd.Timestamp(period.start))
                   & (support["date"] <= pd.Timestamp(period.end))]
    first = (rows["first_response_at"] - rows["created_at"]).dt.total_seconds() / 3600
    resolved = resolution_hours(rows)
    rated = rows["satisfaction"][rows["satisfaction"].between(1, 5)]
    return SupportSummary(
        tickets=len(rows), first_response_hours=_median(first), resolution_hours=_median(resolved),
        open=_still_open(rows, support),
        satisfaction=csat(rated, confidence=confidence, min_responses=min_responses))


def _median(values: pd.Series) -> float:
    return float(values.median()) if values.notna().any() else math.nan


@dataclass(frozen=True)
class CustomerSuccessResult:
    """The customer-success numbers of one report (``None`` where the data cannot give them).

    Attributes
    ----------
    surveys:
        Scale (``nps``, ``csat``, ``ces``) -> (this period, previous period), for the scales
        the client has answers on.
    support, previous_support:
        Tickets this period and the previous one.
    churn, previous_churn:
        Customer and MRR churn of the period and of the previous one.
    retention, yearly_retention:
        Net/gross revenue retention over the period and over the trailing 12 months.
    monthly_churn:
        Pooled monthly customer churn over the trailing 12 months (for lifetime value).
    average_mrr, lifetime_value, gross_margin:
        ARPA at the period's end, ``ARPA x gross margin / monthly churn``, and the margin
        used (1.0, i.e. revenue lifetime value, when params give none).
    cohorts:
        :func:`~nbreport.metrics.retention.cohort_retention` up to the period's end.
    health:
        The health score, when params configure one.
    missing:
        Plain sentences naming what the data cannot show, and why.
    """

    surveys: dict[str, tuple[SurveyResult, SurveyResult]]
    support: SupportSummary | None = None
    previous_support: SupportSummary | None = None
    churn: ChurnResult | None = None
    previous_churn: ChurnResult | None = None
    retention: RevenueRetention | None = None
    yearly_retention: RevenueRetention | None = None
    monthly_churn: float = math.nan
    average_mrr: float = math.nan
    lifetime_value: float = math.nan
    gross_margin: float = 1.0
    cohorts: pd.DataFrame | None = None
    health: HealthResult | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        """Whether the client has any customer-success data at all."""
        return bool(self.surveys or self.support or self.churn or self.health)


def customer_success_report(data: ClientData, spec: CustomerSuccessSpec, now: Period,
                            before: Period) -> CustomerSuccessResult:
    """Every customer-success number for ``now`` and ``before`` that the data can support."""
    options = {"confidence": spec.confidence, "min_responses": spec.min_responses}
    missing: list[str] = []
    surveys = {}
    survey = data.table("survey")
    for scale, scorer in SCORERS.items():
        if (survey["scale"] == scale).any():
            surveys[scale] = (scorer(survey_scores(survey, scale, now), **options),
                              scorer(survey_scores(survey, scale, before), **options))
    if not surveys:
        missing.append(_("There are no survey answers (NPS, CSAT or CES) in this client's data."))
    parts: dict = {"surveys": surveys, "missing": missing}
    if data.has("support"):
        support = data.table("support")
        parts["support"] = support_summary(support, now, **options)
        parts["previous_support"] = support_summary(support, before, **options)
    else:
        missing.append(_("There is no support-desk data, so ticket numbers are not shown."))
    if data.has("accounts"):
        parts.update(_account_numbers(data.table("accounts"), spec, now, before))
    else:
        missing.append(_("There is no account (billing) data, so churn, retention cohorts, net "
                         "revenue retention and lifetime value cannot be computed."))
    if spec.health_score is not None:
        parts["health"] = health_report(data, spec.health_score, now, before, spec.churned_statuses)
    else:
        missing.append(_("No customer health score is set up for this client "
                         "(customer_success.health_score in its params)."))
    return CustomerSuccessResult(**parts)


def _account_numbers(accounts: pd.DataFrame, spec: CustomerSuccessSpec, now: Period,
                     before: Period) -> dict:
    churned = spec.churned_statuses
    year = Period(now.end - timedelta(days=365) + timedelta(days=1), now.end, "custom")
    monthly = monthly_churn_rate(accounts, now.end, TRAILING_MONTHS, churned)
    average = arpa(accounts, now.end, churned)
    margin = spec.gross_margin or 1.0
    return {
        "churn": churn(accounts, now, churned),
        "previous_churn": churn(accounts, before, churned),
        "retention": revenue_retention(accounts, now, churned),
        "yearly_retention": revenue_retention(accounts, year, churned),
        "monthly_churn": monthly,
        "average_mrr": average,
        "lifetime_value": lifetime_value(average, monthly, margin),
        "gross_margin": margin,
        "cohorts": cohort_retention(accounts, now.end, spec.cohort_months, churned),
    }
