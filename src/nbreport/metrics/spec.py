"""How a params file declares KPIs, targets, status thresholds, budget, triangulation checks,
the bar for wins and challenges, and customer-success settings (health-score weights)."""

from __future__ import annotations

import difflib
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from nbreport.i18n import _
from nbreport.metrics.definitions import HEALTH_SIGNALS, METRICS, SummedMetric, summed_inputs
from nbreport.metrics.names import cost_per, paid_variant, resolve
from nbreport.metrics.targets import GRAINS, check_grains
from nbreport.core.strict_model import Slug, StrictModel


def known_metric(value: str) -> str:
    """The registry name ``value`` stands for (an old name gives its new one); else an error
    with the closest name."""
    return resolve(value)


def missing_data(metric: str, kinds: set[str]) -> str | None:
    """Why ``metric`` cannot be computed from data of ``kinds`` (``None`` when it can)."""
    for needed in summed_inputs(metric):
        summed = METRICS[needed]
        assert isinstance(summed, SummedMetric)
        able = [provider.kind for provider in summed.providers]
        if not kinds.intersection(able):
            return (f"'{metric}' needs '{needed}', which comes from {' or '.join(able)} data, "
                    "and this client has no such source")
    return None


class KpiSpec(StrictModel):
    """One KPI the report tracks.

    Attributes
    ----------
    metric:
        A name from the metric registry (``nbreport metrics`` lists them).
    label:
        How the report names it; defaults to the registry's label.
    target:
        The goal per calendar month. Summed KPIs (revenue, orders...) are pro-rated to the
        reported days (a week of October: 7/31 of it; a quarter: three months); ratios
        (rates, averages) are not pro-rated.
    targets_by_period:
        Goals per kind of period, e.g. ``{week: 250, quarter: 3000}``: the goal of the period's
        own kind wins over the pro-rated ``target`` (see :mod:`nbreport.metrics.targets`).
    direction:
        Whether ``higher`` or ``lower`` is better; defaults to the registry's.
    source:
        Name of the source to take a summed metric from, when several could give it.
    headline:
        Show it in the executive summary.
    """

    metric: str
    label: str | None = None
    target: float | None = Field(default=None, ge=0)
    targets_by_period: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict, json_schema_extra={"propertyNames": {"enum": list(GRAINS)}})
    direction: Literal["higher", "lower"] | None = None
    source: Slug | None = None
    headline: bool = False

    @field_validator("targets_by_period")
    @classmethod
    def _known_grains(cls, value: dict[str, float]) -> dict[str, float]:
        return check_grains(value)

    @model_validator(mode="after")
    def _monthly_target_once(self) -> KpiSpec:
        given = self.targets_by_period.get("month")
        if self.target is not None and given is not None and given != self.target:
            raise ValueError(f"target ({self.target:g}) and targets_by_period.month ({given:g}) "
                             "both give the monthly goal; keep one")
        return self

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str) -> str:
        return known_metric(value)

    @model_validator(mode="after")
    def _direction_for_neutral_metrics(self) -> KpiSpec:
        if ((self.target is not None or self.targets_by_period) and self.direction is None
                and METRICS[self.metric].direction == "neutral"):
            raise ValueError(
                f"metric '{self.metric}' has no natural direction; with a target, "
                "add direction: higher or direction: lower"
            )
        return self

    @property
    def display_label(self) -> str:
        return self.label or _(METRICS[self.metric].label)

    @property
    def has_target(self) -> bool:
        """Whether any goal is given (``target`` or ``targets_by_period``)."""
        return self.target is not None or bool(self.targets_by_period)

    @property
    def better(self) -> Literal["higher", "lower", "neutral"]:
        return self.direction or METRICS[self.metric].direction


class StatusThresholds(StrictModel):
    """Red/amber/green from attainment (actual / target, inverted when lower is better).

    Attainment at or above ``green`` is green, at or above ``amber`` is amber, else red.
    """

    green: float = Field(default=1.0, gt=0)
    amber: float = Field(default=0.9, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> StatusThresholds:
        if self.amber > self.green:
            raise ValueError(f"amber ({self.amber}) must not be above green ({self.green})")
        return self


class ManagementFee(StrictModel):
    """The agency's fee, shown as its own line in the budget section."""

    percent_of_spend: float | None = Field(default=None, ge=0, le=100)
    fixed: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_kind(self) -> ManagementFee:
        if self.percent_of_spend is None and self.fixed is None:
            raise ValueError("give percent_of_spend or fixed (or both)")
        return self


class BudgetSpec(StrictModel):
    """The planned media budget per month (pro-rated to other kinds of period).

    Attributes
    ----------
    amount:
        Planned spend per calendar month, in the client's currency; pro-rated to the days
        of a week, a quarter, a year or a custom range (as are the splits and a fixed fee).
    by_channel:
        Optional split of ``amount`` by channel (channel names as in the ad data).
    by_campaign:
        Optional planned spend per campaign (campaign names as in the ad data).
    management_fee:
        Optional agency fee line.
    result:
        The summed metric that counts as "a result" for cost per result (``leads``,
        ``orders``, ``conversions``...); by default leads when the client has CRM data,
        else orders, else the ad platforms' conversions.
    pacing_tolerance:
        How far projected spend may stray from the plan (as a share of it) before the
        report flags it.
    """

    amount: float = Field(gt=0)
    by_channel: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    by_campaign: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    management_fee: ManagementFee | None = None
    result: str | None = None
    pacing_tolerance: float = Field(default=0.1, gt=0, le=1)

    @field_validator("result")
    @classmethod
    def _summed_result(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = known_metric(value)
        if not isinstance(METRICS[value], SummedMetric):
            raise ValueError(f"'{value}' is a ratio; a result must be a count such as leads, "
                             "orders or conversions")
        if cost_per(paid_variant(value)) is None:
            able = sorted(m for m in METRICS if cost_per(paid_variant(m)) is not None)
            raise ValueError(f"the registry has no cost per '{value}'; a result must be one of "
                             f"{', '.join(able)}")
        return value

    @model_validator(mode="after")
    def _split_within_total(self) -> BudgetSpec:
        for name, split_by in (("by_channel", self.by_channel), ("by_campaign", self.by_campaign)):
            split = sum(split_by.values())
            if split > self.amount * 1.0001:
                raise ValueError(
                    f"{name} adds up to {split:,.2f}, more than amount {self.amount:,.2f}"
                )
        return self


class MeasureSpec(StrictModel):
    """One way of measuring a quantity, for triangulation.

    Attributes
    ----------
    metric:
        A registry metric (``conversions`` as the ad platforms report them,
        ``web_conversions``, ``leads``, ``orders``, ``revenue``...).
    label:
        How the report names this measure (e.g. "Ad platforms", "CRM").
    source:
        Take the metric from this source only.
    channels:
        Count only these channels (e.g. the paid ones, which ad platforms can see).
    note:
        Why this measure differs from the truth, in plain words (shown in the report).
    """

    metric: str
    label: str | None = None
    source: Slug | None = None
    channels: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str) -> str:
        return known_metric(value)

    @property
    def display_label(self) -> str:
        return self.label or self.source or _(METRICS[self.metric].label)


class TriangulationSpec(StrictModel):
    """The same quantity from two or more sources, reconciled against a tolerance.

    Attributes
    ----------
    label:
        The quantity, e.g. "Paid conversions".
    measures:
        Two or more measures; **the first is taken as the truth**.
    tolerance:
        Largest accepted difference from the truth, as a share of it (0.1 = ±10%).
    truth_reason:
        Why the first measure is the truth, in plain words (shown in the report).
    """

    label: str = Field(min_length=1)
    measures: Annotated[list[MeasureSpec], Field(min_length=2)]
    tolerance: float = Field(default=0.1, gt=0, le=10)
    truth_reason: str | None = None

    @model_validator(mode="after")
    def _comparable(self) -> TriangulationSpec:
        units = {METRICS[m.metric].unit for m in self.measures}
        if len(units) > 1:
            raise ValueError(f"measures of '{self.label}' have different units "
                             f"({', '.join(sorted(units))}); compare like with like")
        labels = [m.display_label for m in self.measures]
        if len(set(labels)) < len(labels):
            raise ValueError("two measures have the same label; give each a distinct label")
        return self


class InsightSettings(StrictModel):
    """The bar a number must clear to be reported as a win or a challenge.

    Attributes
    ----------
    min_volume:
        Smallest count (clicks, conversions, responses...) in each period behind a change.
    min_days:
        Fewest days with data in each period behind a change of a money metric.
    significance:
        Largest p-value of the test of a change (two-sided z-test).
    min_change:
        Smallest relative change or target miss worth reporting (0.05 = 5%).
    per_side:
        How many wins and how many challenges to show at most.
    """

    min_volume: int = Field(default=30, ge=1)
    min_days: int = Field(default=7, ge=2)
    significance: float = Field(default=0.05, gt=0, lt=0.5)
    min_change: float = Field(default=0.05, ge=0)
    per_side: int = Field(default=3, ge=1, le=10)


class HealthComponent(StrictModel):
    """One weighted part of the customer health score.

    The signal's value is mapped linearly to 0-100 points: ``bad`` or worse scores 0,
    ``good`` or better scores 100 (``bad`` may be above ``good`` when lower is better,
    e.g. tickets per seat).

    Attributes
    ----------
    signal:
        A health signal (``nbreport metrics`` lists them).
    weight:
        Relative weight; weights are normalised to add up to 1.
    """

    signal: str
    weight: float = Field(gt=0)
    bad: float
    good: float
    label: str | None = None

    @field_validator("signal")
    @classmethod
    def _known_signal(cls, value: str) -> str:
        if value not in HEALTH_SIGNALS:
            close = difflib.get_close_matches(value, HEALTH_SIGNALS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ValueError(f"unknown health signal '{value}'; {hint}known signals: "
                             f"{', '.join(sorted(HEALTH_SIGNALS))}")
        return value

    @model_validator(mode="after")
    def _distinct_ends(self) -> HealthComponent:
        if self.good == self.bad:
            raise ValueError(f"good and bad are both {self.good}; they must differ")
        return self

    @property
    def display_label(self) -> str:
        return self.label or _(HEALTH_SIGNALS[self.signal].label)


class HealthScoreSpec(StrictModel):
    """A customer health score: a weighted composite of signals, 0-100.

    Attributes
    ----------
    components:
        The weighted signals.
    healthy, at_risk:
        Scores at or above ``healthy`` are healthy, at or above ``at_risk`` at risk,
        below it critical.
    """

    components: Annotated[list[HealthComponent], Field(min_length=1)]
    healthy: float = Field(default=70, ge=0, le=100)
    at_risk: float = Field(default=40, ge=0, le=100)

    @model_validator(mode="after")
    def _consistent(self) -> HealthScoreSpec:
        signals = [c.signal for c in self.components]
        repeated = sorted({s for s in signals if signals.count(s) > 1})
        if repeated:
            raise ValueError(f"each signal may appear once; repeated: {', '.join(repeated)}")
        if self.at_risk > self.healthy:
            raise ValueError(f"at_risk ({self.at_risk}) must not be above healthy ({self.healthy})")
        return self

    @property
    def kinds_needed(self) -> set[str]:
        return {kind for c in self.components for kind in HEALTH_SIGNALS[c.signal].kinds}


class CustomerSuccessSpec(StrictModel):
    """How customer-success metrics are computed for this client.

    Attributes
    ----------
    health_score:
        Weights and scaling of the health score's components.
    min_responses:
        Surveys with fewer responses get a small-sample warning.
    confidence:
        Level of the confidence intervals (0.95 = 95%).
    gross_margin:
        Share of revenue kept after the cost of serving it, for lifetime value; without
        it, lifetime value is stated in revenue.
    churned_statuses:
        Account statuses that mean the customer has left.
    cohort_months:
        How many monthly cohorts the retention table shows.
    """

    health_score: HealthScoreSpec | None = None
    min_responses: int = Field(default=30, ge=1)
    confidence: float = Field(default=0.95, gt=0.5, lt=1)
    gross_margin: float | None = Field(default=None, gt=0, le=1)
    churned_statuses: list[str] = Field(default_factory=lambda: ["churned"], min_length=1)
    cohort_months: int = Field(default=12, ge=2, le=36)
