"""Pure functions from canonical DataFrames to the numbers a client report stands on.

Names load on first use, so that params validation (which reads the metric
registry) never pays for importing pandas.
"""

from __future__ import annotations

import lazy_loader as lazy

__getattr__, __dir__, __all__ = lazy.attach(__name__, submod_attrs={
    "definitions": ["METRICS", "Metric", "Provider", "RatioMetric", "SummedMetric",
        "CombinedMetric", "HEALTH_SIGNALS"],
    "daily": ["daily_metrics", "metric_value", "period_totals", "provider_used", "safe_divide"],
    "kpis": ["KpiResult", "relative_change", "scorecard", "comparison_periods"],
    "budget": ["budget_report", "budget_table"],
    "contribution": ["decompose_change"],
    "triangulation": ["reconcile", "triangulate"],
    "insights": ["Insight", "Insights"],
    "surveys": ["nps", "csat", "ces"],
    "retention": ["churn", "cohort_retention", "revenue_retention", "lifetime_value"],
    "health": ["health_scores", "health_report"],
    "customer_success": ["customer_success_report"],
})
