"""The customer health score: a weighted composite of per-account signals, 0 to 100.

Method (the weighted-scorecard health score of customer-success practice,
e.g. Gainsight's "Customer Health Scoring" guide; the scaling is min-max
normalisation between two anchors the client chooses):

1. For every customer at the period's end, each *signal* is measured over the
   period (see :data:`nbreport.metrics.definitions.HEALTH_SIGNALS`).
2. Each component maps its signal linearly to points:
   ``100 x clip((value - bad) / (good - bad), 0, 1)``, so ``bad`` or worse
   scores 0 and ``good`` or better 100 (``bad`` above ``good`` when lower is
   better).
3. An account's score is the weighted mean of its component points, weights
   normalised to add up to 1. A signal an account has no value for (no rated
   ticket, say) is left out and the other weights are re-normalised for that
   account, so a missing number never counts as a bad one.
4. The portfolio score is the mean over scored accounts. A component's
   *contribution* is the mean of its weighted points, so the contributions add
   up exactly to the portfolio score, and their changes add up to its change.

Everything stays within 0..100 by construction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nbreport.metrics.daily import safe_divide
from nbreport.metrics.retention import state_on
from nbreport.metrics.spec import HealthScoreSpec
from nbreport.core.period import Period
from nbreport.sources.loader import ClientData

BANDS = ("healthy", "at_risk", "critical")


def _inside(table: pd.DataFrame, period: Period) -> pd.DataFrame:
    dates = table["date"]
    return table[(dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))]


def customers_on(data: ClientData, period: Period, churned: Iterable[str]) -> pd.DataFrame:
    """The accounts that are customers at the end of ``period``, with their ``seats`` and ``mrr``.

    From the account snapshots when the client has them; otherwise every account with
    product use or a ticket in the period (seats and MRR unknown).
    """
    if data.has("accounts"):
        state = state_on(data.table("accounts"), period.end)
        return state.loc[~state["status"].isin(list(churned)), ["seats", "mrr"]]
    ids = pd.Index([], dtype=object)
    for kind in ("usage", "support"):
        if data.has(kind):
            ids = ids.union(_inside(data.table(kind), period)["account_id"].unique())
    ids = ids[ids != ""]
    return pd.DataFrame({"seats": np.nan, "mrr": np.nan}, index=pd.Index(ids, name="account_id"))


def health_signals(data: ClientData, period: Period,
                   churned: Iterable[str] = ("churned",)) -> pd.DataFrame:
    """Every health signal for each customer at the end of ``period`` (see module).

    Signals whose data the client lacks are NaN. An account with no product use in the
    period has 0 active days, 0 seat utilisation and 0 key actions per user; one with no
    ticket has 0 tickets per seat and no ticket satisfaction or resolution time.
    """
    customers = customers_on(data, period, churned)
    seats = customers["seats"].where(customers["seats"] > 0)
    signals = pd.DataFrame(index=customers.index)
    if data.has("usage"):
        usage = _inside(data.table("usage"), period)
        usage = usage[usage["active_users"] > 0].groupby("account_id")
        days = usage["date"].nunique().reindex(signals.index, fill_value=0)
        users = usage["active_users"].sum().reindex(signals.index, fill_value=0)
        actions = usage["key_actions"].sum().reindex(signals.index, fill_value=0)
        signals["active_days"] = days / period.days
        signals["seat_utilisation"] = safe_divide(safe_divide(users, days).fillna(0.0), seats)
        signals["key_actions_per_user"] = safe_divide(actions, users).fillna(0.0)
    if data.has("support"):
        tickets = _inside(data.table("support"), period)
        by_account = tickets.groupby("account_id")
        count = by_account.size().reindex(signals.index, fill_value=0)
        signals["tickets_per_seat"] = safe_divide(count, seats)
        signals["ticket_satisfaction"] = by_account["satisfaction"].mean().reindex(signals.index)
        hours = resolution_hours(tickets).groupby(tickets["account_id"]).median()
        signals["resolution_hours"] = hours.reindex(signals.index)
    if data.has("accounts"):
        before = state_on(data.table("accounts"), period.start - pd.Timedelta(days=1))
        start_mrr = before["mrr"].reindex(signals.index)
        signals["mrr_change"] = safe_divide(customers["mrr"] - start_mrr, start_mrr)
    return signals


def resolution_hours(tickets: pd.DataFrame) -> pd.Series:
    """Hours from opening to resolving each ticket (NaN while unresolved)."""
    return (tickets["resolved_at"] - tickets["created_at"]).dt.total_seconds() / 3600


def component_points(values: pd.Series, bad: float, good: float) -> pd.Series:
    """``100 x clip((value - bad) / (good - bad), 0, 1)``; missing values stay missing."""
    return 100.0 * ((values - bad) / (good - bad)).clip(0.0, 1.0)


def health_scores(signals: pd.DataFrame, spec: HealthScoreSpec) -> pd.DataFrame:
    """Per account: each component's points and weighted contribution, the score and its band.

    Columns ``points:<signal>``, ``contribution:<signal>``, ``score`` and ``band``
    (``healthy``, ``at_risk``, ``critical``; empty when the account has no score).
    """
    weights = pd.Series({c.signal: c.weight for c in spec.components}, dtype="float64")
    points = pd.DataFrame({
        c.signal: component_points(signals[c.signal] if c.signal in signals else
                                   pd.Series(np.nan, index=signals.index), c.bad, c.good)
        for c in spec.components}, index=signals.index)
    available = points.notna() * weights
    share = available.div(available.sum(axis=1), axis=0)  # 0/0 -> NaN: no signal at all
    contributions = points * share  # NaN where the account has no value for the signal
    score = contributions.sum(axis=1, min_count=1)
    band = pd.Series(np.select([score >= spec.healthy, score >= spec.at_risk, score.notna()],
                               list(BANDS), default=""), index=signals.index)
    return pd.concat([points.add_prefix("points:"), contributions.add_prefix("contribution:"),
                      score.rename("score"), band.rename("band")], axis=1)


@dataclass(frozen=True)
class HealthResult:
    """The portfolio's health now and in the previous period.

    Attributes
    ----------
    score, previous, change:
        Mean account score now, in the previous period, and the difference (points).
    components:
        One row per component (index: signal) with ``label``, ``weight`` (normalised),
        ``value`` (mean signal now), ``points`` (mean points now), ``contribution``,
        ``previous_contribution`` and ``change``; contributions add up to ``score``.
    bands:
        Per band (healthy, at_risk, critical): ``accounts`` and ``mrr`` now, and
        ``previous_accounts``.
    accounts, unscored:
        Customers scored, and customers without any signal value.
    attention:
        The critical accounts with the most MRR: ``account_id``, ``score``, ``mrr``.
    """

    score: float
    previous: float
    change: float
    components: pd.DataFrame
    bands: pd.DataFrame
    accounts: int
    unscored: int
    attention: pd.DataFrame


def health_report(data: ClientData, spec: HealthScoreSpec, now: Period, before: Period,
                  churned: Iterable[str] = ("churned",), attention: int = 5) -> HealthResult:
    """The health score for ``now`` against ``before`` (see :class:`HealthResult`)."""
    signals_now = health_signals(data, now, churned)
    scores_now = health_scores(signals_now, spec)
    scores_before = health_scores(health_signals(data, before, churned), spec)
    scored_now = scores_now[scores_now["score"].notna()]
    scored_before = scores_before[scores_before["score"].notna()]
    weights = pd.Series({c.signal: c.weight for c in spec.components}, dtype="float64")
    components = pd.DataFrame({
        "label": [c.display_label for c in spec.components],
        "weight": (weights / weights.sum()).to_numpy(),
        "value": [signals_now[c.signal].mean() if c.signal in signals_now else math.nan
                  for c in spec.components],
        "points": [scored_now[f"points:{c.signal}"].mean() for c in spec.components],
        "contribution": [_mean(scored_now[f"contribution:{c.signal}"].fillna(0.0))
                         for c in spec.components],
        "previous_contribution": [_mean(scored_before[f"contribution:{c.signal}"].fillna(0.0))
                                  for c in spec.components],
    }, index=pd.Index([c.signal for c in spec.components], name="signal"))
    components["change"] = components["contribution"] - components["previous_contribution"]
    mrr = customers_on(data, now, churned)["mrr"]
    bands = pd.DataFrame({
        "accounts": scored_now["band"].value_counts().reindex(BANDS, fill_value=0),
        "mrr": mrr.reindex(scored_now.index).groupby(scored_now["band"]).sum().reindex(BANDS,
                                                                                      fill_value=0.0),
        "previous_accounts": scored_before["band"].value_counts().reindex(BANDS, fill_value=0),
    })
    critical = scored_now[scored_now["band"] == "critical"]
    watch = (pd.DataFrame({"score": critical["score"], "mrr": mrr.reindex(critical.index)})
             .sort_values(["mrr", "score"], ascending=[False, True]).head(attention)
             .rename_axis("account_id").reset_index())
    score, previous = _mean(scored_now["score"]), _mean(scored_before["score"])
    return HealthResult(score, previous, score - previous, components, bands, len(scored_now),
                        len(scores_now) - len(scored_now), watch)


def _mean(values: pd.Series) -> float:
    return float(values.mean()) if len(values) else math.nan
