"""The metric registry: what every KPI name means and where its numbers come from.

Two kinds of metric:

* a :class:`SummedMetric` adds up one column (or counts rows) of a canonical
  table, day by day;
* a :class:`RatioMetric` divides one metric's total by another's *over the
  same period*. Ratios are always computed from sums, never as a mean of
  daily ratios, and a zero denominator gives a missing value ("n/a").

A summed metric may have several providers (e.g. revenue from orders, from
won CRM deals or from web analytics); the first kind of data the client has
is used, unless the KPI names a source. Plain Python only: params validation
imports this module and must stay fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Unit = Literal["count", "currency", "percent", "multiple", "number"]
Direction = Literal["higher", "lower", "neutral"]


@dataclass(frozen=True)
class Provider:
    """Where a summed metric can come from.

    Attributes
    ----------
    kind:
        Canonical kind of data (``ads``, ``web``, ``orders``, ``crm``...).
    column:
        Column to sum; ``None`` counts rows.
    date_column:
        Which date places a row in a day (e.g. a deal counts on its close date).
    where:
        Column -> accepted values; rows that do not match are not counted.
    """

    kind: str
    column: str | None
    date_column: str = "date"
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class SummedMetric:
    name: str
    label: str
    unit: Unit
    direction: Direction
    providers: tuple[Provider, ...]
    description: str = ""


@dataclass(frozen=True)
class RatioMetric:
    """``factor * total(numerator) / total(denominator)`` over one period."""

    name: str
    label: str
    unit: Unit
    direction: Direction
    numerator: str
    denominator: str
    factor: float = 1.0
    description: str = ""
    inputs: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "inputs", (self.numerator, self.denominator))


Metric = SummedMetric | RatioMetric

_WON = (("stage", ("won",)),)
_OPPORTUNITY = (("stage", ("opportunity", "won", "lost")),)


def _summed(name: str, label: str, unit: Unit, direction: Direction, *providers: Provider,
            description: str = "") -> SummedMetric:
    return SummedMetric(name, label, unit, direction, providers, description)


METRICS: dict[str, Metric] = {
    metric.name: metric
    for metric in (
        _summed("impressions", "Impressions", "count", "higher", Provider("ads", "impressions")),
        _summed("clicks", "Clicks", "count", "higher", Provider("ads", "clicks")),
        _summed("spend", "Ad spend", "currency", "neutral", Provider("ads", "spend")),
        _summed("conversions", "Conversions", "count", "higher", Provider("ads", "conversions"),
                description="Conversions as the ad platforms report them."),
        _summed("conversion_value", "Conversion value", "currency", "higher",
                Provider("ads", "conversion_value"),
                description="Value of conversions as the ad platforms report it."),
        _summed("sessions", "Sessions", "count", "higher", Provider("web", "sessions")),
        _summed("users", "Users", "count", "higher", Provider("web", "users")),
        _summed("new_users", "New users", "count", "higher", Provider("web", "new_users")),
        _summed("web_conversions", "Conversions (web analytics)", "count", "higher",
                Provider("web", "conversions")),
        _summed("orders", "Orders", "count", "higher", Provider("orders", None)),
        _summed("revenue", "Revenue", "currency", "higher",
                Provider("orders", "revenue"),
                Provider("crm", "amount", date_column="close_date", where=_WON),
                Provider("web", "revenue"),
                description="Revenue from orders, else won deals, else web analytics."),
        _summed("leads", "Leads", "count", "higher", Provider("crm", None)),
        _summed("opportunities", "Opportunities", "count", "higher",
                Provider("crm", None, where=_OPPORTUNITY)),
        _summed("deals_won", "Deals won", "count", "higher",
                Provider("crm", None, date_column="close_date", where=_WON)),
        RatioMetric("ctr", "Click-through rate", "percent", "higher", "clicks", "impressions",
                    description="Clicks / impressions."),
        RatioMetric("cpc", "Cost per click", "currency", "lower", "spend", "clicks",
                    description="Spend / clicks."),
        RatioMetric("cpm", "Cost per 1,000 impressions", "currency", "lower", "spend",
                    "impressions", factor=1000.0, description="1000 x spend / impressions."),
        RatioMetric("cpa", "Cost per acquisition", "currency", "lower", "spend", "conversions",
                    description="Spend / platform-reported conversions."),
        RatioMetric("conversion_rate", "Conversion rate", "percent", "higher", "conversions",
                    "clicks", description="Conversions / clicks."),
        RatioMetric("roas", "Return on ad spend", "multiple", "higher", "revenue", "spend",
                    description="Revenue / ad spend."),
        RatioMetric("aov", "Average order value", "currency", "higher", "revenue", "orders",
                    description="Revenue / orders."),
        RatioMetric("cost_per_lead", "Cost per lead", "currency", "lower", "spend", "leads",
                    description="Spend / leads."),
        RatioMetric("lead_to_deal_rate", "Lead-to-deal rate", "percent", "higher", "deals_won",
                    "leads", description="Deals won / leads created in the same period."),
        RatioMetric("session_conversion_rate", "Session conversion rate", "percent", "higher",
                    "web_conversions", "sessions",
                    description="Web-analytics conversions / sessions."),
    )
}


def summed_inputs(name: str) -> tuple[str, ...]:
    """The summed metrics a metric is computed from (itself when it is summed)."""
    metric = METRICS[name]
    if isinstance(metric, SummedMetric):
        return (name,)
    return tuple(dict.fromkeys(m for part in metric.inputs for m in summed_inputs(part)))


def kinds_able_to_provide(name: str) -> set[str]:
    """Every data kind that can supply a summed metric."""
    metric = METRICS[name]
    assert isinstance(metric, SummedMetric)
    return {provider.kind for provider in metric.providers}
