"""Pure functions from canonical DataFrames to the numbers a client report stands on.

Names load on first use, so that params validation (which reads the metric
registry) never pays for importing pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "METRICS": "definitions", "Metric": "definitions", "Provider": "definitions",
    "RatioMetric": "definitions", "SummedMetric": "definitions",
    "daily_metrics": "daily", "metric_value": "daily", "period_totals": "daily",
    "provider_used": "daily", "safe_divide": "daily",
    "KpiResult": "kpis", "relative_change": "kpis", "scorecard": "kpis",
    "comparison_periods": "kpis", "CombinedMetric": "definitions", "HEALTH_SIGNALS": "definitions",
    "budget_report": "budget", "budget_table": "budget", "decompose_change": "contribution",
    "reconcile": "triangulation", "triangulate": "triangulation",
    "Insight": "insights", "Insights": "insights",
    "nps": "surveys", "csat": "surveys", "ces": "surveys",
    "churn": "retention", "cohort_retention": "retention", "revenue_retention": "retention",
    "lifetime_value": "retention", "health_scores": "health", "health_report": "health",
    "customer_success_report": "customer_success",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'nbreport.metrics' has no attribute '{name}'")
    return getattr(importlib.import_module(f"nbreport.metrics.{_EXPORTS[name]}"), name)
