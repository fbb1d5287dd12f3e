"""Wins and challenges, chosen from the numbers with statistical care.

Every candidate is looked at from both sides: a change in the good direction
is a win, in the bad direction a challenge; a target met is a win, missed a
challenge. A candidate is kept only when it clears the client's bar
(:class:`~nbreport.metrics.spec.InsightSettings`):

* **volume** — the counts behind it (clicks, conversions, responses...) reach
  ``min_volume`` in each period (money-only metrics: ``min_days`` days with
  data), so small counts cannot make a win;
* **significance** — a change must pass a two-sided z-test at
  ``significance``: the ratio-of-sums test with days as sampling units of
  :func:`nbreport.metrics.stats.compare_ratios` (sums compare their daily
  means), the pooled two-proportion test for churn;
* **materiality** — the change (per day, for sums over periods of different
  lengths) or the distance from target is at least ``min_change``.

Kept candidates are ranked by **impact**: the size of the effect relative to
its reference (``|relative change|``, ``|attainment - 1|``, a segment's part
of a KPI's change over the KPI's previous value, the part of a discrepancy or
of a budget deviation beyond its tolerance), and the first ``per_side`` of
each side are reported. Each insight is one plain sentence with the numbers
behind it, plus those numbers as fields for commentary placeholders.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import pandas as pd

from nbreport.core.formatting import Formatter
from nbreport.i18n import _
from nbreport.metrics.daily import metric_value, period_totals
from nbreport.metrics.definitions import (
    METRICS,
    RatioMetric,
    count_inputs,
    is_additive,
    summed_inputs,
)
from nbreport.metrics.insight_sentences import (budget_sentence, change_sentence, churn_sentence,
                                                driver_sentence, empty_note, target_sentence)
from nbreport.metrics.kpis import KpiResult, relative_change
from nbreport.metrics.spec import InsightSettings
from nbreport.metrics.stats import ChangeTest, compare_proportions, compare_ratios, ratio_of_sums
from nbreport.core.period import Period

Side = Literal["win", "challenge"]
Topic = Literal["change", "target", "driver", "data", "budget", "customers"]


@dataclass(frozen=True)
class Insight:
    """One win or challenge.

    Attributes
    ----------
    side:
        ``win`` or ``challenge``.
    topic:
        ``change`` (on the previous period), ``target``, ``driver`` (a channel's part of a
        KPI's change), ``data`` (a triangulation discrepancy), ``budget`` or ``customers``.
    subject:
        What it is about, e.g. "Leads" or "Leads from Paid Social".
    metric:
        The registry metric behind it ("" when none, e.g. the budget).
    sentence:
        One plain line with the numbers, ready for the report.
    value, reference, reference_label:
        The number now and what it is compared with ("September 2026", "target",
        "CRM", "budget").
    change:
        ``(value - reference) / |reference|``.
    unit:
        Unit of ``value`` and ``reference`` (count, currency, percent, multiple, number).
    impact:
        The ranking key (see the module).
    p_value:
        Of the test behind it; NaN when no test applies (a target, a discrepancy).
    volume:
        The smallest count behind it in either period (days for money-only metrics).
    """

    side: Side
    topic: Topic
    subject: str
    metric: str
    sentence: str
    value: float
    reference: float
    reference_label: str
    change: float
    unit: str
    impact: float
    p_value: float = math.nan
    volume: float = math.nan

    def to_dict(self) -> dict[str, Any]:
        return {key: (None if isinstance(value, float) and math.isnan(value) else value)
                for key, value in asdict(self).items()}


@dataclass(frozen=True)
class Insights:
    """The wins and challenges of a report, best first, and what was checked to find them."""

    wins: list[Insight]
    challenges: list[Insight]
    checked: list[str] = field(default_factory=list)
    settings: InsightSettings = field(default_factory=InsightSettings)

    def empty_note(self, side: Side) -> str:
        """The plain sentence that stands in for a side with nothing to report."""
        return empty_note(side, self.checked, self.settings.min_change, self.settings.min_volume)


@dataclass(frozen=True)
class MetricRef:
    """A metric to watch, under the label and direction the report uses."""

    metric: str
    label: str
    direction: str


def rank(candidates: Iterable[Insight], settings: InsightSettings, checked: list[str]) -> Insights:
    """The ``per_side`` highest-impact wins and challenges, one per subject and side."""
    best: dict[tuple[str, str], Insight] = {}
    for insight in candidates:
        key = (insight.side, insight.subject)
        if key not in best or insight.impact > best[key].impact:
            best[key] = insight
    ordered = sorted(best.values(), key=lambda i: i.impact, reverse=True)
    return Insights([i for i in ordered if i.side == "win"][:settings.per_side],
                    [i for i in ordered if i.side == "challenge"][:settings.per_side],
                    checked, settings)


# --- changes on the previous period --------------------------------------------------------
def _days(daily: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The daily frame's rows of ``period``, every day present (days without rows are 0)."""
    days = pd.date_range(period.start, period.end, freq="D", name="date")
    return daily.reindex(days, fill_value=0.0) if len(daily) else pd.DataFrame(index=days)


class DaysOf:
    """A daily frame's rows of each period (see :func:`_days`), each worked out once: the
    checks of every metric look at the same two periods."""

    def __init__(self, daily: pd.DataFrame) -> None:
        self.daily = daily
        self._rows: dict[Period, pd.DataFrame] = {}

    def __call__(self, period: Period) -> pd.DataFrame:
        if period not in self._rows:
            self._rows[period] = _days(self.daily, period)
        return self._rows[period]


def _days_of(daily: pd.DataFrame | DaysOf) -> DaysOf:
    return daily if isinstance(daily, DaysOf) else DaysOf(daily)


def change_test(daily: pd.DataFrame | DaysOf, metric: str, before: Period, after: Period) -> ChangeTest:
    """The z-test of the change of ``metric`` between two periods of a daily frame.

    Sums compare their daily means; ratios compare ratios of sums (see :mod:`.stats`).
    """
    days = _days_of(daily)
    estimates = []
    for period in (before, after):
        rows = days(period)
        definition = METRICS[metric]
        if isinstance(definition, RatioMetric):
            estimates.append(ratio_of_sums(_daily_values(rows, definition.numerator),
                                           _daily_values(rows, definition.denominator)))
        else:
            estimates.append(ratio_of_sums(_daily_values(rows, metric)))
    return compare_ratios(*estimates)


def _daily_values(rows: pd.DataFrame, metric: str) -> pd.Series:
    values = metric_value(rows, metric)
    return values if isinstance(values, pd.Series) else pd.Series(math.nan, index=rows.index)


def volume(daily: pd.DataFrame | DaysOf, metric: str, period: Period) -> tuple[float, bool]:
    """The evidence behind ``metric`` in ``period``: its smallest count input's total
    (``True``), or for money-only metrics the days with a non-zero value (``False``)."""
    rows = _days_of(daily)(period)
    counts = [name for name in count_inputs(metric) if name in rows]
    if counts:
        return float(rows[counts].sum().min()), True
    inputs = [name for name in rows.columns if name in METRICS]
    return float((rows[inputs] != 0).any(axis=1).sum()) if inputs else 0.0, False


def enough_volume(daily: pd.DataFrame | DaysOf, metric: str, periods: Sequence[Period],
                  settings: InsightSettings) -> tuple[bool, float]:
    """Whether ``metric`` has enough volume in every period, and the smallest volume."""
    days = _days_of(daily)
    found = [volume(days, metric, period) for period in periods]
    smallest = min(v for v, _ in found)
    is_count = found[0][1]
    return smallest >= (settings.min_volume if is_count else settings.min_days), smallest


def _side(change: float, direction: str) -> Side | None:
    if math.isnan(change) or change == 0 or direction not in ("higher", "lower"):
        return None
    return "win" if (change > 0) == (direction == "higher") else "challenge"


def change_insights(daily: pd.DataFrame, metrics: Sequence[MetricRef], now: Period,
                    before: Period, before_label: str, settings: InsightSettings,
                    fmt: Formatter, topic: Topic = "change") -> list[Insight]:
    """A candidate per metric that changed materially and significantly on ``before``."""
    found = []
    days = DaysOf(daily)
    totals_now, totals_before = period_totals(daily, now), period_totals(daily, before)
    for ref in metrics:
        if not set(summed_inputs(ref.metric)) <= set(daily.columns):
            continue  # no data for it
        value = float(metric_value(totals_now, ref.metric))
        reference = float(metric_value(totals_before, ref.metric))
        change = relative_change(value, reference)
        fair = relative_change(value / now.days, reference / before.days) if is_additive(
            ref.metric) else change
        side = _side(fair, ref.direction)
        enough, smallest = enough_volume(days, ref.metric, (before, now), settings)
        test = change_test(days, ref.metric, before, now)
        if side is None or not enough or abs(fair) < settings.min_change:
            continue
        if math.isnan(test.p_value) or test.p_value > settings.significance:
            continue
        unit = METRICS[ref.metric].unit
        per_day = is_additive(ref.metric) and now.days != before.days
        sentence = change_sentence(ref.label, change, fair if per_day else None, before_label,
                                    fmt.value(value, unit), fmt.value(reference, unit), fmt)
        found.append(Insight(side, topic, ref.label, ref.metric, sentence, value, reference,
                             before_label, change, unit, abs(fair), test.p_value, smallest))
    return found


# --- targets ------------------------------------------------------------------------------
def target_insights(kpis: Sequence[KpiResult], daily: pd.DataFrame, now: Period,
                    settings: InsightSettings, fmt: Formatter, partial: bool) -> list[Insight]:
    """A win per KPI at or above its target, a challenge per KPI below it, when the volume
    behind it is enough."""
    found = []
    goal = "target to date" if partial else "target"  # the reference's name in results.json
    days = DaysOf(daily)
    for result in kpis:
        if result.status == "none":
            continue
        enough, smallest = enough_volume(days, result.metric, (now,), settings)
        if not enough:
            continue
        met = result.status == "green" and (math.isnan(result.attainment) or result.attainment >= 1)
        side: Side = "win" if met else "challenge"
        sentence = target_sentence(result, met, partial, fmt)
        impact = abs(result.attainment - 1) if not math.isnan(result.attainment) else 1.0
        found.append(Insight(side, "target", result.label, result.metric, sentence,
                             result.actual, result.target, goal,
                             relative_change(result.actual, result.target), result.unit, impact,
                             volume=smallest))
    return found


# --- which segment drove a change ---------------------------------------------------------
def driver_insights(parts: pd.DataFrame, daily_by_segment: pd.DataFrame, ref: MetricRef,
                    now: Period, before: Period, before_label: str, settings: InsightSettings,
                    fmt: Formatter) -> list[Insight]:
    """The segment with the biggest part in each direction of a KPI's change, when its own
    change clears the bar (see :func:`nbreport.metrics.contribution.decompose_change`)."""
    total_before = parts.attrs.get("total_before", math.nan)
    total_change = parts.attrs.get("total_change", math.nan)
    unit = METRICS[ref.metric].unit
    found: list[Insight] = []
    for segment, row in parts.iterrows():
        impact = abs(row["contribution"]) / abs(total_before) if total_before else math.nan
        side = _side(row["contribution"], ref.direction)
        if side is None or math.isnan(impact) or impact < settings.min_change:
            continue
        if any(i.side == side for i in found):
            continue  # the biggest part on each side is enough
        if segment not in daily_by_segment.index.get_level_values(1):
            continue
        rows = DaysOf(daily_by_segment.xs(segment, level=1))
        enough, smallest = enough_volume(rows, ref.metric, (before, now), settings)
        test = change_test(rows, ref.metric, before, now)
        if not enough or math.isnan(test.p_value) or test.p_value > settings.significance:
            continue
        sentence = driver_sentence(ref.label, segment, row, total_change, before_label, unit, fmt)
        found.append(Insight(side, "driver", f"{ref.label} from {segment}", ref.metric, sentence,
                             float(row["after"]), float(row["before"]), before_label,
                             relative_change(row["after"], row["before"]), unit, impact,
                             test.p_value, smallest))
    return found


# --- data, budget and customers -----------------------------------------------------------
def discrepancy_insights(label: str, current: pd.DataFrame, truth: str, unit: str,
                         tolerance: float, sentences: Sequence[str]) -> list[Insight]:
    """A challenge per measure outside the tolerance (see :mod:`.triangulation`)."""
    found = []
    for row, sentence in zip(current.to_dict("records"), sentences, strict=True):
        if row["within"] is pd.NA or bool(row["within"]):
            continue
        pct = row["difference_pct"]
        impact = abs(pct) - tolerance if not math.isnan(pct) else 1.0
        found.append(Insight("challenge", "data", f"{label}: {row['measure']}", "", sentence,
                             row["value"], row["truth"], truth, pct, unit, impact))
    return found


def budget_insight(planned: float, projected: float, complete: bool, tolerance: float,
                   period_label: str, fmt: Formatter) -> list[Insight]:
    """A challenge when the (projected) spend strays from the plan beyond the tolerance."""
    deviation = relative_change(projected, planned)
    if math.isnan(deviation) or abs(deviation) <= tolerance:
        return []
    sentence = budget_sentence(projected, planned, deviation, complete, period_label, fmt)
    return [Insight("challenge", "budget", _("Budget pacing"), "spend", sentence, projected, planned,
                    "budget", deviation, "currency", abs(deviation) - tolerance)]


def churn_insight(lost_before: int, base_before: int, lost_now: int, base_now: int,
                  before_label: str, settings: InsightSettings, fmt: Formatter) -> list[Insight]:
    """A win or challenge when customer churn changed significantly (two-proportion test)."""
    test = compare_proportions(lost_before, base_before, lost_now, base_now)
    change = relative_change(test.after, test.before)
    side = _side(change, "lower")
    if (side is None or min(base_before, base_now) < settings.min_volume
            or abs(change) < settings.min_change or math.isnan(test.p_value)
            or test.p_value > settings.significance):
        return []
    sentence = churn_sentence(test.after, test.before, lost_now, base_now, before_label, fmt)
    return [Insight(side, "customers", _("Customer churn"), "", sentence, test.after, test.before,
                    before_label, change, "percent", abs(change), test.p_value,
                    float(min(base_before, base_now)))]
