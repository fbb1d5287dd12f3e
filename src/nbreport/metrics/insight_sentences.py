"""The sentences of wins and challenges (:mod:`.insights`), in the client's language.

Each variant of a sentence is one whole message (up or down, over or under the budget, with or
without the per-day change), so that a translator can order its words freely.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nbreport.core.formatting import Formatter
from nbreport.i18n import _, ngettext

if TYPE_CHECKING:
    from nbreport.metrics.kpis import KpiResult


def empty_note(side: str, checked: Sequence[str], min_change: float, volume: int) -> str:
    """The plain sentence that stands in for a side with nothing to report."""
    values = {"checked": "; ".join(checked) if checked else _("the KPIs"),
              "change": f"{min_change:.0%}"}
    if side == "win":
        return ngettext(
            "No win cleared the bar this period. We checked %(checked)s, keeping only changes "
            "of at least %(change)s, each resting on at least %(n)s click, order or response in "
            "each period and too large to be chance.",
            "No win cleared the bar this period. We checked %(checked)s, keeping only changes "
            "of at least %(change)s, each resting on at least %(n)s clicks, orders or responses "
            "in each period and too large to be chance.", volume, **values)
    return ngettext(
        "No challenge cleared the bar this period. We checked %(checked)s, keeping only "
        "changes of at least %(change)s, each resting on at least %(n)s click, order or "
        "response in each period and too large to be chance.",
        "No challenge cleared the bar this period. We checked %(checked)s, keeping only "
        "changes of at least %(change)s, each resting on at least %(n)s clicks, orders or "
        "responses in each period and too large to be chance.", volume, **values)


def change_sentence(label: str, change: float, per_day: float | None, before_label: str,
                    value: str, reference: str, fmt: Formatter) -> str:
    """E.g. "Leads up 12.0% on September 2026 (+15.7% per day): 540 against 482."."""
    values = {"metric": label, "change": fmt.change(abs(change)).lstrip("+"),
              "previous": before_label, "value": value, "reference": reference}
    if per_day is None:  # the same number of days, or a ratio: no per-day change
        return (_("%(metric)s up %(change)s on %(previous)s: %(value)s against %(reference)s.",
                  **values) if change > 0 else
                _("%(metric)s down %(change)s on %(previous)s: %(value)s against %(reference)s.",
                  **values))
    values["per_day"] = fmt.change(per_day)
    return (_("%(metric)s up %(change)s on %(previous)s (%(per_day)s per day): %(value)s against "
              "%(reference)s.", **values) if change > 0 else
            _("%(metric)s down %(change)s on %(previous)s (%(per_day)s per day): %(value)s against "
              "%(reference)s.", **values))


def target_sentence(result: KpiResult, met: bool, partial: bool, fmt: Formatter) -> str:
    """E.g. "Leads beat its target: 540 against 500 (108.0% of it)."."""
    values = {"metric": result.label, "value": fmt.value(result.actual, result.unit),
              "target": fmt.value(result.target, result.unit)}
    if math.isnan(result.attainment):
        if met:
            return (_("%(metric)s beat its target to date: %(value)s against %(target)s.", **values)
                    if partial else
                    _("%(metric)s beat its target: %(value)s against %(target)s.", **values))
        return (_("%(metric)s missed its target to date: %(value)s against %(target)s.", **values)
                if partial else
                _("%(metric)s missed its target: %(value)s against %(target)s.", **values))
    values["attainment"] = fmt.value(result.attainment, "percent")
    if met:
        return (_("%(metric)s beat its target to date: %(value)s against %(target)s "
                  "(%(attainment)s of it).", **values) if partial else
                _("%(metric)s beat its target: %(value)s against %(target)s (%(attainment)s of "
                  "it).", **values))
    return (_("%(metric)s missed its target to date: %(value)s against %(target)s "
              "(%(attainment)s of it).", **values) if partial else
            _("%(metric)s missed its target: %(value)s against %(target)s (%(attainment)s of it).",
              **values))


def driver_sentence(label: str, segment: Any, row: Any, total_change: float, before_label: str,
                    unit: str, fmt: Formatter) -> str:
    """E.g. "Revenue from Email: $1,200 \u2192 $1,900, +$700 of the +$2,100 change on September."."""
    return _("%(metric)s from %(segment)s: %(before)s \u2192 %(after)s, %(part)s of the "
             "%(change)s change on %(previous)s.", metric=label, segment=segment,
             before=fmt.value(row["before"], unit), after=fmt.value(row["after"], unit),
             part=fmt.difference(row["contribution"], unit),
             change=fmt.difference(total_change, unit), previous=before_label)


def budget_sentence(projected: float, planned: float, deviation: float, complete: bool,
                    period_label: str, fmt: Formatter) -> str:
    """E.g. "Spend came to $6,400, 6.7% over the $6,000 budget."."""
    values = {"amount": fmt.money(projected, cents=False), "budget": fmt.money(planned, cents=False),
              "pct": fmt.value(abs(deviation), "percent"), "period": period_label}
    over = deviation > 0
    if complete:
        return (_("Spend came to %(amount)s, %(pct)s over the %(budget)s budget.", **values)
                if over else
                _("Spend came to %(amount)s, %(pct)s under the %(budget)s budget.", **values))
    return (_("Spend is on course for %(amount)s by the end of %(period)s, %(pct)s over the "
              "%(budget)s budget.", **values) if over else
            _("Spend is on course for %(amount)s by the end of %(period)s, %(pct)s under the "
              "%(budget)s budget.", **values))


def churn_sentence(after: float, before: float, lost_now: int, base_now: int, before_label: str,
                   fmt: Formatter) -> str:
    """E.g. "Customer churn fell to 2.1% from 3.0% in September 2026: 4 of 190 customers left."."""
    values = {"now": fmt.value(after, "percent"), "before": fmt.value(before, "percent"),
              "previous": before_label, "base": base_now}
    if after > before:
        return ngettext("Customer churn rose to %(now)s from %(before)s in %(previous)s: %(n)s of "
                        "%(base)s customers left.",
                        "Customer churn rose to %(now)s from %(before)s in %(previous)s: %(n)s of "
                        "%(base)s customers left.", lost_now, **values)
    return ngettext("Customer churn fell to %(now)s from %(before)s in %(previous)s: %(n)s of "
                    "%(base)s customers left.",
                    "Customer churn fell to %(now)s from %(before)s in %(previous)s: %(n)s of "
                    "%(base)s customers left.", lost_now, **values)
