"""The metric registry: what every KPI name means and where its numbers come from.

One concept, one name, one definition: every figure the report shows about spend, results
and return is computed from an entry here and labelled with its label (or the client's own
KPI label for it). Where two variants of a concept are both useful they get two names and
labels that say what they divide: "Return on ad spend (revenue from paid channels)" against
"Blended return (all revenue / ad spend)", "Cost per paid lead" against "Cost per lead (all
leads)". Old names whose meaning did not change keep working (:data:`RENAMED`).

Three kinds of metric:

* a :class:`SummedMetric` adds up one column (or counts rows) of a canonical
  table, day by day;
* a :class:`CombinedMetric` is a signed sum of summed metrics over the same
  period (``revenue - spend``, ``promoters - detractors``): still additive
  over days, so it can be pro-rated and decomposed like a sum;
* a :class:`RatioMetric` divides one metric's total by another's *over the
  same period*. Ratios are always computed from sums, never as a mean of
  daily ratios, and a zero denominator gives a missing value ("n/a").

A :class:`FeeInclusiveMetric` (:data:`FEE_METRICS`) is a metric of the registry recomputed
with the agency's management fee added to ad spend; the fee lives in the params' budget, so
these are shown in the budget section and cannot be KPIs.

"Paid channels" are the channel groups ad money buys (:data:`PAID_CHANNELS`, GA4's paid
default channel groups): revenue, orders and leads recorded against them are what the ad
spend can be held to account for; all revenue includes organic, direct and e-mail sales.

Formulas follow the usual industry definitions: CTR, CPC, CPM, CPA, conversion
rate and ROAS as in the Google Ads Help Center glossary; ROI as
``(revenue - cost) / cost`` (return on investment); NPS as in Reichheld (2003), "The One
Number You Need to Grow", Harvard Business Review 81(12); CSAT as the share
of 4-5 answers on a 1-5 scale (ACSI/ISO 10004 practice); CES as the mean
answer on the 1-7 agreement scale of CEB's "Customer Effort Score 2.0"
(Dixon, Freeman & Toman 2010, HBR "Stop Trying to Delight Your Customers").

A summed metric may have several providers (e.g. revenue from orders, from
won CRM deals or from web analytics); the first kind of data the client has
is used, unless the KPI names a source. Plain Python only: params validation
imports this module and must stay fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from nbreport.i18n import N_

Unit = Literal["count", "currency", "percent", "multiple", "score", "number"]
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
        Column -> accepted values (text or numbers); rows that do not match are not counted.
    """

    kind: str
    column: str | None
    date_column: str = "date"
    where: tuple[tuple[str, tuple[str | float, ...]], ...] = ()


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


@dataclass(frozen=True)
class CombinedMetric:
    """``sum(weight * total(part))`` over one period, e.g. ``revenue - spend``.

    Every part is a summed metric, so the combination is itself additive over
    days and channels (it can be pro-rated and decomposed like a sum).
    """

    name: str
    label: str
    unit: Unit
    direction: Direction
    terms: tuple[tuple[float, str], ...]
    description: str = ""
    inputs: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "inputs", tuple(part for _, part in self.terms))


Metric = SummedMetric | CombinedMetric | RatioMetric

_WON = (("stage", ("won",)),)
_OPPORTUNITY = (("stage", ("opportunity", "won", "lost")),)


def _scale(name: str, *scores: float) -> tuple[tuple[str, tuple[str | float, ...]], ...]:
    """Survey rows of one scale, optionally only those with the given scores."""
    where: list[tuple[str, tuple[str | float, ...]]] = [("scale", (name,))]
    if scores:
        where.append(("score", tuple(float(s) for s in scores)))
    return tuple(where)


_RATED = tuple(float(s) for s in range(1, 6))

# GA4's paid default channel groups, the names the presets map every tool's channels onto
PAID_CHANNELS: tuple[str, ...] = ("Paid Search", "Paid Social", "Paid Shopping", "Paid Video",
                                  "Paid Other", "Display", "Cross-network", "Audio")
_PAID = (("channel", PAID_CHANNELS),)
PAID_NAMES = ", ".join(PAID_CHANNELS)


def _summed(name: str, label: str, unit: Unit, direction: Direction, *providers: Provider,
            description: str = "") -> SummedMetric:
    return SummedMetric(name, label, unit, direction, providers, description)


METRICS: dict[str, Metric] = {
    metric.name: metric
    for metric in (
        _summed("impressions", N_("Impressions"), "count", "higher", Provider("ads", "impressions")),
        _summed("clicks", N_("Clicks"), "count", "higher", Provider("ads", "clicks")),
        _summed("spend", N_("Ad spend"), "currency", "neutral", Provider("ads", "spend")),
        _summed("conversions", N_("Platform-reported conversions"), "count", "higher",
                Provider("ads", "conversions"),
                description=N_("Conversions as the ad platforms report them.")),
        _summed("conversion_value", N_("Conversion value"), "currency", "higher",
                Provider("ads", "conversion_value"),
                description=N_("Value of conversions as the ad platforms report it.")),
        _summed("sessions", N_("Sessions"), "count", "higher", Provider("web", "sessions")),
        _summed("users", N_("Users"), "count", "higher", Provider("web", "users")),
        _summed("new_users", N_("New users"), "count", "higher", Provider("web", "new_users")),
        _summed("web_conversions", N_("Conversions (web analytics)"), "count", "higher",
                Provider("web", "conversions")),
        _summed("web_revenue", N_("Revenue (web analytics)"), "currency", "higher",
                Provider("web", "revenue"),
                description=N_("Revenue as web analytics records it.")),
        _summed("orders", N_("Orders"), "count", "higher", Provider("orders", None)),
        _summed("revenue", N_("Revenue"), "currency", "higher",
                Provider("orders", "revenue"),
                Provider("crm", "amount", date_column="close_date", where=_WON),
                Provider("web", "revenue"),
                description=N_("Revenue from orders, else won deals, else web analytics.")),
        _summed("leads", N_("Leads"), "count", "higher", Provider("crm", None)),
        _summed("opportunities", N_("Opportunities"), "count", "higher",
                Provider("crm", None, where=_OPPORTUNITY)),
        _summed("deals_won", N_("Deals won"), "count", "higher",
                Provider("crm", None, date_column="close_date", where=_WON)),
        RatioMetric("ctr", N_("Click-through rate"), "percent", "higher", "clicks", "impressions",
                    description=N_("Clicks / impressions.")),
        RatioMetric("cpc", N_("Cost per click"), "currency", "lower", "spend", "clicks",
                    description=N_("Spend / clicks.")),
        RatioMetric("cpm", N_("Cost per 1,000 impressions"), "currency", "lower", "spend",
                    "impressions", factor=1000.0, description=N_("1000 x spend / impressions.")),
        _summed("paid_revenue", N_("Revenue from paid channels"), "currency", "higher",
                Provider("orders", "revenue", where=_PAID),
                Provider("crm", "amount", date_column="close_date", where=_WON + _PAID),
                Provider("web", "revenue", where=_PAID),
                description=N_("Revenue recorded against a paid channel (%(channels)s); "
                            "organic, direct and e-mail sales are left out.")),
        _summed("paid_orders", N_("Orders from paid channels"), "count", "higher",
                Provider("orders", None, where=_PAID),
                description=N_("Orders the shop records against a paid channel (%(channels)s).")),
        _summed("paid_leads", N_("Leads from paid channels"), "count", "higher",
                Provider("crm", None, where=_PAID),
                description=N_("Leads the CRM records against a paid channel (%(channels)s).")),
        RatioMetric("cpa", N_("Cost per platform-reported conversion"), "currency", "lower", "spend",
                    "conversions", description=N_("Ad spend / conversions as the ad platforms "
                    "report them (platforms also count view-throughs and modelled conversions, "
                    "and two platforms can claim the same sale).")),
        RatioMetric("cost_per_paid_order", N_("Cost per order from paid channels"), "currency",
                    "lower", "spend", "paid_orders",
                    description=N_("Ad spend / orders the shop records against a paid channel.")),
        RatioMetric("conversion_rate", N_("Conversion rate"), "percent", "higher", "conversions",
                    "clicks", description=N_("Platform-reported conversions / clicks.")),
        RatioMetric("paid_roas", N_("Return on ad spend (revenue from paid channels)"), "multiple",
                    "higher", "paid_revenue", "spend",
                    description=N_("Revenue recorded against a paid channel / ad spend.")),
        RatioMetric("blended_roas", N_("Blended return (all revenue / ad spend)"), "multiple",
                    "higher", "revenue", "spend",
                    description=N_("All revenue, organic included / ad spend: how much revenue "
                                "each unit of ad spend stands beside, not what it brought in.")),
        RatioMetric("aov", N_("Average order value"), "currency", "higher", "revenue", "orders",
                    description=N_("Revenue / orders.")),
        RatioMetric("cost_per_lead", N_("Cost per lead (all leads)"), "currency", "lower", "spend",
                    "leads", description=N_("Ad spend / every lead, organic and referral included.")),
        RatioMetric("cost_per_paid_lead", N_("Cost per paid lead"), "currency", "lower", "spend",
                    "paid_leads", description=N_("Ad spend / leads the CRM records against a paid "
                    "channel.")),
        RatioMetric("lead_to_deal_rate", N_("Lead-to-deal rate"), "percent", "higher", "deals_won",
                    "leads", description=N_("Deals won / leads created in the same period.")),
        RatioMetric("session_conversion_rate", N_("Session conversion rate"), "percent", "higher",
                    "web_conversions", "sessions",
                    description=N_("Web-analytics conversions / sessions.")),
        CombinedMetric("net_return", N_("All revenue minus ad spend"), "currency", "higher",
                       ((1.0, "revenue"), (-1.0, "spend")),
                       description=N_("All revenue, organic included - ad spend.")),
        RatioMetric("blended_roi", N_("Blended ROI (all revenue)"), "percent", "higher",
                    "net_return", "spend",
                    description=N_("(All revenue, organic included - ad spend) / ad spend.")),
        CombinedMetric("paid_net_return", N_("Revenue from paid channels minus ad spend"),
                       "currency", "higher", ((1.0, "paid_revenue"), (-1.0, "spend")),
                       description=N_("Revenue recorded against a paid channel - ad spend.")),
        RatioMetric("paid_roi", N_("ROI on ad spend (revenue from paid channels)"), "percent",
                    "higher", "paid_net_return", "spend",
                    description=N_("(Revenue recorded against a paid channel - ad spend) / ad "
                                "spend.")),
        RatioMetric("cac", N_("Customer acquisition cost"), "currency", "lower", "spend", "deals_won",
                    description=N_("Ad spend / new customers (deals won) in the same period.")),
        RatioMetric("win_rate", N_("Opportunity win rate"), "percent", "higher", "deals_won",
                    "opportunities", description=N_("Deals won / opportunities created.")),
        # customer-success metrics from survey responses and support tickets
        _summed("nps_responses", N_("NPS responses"), "count", "higher",
                Provider("survey", None, where=_scale("nps"))),
        _summed("nps_promoters", N_("Promoters"), "count", "higher",
                Provider("survey", None, where=_scale("nps", 9, 10)),
                description=N_("NPS answers of 9 or 10.")),
        _summed("nps_detractors", N_("Detractors"), "count", "lower",
                Provider("survey", None, where=_scale("nps", *range(0, 7))),
                description=N_("NPS answers of 0 to 6.")),
        CombinedMetric("nps_net", N_("Promoters minus detractors"), "count", "higher",
                       ((1.0, "nps_promoters"), (-1.0, "nps_detractors"))),
        RatioMetric("nps", N_("Net Promoter Score"), "score", "higher", "nps_net", "nps_responses",
                    factor=100.0, description=N_("100 x (promoters - detractors) / responses; "
                    "-100 to +100.")),
        _summed("csat_responses", N_("CSAT responses"), "count", "higher",
                Provider("survey", None, where=_scale("csat"))),
        _summed("csat_satisfied", N_("Satisfied CSAT answers"), "count", "higher",
                Provider("survey", None, where=_scale("csat", 4, 5))),
        RatioMetric("csat", N_("Customer satisfaction (CSAT)"), "percent", "higher", "csat_satisfied",
                    "csat_responses", description=N_("Share of answers 4 or 5 on the 1-5 scale.")),
        _summed("ces_responses", N_("CES responses"), "count", "higher",
                Provider("survey", None, where=_scale("ces"))),
        _summed("ces_points", N_("CES points"), "number", "higher",
                Provider("survey", "score", where=_scale("ces"))),
        RatioMetric("ces", N_("Customer effort score (CES)"), "number", "higher", "ces_points",
                    "ces_responses", description=N_("Mean answer on the 1-7 'easy to handle' "
                    "agreement scale; higher means less effort.")),
        _summed("tickets", N_("Support tickets"), "count", "lower", Provider("support", None)),
        _summed("tickets_rated", N_("Rated tickets"), "count", "higher",
                Provider("support", None, where=(("satisfaction", _RATED),))),
        _summed("tickets_satisfied", N_("Tickets rated 4-5"), "count", "higher",
                Provider("support", None, where=(("satisfaction", (4.0, 5.0)),))),
        RatioMetric("ticket_csat", N_("Support satisfaction"), "percent", "higher",
                    "tickets_satisfied", "tickets_rated",
                    description=N_("Share of rated tickets scored 4 or 5 on the 1-5 scale.")),
    )
}


# Old names whose meaning is unchanged: params, commentary placeholders and forecast settings
# that use them keep working (and get the honest label).
RENAMED: dict[str, str] = {"roas": "blended_roas", "roi": "blended_roi"}


@dataclass(frozen=True)
class FeeInclusiveMetric:
    """``base`` recomputed with the agency's management fee added to ad spend.

    The fee is set in the params' budget, not in the data, so these are figures of the
    budget section and cannot be KPIs.
    """

    name: str
    label: str
    base: str
    description: str

    @property
    def unit(self) -> Unit:
        return METRICS[self.base].unit

    @property
    def direction(self) -> Direction:
        return METRICS[self.base].direction


FEE_METRICS: dict[str, FeeInclusiveMetric] = {
    metric.name: metric
    for metric in (
        FeeInclusiveMetric("roi_after_fees", N_("ROI after agency fees"), "paid_roi",
                           N_("(Revenue recorded against a paid channel - ad spend - agency fee) "
                              "/ (ad spend + agency fee).")),
        FeeInclusiveMetric("all_in_cost_per_paid_lead", N_("Cost per paid lead, all-in"),
                           "cost_per_paid_lead",
                           N_("(Ad spend + agency fee) / leads recorded against a paid channel.")),
        FeeInclusiveMetric("all_in_cost_per_paid_order", N_("Cost per order from paid channels, "
                           "all-in"), "cost_per_paid_order",
                           N_("(Ad spend + agency fee) / orders recorded against a paid channel.")),
        FeeInclusiveMetric("all_in_cpa", N_("Cost per platform-reported conversion, all-in"),
                           "cpa",
                           N_("(Ad spend + agency fee) / conversions as the ad platforms report "
                              "them.")),
        FeeInclusiveMetric("all_in_cac", N_("Customer acquisition cost, all-in"), "cac",
                           N_("(Ad spend + agency fee) / deals won.")),
    )
}


def summed_inputs(name: str) -> tuple[str, ...]:
    """The summed metrics a metric is computed from (itself when it is summed)."""
    metric = METRICS[name]
    if isinstance(metric, SummedMetric):
        return (name,)
    return tuple(dict.fromkeys(m for part in metric.inputs for m in summed_inputs(part)))


def is_additive(name: str) -> bool:
    """Whether the metric adds up over days and segments (a sum or a signed sum of sums)."""
    return not isinstance(METRICS[name], RatioMetric)


def count_inputs(name: str) -> tuple[str, ...]:
    """The summed metrics behind ``name`` that count things (rows, clicks, responses...).

    Their totals are the *volume* behind a metric: the evidence a change stands on.
    """
    return tuple(m for m in summed_inputs(name) if METRICS[m].unit == "count")


# The health signals live beside the metrics; re-exported for ``from definitions import ...``.
from nbreport.metrics.signals import HEALTH_SIGNALS, HealthSignal  # noqa: E402,F401
