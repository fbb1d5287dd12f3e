"""Churn, retention cohorts, net revenue retention and customer lifetime value from account data.

The input is the canonical ``accounts`` table: one row per account and
snapshot day, with ``status`` (active or one of the churned statuses),
``mrr``, ``start_date`` and ``churn_date``. An account's state on a day is its
latest snapshot on or before that day.

Definitions (David Skok, "SaaS Metrics 2.0 - A Guide to Measuring and
Improving What Matters", forEntrepreneurs.com; the usual SaaS practice):

* **Customer churn rate** of a period = customers lost during the period /
  customers at its start. Customers won during the period are in neither.
* **Net revenue retention (NRR)** = (MRR at the start + expansion -
  contraction - churned MRR) / MRR at the start, over the customers at the
  start only; **gross revenue retention (GRR)** leaves expansion out.
* **Cohort retention**: accounts grouped by the month they started; the share
  of each cohort still a customer at the end of each later month.
* **Customer lifetime value** = ARPA x gross margin / monthly churn rate
  (ARPA: average MRR per account), i.e. the margin an average account brings
  over an expected lifetime of 1 / churn months.

When an export has no start dates, every account in it is taken to have been
a customer when the period began; without churn dates, a churned account left
on its snapshot day. That is how a one-off churn extract (e.g. a telco's
"churned within the last month" flag) is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from nbreport.metrics.daily import safe_divide
from nbreport.core.period import Period


@dataclass(frozen=True)
class ChurnResult:
    """Customer and revenue churn over one period (NaN when there were no customers)."""

    customers_at_start: int
    lost: int
    rate: float
    mrr_at_start: float
    mrr_lost: float
    mrr_rate: float


@dataclass(frozen=True)
class RevenueRetention:
    """Net and gross revenue retention of the customers at the start of a period."""

    starting_mrr: float
    expansion: float
    contraction: float
    churned: float
    ending_mrr: float
    nrr: float
    grr: float


def state_on(accounts: pd.DataFrame, day: date) -> pd.DataFrame:
    """Each account's latest snapshot on or before ``day``, indexed by ``account_id``."""
    rows = accounts[accounts["date"] <= pd.Timestamp(day)]
    latest = rows.sort_values("date", kind="stable").groupby("account_id").tail(1)
    return latest.set_index("account_id")


def customers_at_start(accounts: pd.DataFrame, period: Period,
                       churned: Iterable[str] = ("churned",)) -> pd.DataFrame:
    """The accounts that were customers when ``period`` began, with a ``lost`` column.

    Columns: ``lost`` (left during the period), ``start_mrr`` (MRR in the last snapshot
    before the period, else the latest one) and ``end_mrr`` (MRR at the period's end,
    0 for lost accounts).
    """
    end = state_on(accounts, period.end)
    before = state_on(accounts, period.start - timedelta(days=1))
    start = pd.Timestamp(period.start)
    is_churned = end["status"].isin(list(churned))
    left_on = end["churn_date"].fillna(end["date"])
    began = end["start_date"].isna() | (end["start_date"] < start)
    base = end[began & (~is_churned | (left_on >= start))].copy()
    base["lost"] = is_churned.loc[base.index]
    base["start_mrr"] = before["mrr"].reindex(base.index).fillna(base["mrr"]).astype("float64")
    base["end_mrr"] = base["mrr"].where(~base["lost"], 0.0).astype("float64")
    return base


def churn(accounts: pd.DataFrame, period: Period,
          churned: Iterable[str] = ("churned",)) -> ChurnResult:
    """Customer churn rate (lost / customers at start) and MRR churn over ``period``."""
    base = customers_at_start(accounts, period, churned)
    lost = int(base["lost"].sum())
    start_mrr = float(base["start_mrr"].sum())
    lost_mrr = float(base.loc[base["lost"], "start_mrr"].sum())
    return ChurnResult(len(base), lost, safe_divide(lost, len(base)), start_mrr, lost_mrr,
                       safe_divide(lost_mrr, start_mrr))


def revenue_retention(accounts: pd.DataFrame, period: Period,
                      churned: Iterable[str] = ("churned",)) -> RevenueRetention:
    """NRR and GRR of the customers at the start of ``period`` (see module)."""
    base = customers_at_start(accounts, period, churned)
    kept = base[~base["lost"]]
    delta = kept["end_mrr"] - kept["start_mrr"]
    start = float(base["start_mrr"].sum())
    expansion = float(delta.clip(lower=0).sum())
    contraction = float((-delta).clip(lower=0).sum())
    churned_mrr = float(base.loc[base["lost"], "start_mrr"].sum())
    ending = start + expansion - contraction - churned_mrr
    return RevenueRetention(start, expansion, contraction, churned_mrr, ending,
                            safe_divide(ending, start),
                            safe_divide(start - contraction - churned_mrr, start))


def monthly_churn_rate(accounts: pd.DataFrame, end: date, months: int = 12,
                       churned: Iterable[str] = ("churned",)) -> float:
    """Pooled monthly customer churn over the ``months`` calendar months ending with ``end``'s
    month: total lost / total customers at the start of each month (a ratio of sums)."""
    lost = base = 0
    month = Period.month(end.year, end.month)
    for _ in range(months):
        result = churn(accounts, month, churned)
        lost += result.lost
        base += result.customers_at_start
        month = month.previous()
    return safe_divide(lost, base)


def arpa(accounts: pd.DataFrame, day: date, churned: Iterable[str] = ("churned",)) -> float:
    """Average MRR per active account on ``day``."""
    state = state_on(accounts, day)
    active = state[~state["status"].isin(list(churned))]
    return safe_divide(float(active["mrr"].sum()), len(active))


def lifetime_value(average_mrr: float, monthly_churn: float, gross_margin: float = 1.0) -> float:
    """``ARPA x gross margin / monthly churn`` (Skok); NaN when churn is 0 or missing."""
    return safe_divide(average_mrr * gross_margin, monthly_churn)


def cohort_retention(accounts: pd.DataFrame, as_of: date, cohorts: int = 12,
                     churned: Iterable[str] = ("churned",)) -> pd.DataFrame:
    """Share of each monthly start cohort still a customer at the end of each later month.

    Returns a frame indexed by cohort month (``Period`` keys such as ``2026-03``) with a
    ``customers`` column (cohort size) and one column per month since start (0, 1, 2...);
    cells after ``as_of`` are NaN. Accounts without a start date are left out.
    """
    state = state_on(accounts, as_of)
    state = state[state["start_date"].notna()]
    last_cohort = pd.Timestamp(as_of).to_period("M")
    first_cohort = last_cohort - (cohorts - 1)
    cohort = state["start_date"].dt.to_period("M")
    state = state[(cohort >= first_cohort) & (cohort <= last_cohort)]
    if state.empty:
        return pd.DataFrame(columns=["customers"])
    cohort = state["start_date"].dt.to_period("M")
    left = state["churn_date"].fillna(state["date"]).where(state["status"].isin(list(churned)))
    left = left.fillna(pd.Timestamp.max)
    ages = range(cohorts)
    table = {}
    for age in ages:
        month_end = (cohort + age).dt.to_timestamp(how="end").dt.normalize()
        observed = month_end <= pd.Timestamp(as_of)
        still = (left > month_end).where(observed)
        table[age] = still.astype("float64").groupby(cohort).mean()
    frame = pd.DataFrame(table)
    frame.insert(0, "customers", cohort.value_counts().reindex(frame.index).astype(int))
    frame.index = [str(p) for p in frame.index]
    return frame.sort_index()

