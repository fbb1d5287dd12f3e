"""How a params file declares KPIs, targets, status thresholds and budget."""

from __future__ import annotations

import difflib
from typing import Literal

from pydantic import Field, field_validator, model_validator

from nbreport.metrics.definitions import METRICS
from nbreport.strict_model import Slug, StrictModel


class KpiSpec(StrictModel):
    """One KPI the report tracks.

    Attributes
    ----------
    metric:
        A name from the metric registry (``nbreport metrics`` lists them).
    label:
        How the report names it; defaults to the registry's label.
    target:
        The goal for the whole reporting period; pro-rated for partial periods.
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
    direction: Literal["higher", "lower"] | None = None
    source: Slug | None = None
    headline: bool = False

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str) -> str:
        if value not in METRICS:
            close = difflib.get_close_matches(value, METRICS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ValueError(
                f"unknown metric '{value}'; {hint}known metrics: {', '.join(sorted(METRICS))}"
            )
        return value

    @model_validator(mode="after")
    def _direction_for_neutral_metrics(self) -> KpiSpec:
        if (self.target is not None and self.direction is None
                and METRICS[self.metric].direction == "neutral"):
            raise ValueError(
                f"metric '{self.metric}' has no natural direction; with a target, "
                "add direction: higher or direction: lower"
            )
        return self

    @property
    def display_label(self) -> str:
        return self.label or METRICS[self.metric].label

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
    """The planned media budget for the reporting period.

    Attributes
    ----------
    amount:
        Planned spend for the whole period, in the client's currency.
    by_channel:
        Optional split of ``amount`` by channel.
    management_fee:
        Optional agency fee line.
    """

    amount: float = Field(gt=0)
    by_channel: dict[str, float] = Field(default_factory=dict)
    management_fee: ManagementFee | None = None

    @model_validator(mode="after")
    def _split_within_total(self) -> BudgetSpec:
        split = sum(self.by_channel.values())
        if split > self.amount * 1.0001:
            raise ValueError(
                f"by_channel adds up to {split:,.2f}, more than amount {self.amount:,.2f}"
            )
        return self
