"""What a figure is, for the reader and for a program.

Each figure a section shows is labelled from the metric registry (or with the client's own
KPI label for that metric), its label links to the definitions list of the appendix
(:func:`metric_definitions`) with the definition as hover text, and the template marks it
with the ``figure`` macro of ``_blocks.html.j2`` so that :mod:`nbreport.qa.labels` can read
label -> value from the HTML.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from nbreport.i18n import _
from nbreport.metrics.definitions import FEE_METRICS, METRICS
from nbreport.metrics.names import definition_of, label_of

if TYPE_CHECKING:
    from nbreport.metrics.budget import BudgetReport
    from nbreport.params import ClientParams

# the figures about ad spend's cost and return, and which variants count only paid channels
SPEND_EFFICIENCY = ("paid_roas", "blended_roas", "paid_roi", "blended_roi", "cpa",
                    "cost_per_paid_order", "cost_per_paid_lead", "cost_per_lead", "cac")
PAID_ONLY = ("paid_roas", "paid_roi", "cost_per_paid_order", "cost_per_paid_lead")


def term(params: ClientParams, name: str) -> dict[str, str]:
    """A registry metric as a template shows it: ``name``, ``label`` and ``definition``.

    The label is the client's KPI label when a KPI tracks exactly this metric, so that one
    figure has one label throughout the report; else the registry's.
    """
    kpi = next((k for k in params.kpis if k.metric == name), None) if name in METRICS else None
    label = kpi.display_label if kpi is not None else label_of(name)
    return {"name": name, "label": label, "definition": definition_of(name)}


def plain(label: str) -> dict[str, str]:
    """A figure that is no registry metric (planned budget, pace...): a label, no link."""
    return {"name": "", "label": label, "definition": ""}


def raw(value: Any) -> float | None:
    """The number behind a figure for its ``<data value>`` (``None`` when there is none)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def defined_metrics(params: ClientParams, budget: BudgetReport | None, has_ads: bool) -> list[str]:
    """Every registry metric the report's figures may link to, in registry order."""
    names: set[str] = {kpi.metric for kpi in params.kpis}
    names |= {"spend", "clicks", "conversions", "cpa"} if has_ads else set()
    found = budget
    if found is not None:
        names |= {found.result_metric, found.cost_metric, found.revenue_metric,
                  found.return_metric, found.roi_metric, found.campaign_result_metric,
                  found.campaign_cost_metric}
        names |= {found.all_in_metric} if found.all_in_metric else set()
    names |= {m.metric for check in params.triangulation for m in check.measures}
    return [name for name in (*METRICS, *FEE_METRICS) if name in names]


def metric_definitions(params: ClientParams, budget: BudgetReport | None,
                       has_ads: bool) -> list[dict[str, str]]:
    """The appendix's definitions list: one entry per metric a figure links to."""
    return [term(params, name) for name in defined_metrics(params, budget, has_ads)]


def headline_sentence(params: ClientParams) -> str:
    """Which variant of cost and return is the headline, and why, in one sentence."""
    headline = [kpi.metric for kpi in params.kpis
                if kpi.headline and kpi.metric in SPEND_EFFICIENCY]
    if not headline:
        return _("The budget's costs and returns count only what the paid channels brought, "
                 "because that is what the ad spend can be held to account for.")
    quoted = [_("\u201c%(label)s\u201d", label=term(params, name)["label"]) for name in headline]
    labels = quoted[0]
    for label in quoted[1:]:
        labels = _("%(first)s and %(second)s", first=labels, second=label)
    if all(name in PAID_ONLY for name in headline):
        return _("The headline figures (%(labels)s) count only what the paid channels brought, "
                 "because that is what the ad spend can be held to account for; every other "
                 "variant below says in its name what it divides.", labels=labels)
    return _("The headline figures (%(labels)s) are the client's chosen measures; the budget "
             "below counts only what the paid channels brought, so its figures differ by "
             "design (each definition is in the appendix).", labels=labels)
