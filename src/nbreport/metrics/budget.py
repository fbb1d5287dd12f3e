"""Budget candour: where every unit of the client's money went, against the plan.

Definitions (for the reported period, or its part up to the as-of day):

* **planned** — the params' budget per calendar month (per channel or campaign when given),
  pro-rated to the period's days like a monthly KPI target (a week of October: 7/31 of it; a
  quarter: three months; :func:`budget_for_period`); **expected to date** — planned x reported days / period days (even daily pacing);
* **pace** — spent / expected to date (1.0 = on plan; for a complete period, spent / planned);
* **projected** — spent x period days / reported days: the spend at the period's end if the
  days to come run at the period-to-date's daily rate; **variance** — projected - planned;
* **management fee** — percent of spend plus a fixed amount (pro-rated by days to date).

Results, costs and returns are metrics of the registry (:mod:`nbreport.metrics.definitions`),
never formulas of their own: a result counts what the paid channels brought
(``leads`` -> ``paid_leads``), the cost per result is the registry's ``ad spend / result``
(``cost_per_paid_lead``), the return is ``paid_roas``, and the all-in cost and the ROI are
those metrics with the agency fee added to ad spend (``all_in_cost_per_paid_lead``,
``roi_after_fees``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nbreport.i18n import N_
from nbreport.metrics.daily import daily_metrics, metric_value, period_totals, safe_divide
from nbreport.metrics.definitions import FEE_METRICS, METRICS
from nbreport.metrics.names import cost_per, fee_inclusive, label_of, paid_variant
from nbreport.metrics.spec import BudgetSpec
from nbreport.metrics.targets import spread
from nbreport.core.period import Period
from nbreport.sources.loader import ClientData

UNALLOCATED = N_("Not split by channel")  # a row of the channel table: shown with _()
TABLE_COLUMNS = ("planned", "spent", "share", "expected", "pace", "projected", "variance",
                 "results", "cost_per_result", "revenue", "return_on_spend")
RETURN_METRIC = "paid_roas"
REVENUE_METRIC = "paid_revenue"
ROI_METRIC = "roi_after_fees"
CAMPAIGN_RESULT = "conversions"  # campaign-level results exist only as the ad platforms report them


def default_result(data: ClientData) -> str:
    """What counts as a result when params do not say: leads (CRM), else orders, else the
    platforms' conversions."""
    for kind, metric in (("crm", "leads"), ("orders", "orders")):
        if data.has(kind):
            return metric
    return "conversions"


def budget_table(totals: pd.DataFrame, planned: pd.Series, full: Period, reported: Period,
                 *, cost_metric: str | None = None, return_metric: str | None = None
                 ) -> pd.DataFrame:
    """Spend against plan per segment (channel or campaign); see the module for each column.

    Parameters
    ----------
    totals:
        Period totals of summed metrics indexed by segment, with ``spend`` and the inputs of
        ``cost_metric`` and ``return_metric``.
    planned:
        Planned spend for the whole period per segment (segments without a plan: NaN).
    cost_metric, return_metric:
        Registry ratios giving ``cost_per_result`` and ``return_on_spend`` (their
        denominator and numerator become ``results`` and ``revenue``); without them those
        columns are NaN.

    Returns
    -------
    DataFrame
        One row per segment that spent or had a plan, biggest spend first, with the columns
        of :data:`TABLE_COLUMNS`.
    """
    index = totals.index[totals["spend"] > 0].union(planned.index, sort=False)
    rows = totals.reindex(index).fillna(0.0)
    frame = pd.DataFrame(index=index)
    frame["planned"] = planned.reindex(index).astype("float64")
    frame["spent"] = rows["spend"]
    frame["share"] = safe_divide(frame["spent"], frame["spent"].sum())
    elapsed = reported.days / full.days
    frame["expected"] = frame["planned"] * elapsed
    frame["pace"] = safe_divide(frame["spent"], frame["expected"])
    frame["projected"] = frame["spent"] / elapsed
    frame["variance"] = frame["projected"] - frame["planned"]
    for column, metric, part in (("results", cost_metric, "denominator"),
                                 ("revenue", return_metric, "numerator")):
        frame[column] = (_series(metric_value(rows, getattr(METRICS[metric], part)), index)
                         if metric else float("nan"))
    frame["cost_per_result"] = (_series(metric_value(rows, cost_metric), index) if cost_metric
                                else float("nan"))
    frame["return_on_spend"] = (_series(metric_value(rows, return_metric), index)
                                if return_metric else float("nan"))
    return frame.sort_values("spent", ascending=False, kind="stable")[list(TABLE_COLUMNS)]


def _series(values: float | pd.Series, index: pd.Index) -> pd.Series:
    """A metric of per-segment totals as a Series (NaN throughout when its data is absent)."""
    if isinstance(values, pd.Series):
        return values.astype("float64")
    return pd.Series(float(values), index=index)


def with_fee(totals: pd.Series, fee: float) -> pd.Series:
    """Period totals with the agency fee added to ad spend: the base of every fee-inclusive
    metric (:data:`~nbreport.metrics.definitions.FEE_METRICS`)."""
    return totals.add(pd.Series({"spend": fee}), fill_value=0.0)


def fee_inclusive_value(totals: pd.Series, name: str, fee: float) -> float:
    """A fee-inclusive metric: its base metric over the totals with the fee in ad spend."""
    return float(metric_value(with_fee(totals, fee), FEE_METRICS[name].base))


def management_fee(spec: BudgetSpec, spent: float, elapsed: float) -> float:
    """The agency fee for ``spent``: percent of spend plus the fixed fee x ``elapsed`` share."""
    fee = spec.management_fee
    if fee is None:
        return 0.0
    return spent * (fee.percent_of_spend or 0.0) / 100 + (fee.fixed or 0.0) * elapsed


@dataclass(frozen=True)
class BudgetSummary:
    """The whole budget in one line (see the module for each definition).

    ``results``, ``cost_per_result``, ``all_in_cost_per_result``, ``revenue``,
    ``return_on_spend`` and ``roi`` are the :class:`BudgetReport`'s registry metrics
    (``revenue`` is ``paid_revenue``; ``roi`` is ``roi_after_fees``, the fee counted as
    cost); ``off_pace`` is true when the projected spend strays from the plan by more than
    ``pacing_tolerance``.
    """

    planned: float
    spent: float
    expected: float
    pace: float
    projected: float
    variance: float
    remaining: float
    fee: float
    projected_fee: float
    total_cost: float
    results: float
    cost_per_result: float
    all_in_cost_per_result: float
    revenue: float
    return_on_spend: float
    roi: float
    complete: bool
    off_pace: bool


@dataclass(frozen=True)
class BudgetReport:
    """Budget summary, the channel table and the campaign table, with the registry metrics
    behind each figure (to label it and link its definition).

    Attributes
    ----------
    result_metric:
        What a result counts (``paid_leads``, ``paid_orders``, ``conversions``...).
    cost_metric, all_in_metric:
        Cost per result, media only and with the agency fee (``None``: no such metric).
    campaign_cost_metric:
        Cost per result of the campaign table, whose results the ad platforms report.
    """

    summary: BudgetSummary
    channels: pd.DataFrame
    campaigns: pd.DataFrame
    result_metric: str
    result_label: str
    cost_metric: str
    all_in_metric: str | None
    campaign_result_metric: str = CAMPAIGN_RESULT
    campaign_cost_metric: str = "cpa"
    revenue_metric: str = REVENUE_METRIC
    return_metric: str = RETURN_METRIC
    roi_metric: str = ROI_METRIC


def budget_for_period(spec: BudgetSpec, period: Period) -> BudgetSpec:
    """``spec`` (monthly amounts) for ``period``: every amount, split and fixed fee spread over
    the period's days, each day getting its month's amount / days in that month; a calendar
    month keeps ``spec`` as it stands."""
    if period.kind == "month":
        return spec
    months = spread(1.0, "month", period)
    fee = spec.management_fee
    return spec.model_copy(update={
        "amount": spec.amount * months,
        "by_channel": {name: value * months for name, value in spec.by_channel.items()},
        "by_campaign": {name: value * months for name, value in spec.by_campaign.items()},
        "management_fee": None if fee is None else fee.model_copy(
            update={"fixed": None if fee.fixed is None else fee.fixed * months}),
    })


def budget_report(data: ClientData, spec: BudgetSpec, full: Period,
                  reported: Period) -> BudgetReport:
    """Spend by channel and campaign against ``spec`` (monthly amounts, pro-rated to ``full``
    by :func:`budget_for_period`) for ``reported`` (see the module)."""
    spec = budget_for_period(spec, full)
    counted = paid_variant(spec.result or default_result(data))
    cost = cost_per(counted)
    if cost is None:  # the params check rules this out; a clear message all the same
        raise ValueError(f"budget.result: the registry has no cost per '{counted}'")
    needed = ["spend", cost, RETURN_METRIC]
    channels = budget_table(_totals(data, needed, "channel", reported), _channel_plan(spec),
                            full, reported, cost_metric=cost, return_metric=RETURN_METRIC)
    campaign_cost = cost_per(CAMPAIGN_RESULT)
    assert campaign_cost is not None
    campaigns = budget_table(_totals(data, ["spend", campaign_cost], "campaign", reported),
                             pd.Series(spec.by_campaign, dtype="float64"), full, reported,
                             cost_metric=campaign_cost)
    totals = period_totals(daily_metrics(data, [*needed, REVENUE_METRIC]), reported)
    assert isinstance(totals, pd.Series)
    all_in = fee_inclusive(cost)
    summary = _summary(spec, totals, counted, cost, all_in, full, reported)
    return BudgetReport(summary, channels, campaigns, counted, label_of(counted), cost, all_in,
                        campaign_cost_metric=campaign_cost)


def _totals(data: ClientData, names: list[str], by: str, reported: Period) -> pd.DataFrame:
    """Period totals of the summed metrics behind ``names`` per ``by``."""
    totals = period_totals(daily_metrics(data, names, by=by), reported)
    assert isinstance(totals, pd.DataFrame)
    if "spend" not in totals:
        totals["spend"] = 0.0
    return totals


def _channel_plan(spec: BudgetSpec) -> pd.Series:
    plan = pd.Series(spec.by_channel, dtype="float64")
    rest = spec.amount - plan.sum()
    if len(plan) and rest > spec.amount * 1e-4:
        plan[UNALLOCATED] = rest
    return plan


def _summary(spec: BudgetSpec, totals: pd.Series, counted: str, cost: str, all_in: str | None,
             full: Period, reported: Period) -> BudgetSummary:
    """The whole budget; every result, cost and return is a registry metric of ``totals``."""
    elapsed = reported.days / full.days
    spent = float(totals.get("spend", 0.0))
    projected = spent / elapsed
    fee = management_fee(spec, spent, elapsed)
    expected = spec.amount * elapsed
    return BudgetSummary(
        planned=spec.amount, spent=spent, expected=expected, pace=safe_divide(spent, expected),
        projected=projected, variance=projected - spec.amount, remaining=spec.amount - spent,
        fee=fee, projected_fee=management_fee(spec, projected, 1.0), total_cost=spent + fee,
        results=float(metric_value(totals, counted)),
        cost_per_result=float(metric_value(totals, cost)),
        all_in_cost_per_result=(fee_inclusive_value(totals, all_in, fee) if all_in
                                else float("nan")),
        revenue=float(metric_value(totals, REVENUE_METRIC)),
        return_on_spend=float(metric_value(totals, RETURN_METRIC)),
        roi=fee_inclusive_value(totals, ROI_METRIC, fee),
        complete=reported == full,
        off_pace=abs(projected / spec.amount - 1) > spec.pacing_tolerance)
