"""How a params file asks for forecasts: which KPIs, how far ahead, which method.

Plain pydantic only: params validation imports this module and must stay fast
(no pandas, no prophet). The client's country for public holidays is
``client.country``; it is not repeated here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from nbreport.metrics.definitions import RENAMED
from nbreport.core.strict_model import StrictModel

Method = Literal["auto", "prophet", "seasonal-naive"]


class ForecastSpec(StrictModel):
    """Forecasts of the KPIs and the chance of reaching their targets.

    Attributes
    ----------
    enabled:
        Forecast at all; ``false`` leaves the section with one sentence.
    kpis:
        Metric names of the KPIs to forecast (each must be one of the client's ``kpis``).
        Default: the headline KPIs that have a target.
    periods_ahead:
        How many periods after the reported one to forecast (1: through the next period).
    method:
        ``auto`` checks prophet against a seasonal-naive forecast on the last complete
        period (forecast without seeing it) and uses the better one for each series;
        ``prophet`` or ``seasonal-naive`` force one method.
    interval:
        Width of the uncertainty interval (0.8: 80% of outcomes expected inside it).
    samples:
        Predictive samples drawn per series; probabilities are shares of these samples.
    holidays:
        Model the public holidays of ``client.country`` (when it is given).
    next_targets:
        Metric -> goal for the period(s) after the reported one, where it differs from
        the KPI's ``target`` (which is otherwise assumed to hold for the next period too).
        Written per month like ``target``, and pro-rated the same way to a week or quarter.
    """

    enabled: bool = True
    kpis: list[str] | None = None
    periods_ahead: Annotated[int, Field(ge=0, le=3)] = 1
    method: Method = "auto"
    interval: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.8
    samples: Annotated[int, Field(ge=100, le=5000)] = 500
    holidays: bool = True
    next_targets: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)

    @field_validator("kpis")
    @classmethod
    def _new_names(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [RENAMED.get(name, name) for name in value]

    @field_validator("next_targets")
    @classmethod
    def _new_target_names(cls, value: dict[str, float]) -> dict[str, float]:
        return {RENAMED.get(name, name): goal for name, goal in value.items()}

    def unknown_metrics(self, kpi_metrics: list[str]) -> list[str]:
        """Metrics named here (``kpis``, ``next_targets``) that are not among the client's KPIs."""
        named = [*(self.kpis or []), *self.next_targets]
        return sorted({name for name in named if name not in kpi_metrics})
