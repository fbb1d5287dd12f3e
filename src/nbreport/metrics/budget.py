"""Budget candour: where every unit of the client's money went, against the plan.

Definitions (for the reported period, or its part up to the as-of day):

* **planned** — the params' budget for the whole period (per channel or campaign when
  given); **expected to date** — planned x reported days / period days (even daily pacing);
* **pace** — spent / expected to date (1.0 = on plan; for a complete period, spent / planned);
* **projected** — spent x period days / reported days: the spend at the period's end if the
  days to come run at the period-to-date's daily rate; **variance** — projected - planned;
* **cost per result** — spend / results (the result metric: leads, orders or conversions);
* **return on spend** — revenue / spend, with revenue recorded against the same channel;
* **management fee** — percent of spend plus a fixed amount (pro-rated by days to date);
  **ROI** — (revenue - spend - fee) / (spend + fee).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nbreport.metrics.daily import daily_metrics, period_totals, safe_divide
from nbreport.metrics.definitions import METRICS
from nbreport.metrics.spec import BudgetSpec
from nbreport.params.period import Period
from nbreport.sources.loader import ClientData

UNALLOCATED = "Not split by channel"
TABLE_COLUMNS = ("planned", "spent", "share", "expected", "pace", "projected", "variance",
                 "results", "cost_per_result", "revenue", "return_on_spend")


def default_result(data: ClientData) -> str:
    """What counts as a result when params do not say: leads (CRM), else orders, else the
    platforms' conversions."""
    for kind, metric in (("crm", "leads"), ("orders", "orders")):
        if data.has(kind):
            return metric
    return "conversions"


def budget_table(totals: pd.DataFrame, planned: pd.Series, full: Period,
                 reported: Period) -> pd.DataFrame:
    """Spend against plan per segment (channel or campaign); see the module for each column.

    Parameters
    ----------
    totals:
        Period totals indexed by segment, with ``spend`` and optionally ``results`` and
        ``revenue`` columns.
    planned:
        Planned spend for the whole period per segment (segments without a plan: NaN).

    Returns
    -------
    DataFrame
        One row per segment that spent or had a plan, biggest spend first, with the columns
        of :data:`TABLE_COLUMNS`.
    """
    index = totals.index[totals["spend"] > 0].union(planned.index, sort=False)
    frame = pd.DataFrame(index=index)
    frame["planned"] = planned.reindex(index).astype("float64")
    frame["spent"] = totals["spend"].reindex(index).fillna(0.0)
    frame["share"] = safe_divide(frame["spent"], frame["spent"].sum())
    elapsed = reported.days / full.days
    frame["expected"] = frame["planned"] * elapsed
    frame["pace"] = safe_divide(frame["spent"], frame["expected"])
    frame["projected"] = frame["spent"] / elapsed
    frame["variance"] = frame["projected"] - frame["planned"]
    for column in ("results", "revenue"):
        frame[column] = (totals[column].reindex(index).fillna(0.0) if column in totals
                         else float("nan"))
    frame["cost_per_result"] = safe_divide(frame["spent"], frame["results"])
    frame["return_on_spend"] = safe_divide(frame["revenue"], frame["spent"])
    return frame.sort_values("spent", ascending=False, kind="stable")[list(TABLE_COLUMNS)]


def management_fee(spec: BudgetSpec, spent: float, elapsed: float) -> float:
    """The agency fee for ``spent``: percent of spend plus the fixed fee x ``elapsed`` share."""
    fee = spec.management_fee
    if fee is None:
        return 0.0
    return spent * (fee.percent_of_spend or 0.0) / 100 + (fee.fixed or 0.0) * elapsed


@dataclass(frozen=True)
class BudgetSummary:
    """The whole budget in one line (see the module for each definition).

    ``revenue`` is the revenue recorded against the channels that spent money; ``roi``
    counts the fee as cost; ``off_pace`` is true when the projected spend strays from the
    plan by more than ``pacing_tolerance``.
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
    """Budget summary, the channel table and the campaign table."""

    summary: BudgetSummary
    channels: pd.DataFrame
    campaigns: pd.DataFrame
    result_metric: str
    result_label: str


def budget_report(data: ClientData, spec: BudgetSpec, full: Period,
                  reported: Period) -> BudgetReport:
    """Spend by channel and campaign against ``spec`` for ``reported`` (see the module)."""
    result = spec.result or default_result(data)
    channel_totals = _totals(data, {"spend": "spend", result: "results", "revenue": "revenue"},
                             "channel", reported)
    channels = budget_table(channel_totals, _channel_plan(spec), full, reported)
    # campaign-level results exist only as the ad platforms report them
    campaign_totals = _totals(data, {"spend": "spend", "conversions": "results"}, "campaign",
                              reported)
    campaigns = budget_table(campaign_totals, pd.Series(spec.by_campaign, dtype="float64"),
                             full, reported)
    return BudgetReport(_summary(spec, channels, full, reported), channels, campaigns, result,
                        METRICS[result].label)


def _totals(data: ClientData, columns: dict[str, str], by: str, reported: Period) -> pd.DataFrame:
    """Period totals of the metrics in ``columns`` per ``by``, renamed as ``columns`` says."""
    totals = period_totals(daily_metrics(data, list(columns), by=by), reported)
    assert isinstance(totals, pd.DataFrame)
    totals = totals.rename(columns=columns)
    if "spend" not in totals:
        totals["spend"] = 0.0
    return totals


def _channel_plan(spec: BudgetSpec) -> pd.Series:
    plan = pd.Series(spec.by_channel, dtype="float64")
    rest = spec.amount - plan.sum()
    if len(plan) and rest > spec.amount * 1e-4:
        plan[UNALLOCATED] = rest
    return plan


def _summary(spec: BudgetSpec, channels: pd.DataFrame, full: Period,
             reported: Period) -> BudgetSummary:
    elapsed = reported.days / full.days
    spent = float(channels["spent"].sum())
    projected = spent / elapsed
    fee = management_fee(spec, spent, elapsed)
    total = spent + fee
    results = float(channels["results"].sum())
    revenue = float(channels["revenue"].sum(min_count=1))
    expected = spec.amount * elapsed
    return BudgetSummary(
        planned=spec.amount, spent=spent, expected=expected, pace=safe_divide(spent, expected),
        projected=projected, variance=projected - spec.amount, remaining=spec.amount - spent,
        fee=fee, projected_fee=management_fee(spec, projected, 1.0), total_cost=total,
        results=results, cost_per_result=safe_divide(spent, results),
        all_in_cost_per_result=safe_divide(total, results), revenue=revenue,
        return_on_spend=safe_divide(revenue, spent), roi=safe_divide(revenue - total, total),
        complete=reported == full,
        off_pace=abs(projected / spec.amount - 1) > spec.pacing_tolerance)
