"""Every number of one report, computed once: what the sections show and the run records.

:func:`nbreport.report.analysis.analyse` returns a :class:`ReportResults`. It is frozen
(its fields are immutable result types; the frames are not copied but nothing writes to
them) and serialisable: it pickles, and :meth:`ReportResults.to_dict` gives its figures
as plain JSON values (``results.json`` beside each report, which the QA gate and later
comparisons read).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from nbreport.core.period import Period
    from nbreport.metrics.budget import BudgetReport
    from nbreport.metrics.campaigns import CampaignTable
    from nbreport.metrics.coverage import SourceCoverage
    from nbreport.metrics.customer_success import CustomerSuccessResult
    from nbreport.metrics.insights import Insights
    from nbreport.metrics.kpis import KpiResult
    from nbreport.metrics.overlaps import OverlapTable
    from nbreport.metrics.triangulation import TriangulationResult
    from nbreport.forecast.results import ForecastResult
    from nbreport.sources.checks import DataWarning

RESULTS_SCHEMA = 1


@dataclass(frozen=True)
class ReportResults:
    """The results of one client's report for one period.

    Attributes
    ----------
    period, reported:
        The full period and the part of it reported on (up to ``as_of``).
    comparison_periods:
        ``now``, ``previous`` and ``last_year`` (see :func:`nbreport.metrics.kpis.comparison_periods`).
    kpis, headline:
        The scorecard (one row per KPI of params, in order) and its headline rows.
    comparable:
        Metric -> whether its sources cover the previous period as well as this one: a change
        against a period without data is never reported.
    coverage:
        Per source: its grain and the days its rows cover.
    period_warnings:
        Data-quality warnings about the reported period (sources ending early, allowed empty ones).
    daily, daily_by_channel:
        Daily sums of every metric the KPIs need, overall and by channel.
    contributions:
        Per KPI metric: each channel's part of its change on the previous period.
    budget, triangulation, customer_success, insights, forecasts, campaigns, overlaps:
        The results of each domain (``budget``/``campaigns``: ``None`` without a budget/ads;
        ``overlaps``: one table per overlap declared in params).
    """

    client_id: str
    params_hash: str
    period: Period
    reported: Period
    comparison_periods: Mapping[str, Period]
    kpis: tuple[KpiResult, ...]
    headline: tuple[KpiResult, ...]
    comparable: Mapping[str, bool]
    coverage: Mapping[str, SourceCoverage]
    period_warnings: tuple[DataWarning, ...]
    daily: pd.DataFrame
    daily_by_channel: pd.DataFrame
    contributions: Mapping[str, pd.DataFrame]
    budget: BudgetReport | None
    triangulation: tuple[TriangulationResult, ...]
    customer_success: CustomerSuccessResult
    insights: Insights
    forecasts: ForecastResult
    campaigns: CampaignTable | None
    overlaps: tuple[OverlapTable, ...]

    @property
    def previous_label(self) -> str:
        """How the report names the previous period ("September 2026", or "1–15 September 2026"
        when a period to date is compared with the same days)."""
        return self.comparison_periods["previous"].label

    @property
    def last_year_is_previous(self) -> bool:
        """Whether the same period last year is the previous period (a year's report): its
        columns would repeat the previous period's."""
        return self.comparison_periods["previous"] == self.comparison_periods["last_year"]

    @property
    def comparison_names(self) -> dict[str, str]:
        """How the report words its comparisons: ``previous`` ("previous week") and
        ``last_year`` ("same week last year"), see :func:`nbreport.core.period_names.comparison_names`."""
        from nbreport.core.period_names import comparison_names

        return comparison_names(self.period, self.reported)

    @property
    def partial(self) -> bool:
        """Whether the report covers only part of its period (a period to date)."""
        return self.reported != self.period

    def is_comparable(self, metric: str) -> bool:
        """Whether ``metric`` has a value in the previous period as well as in this one."""
        if metric not in self.comparable:
            raise KeyError(f"no comparison was worked out for '{metric}'; known: "
                           f"{', '.join(sorted(self.comparable))}")
        return self.comparable[metric]

    def to_dict(self) -> dict[str, Any]:
        """The figures as plain JSON values (frames as lists of records, NaN as ``None``)."""
        return {"schema": RESULTS_SCHEMA,
                **{item.name: plain(getattr(self, item.name)) for item in dataclasses.fields(self)
                   if item.name not in ("daily", "daily_by_channel")}}


def plain(value: Any) -> Any:
    """``value`` as JSON values: dataclasses and mappings as objects, dates as ISO text,
    frames as records, NaN and infinities as ``None``."""
    if hasattr(value, "model_dump"):  # parameters (pydantic models)
        return plain(value.model_dump(mode="json"))
    if hasattr(value, "to_dict") and not isinstance(value, pd.DataFrame | pd.Series | type):
        return plain(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: plain(getattr(value, item.name)) for item in dataclasses.fields(value)}
    if isinstance(value, pd.DataFrame):
        return [plain(row) for row in value.reset_index().to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy arrays and scalars
        return plain(value.tolist() if getattr(value, "ndim", 0) else value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
