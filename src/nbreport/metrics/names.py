"""Looking names up in the metric registry: old names, did-you-mean errors, the variant a
figure needs (paid channels only, agency fee included), labels and definitions."""

from __future__ import annotations

import difflib
from typing import ClassVar

from nbreport.core.errors import EXIT_USAGE, NbreportError
from nbreport.i18n import _
from nbreport.metrics.definitions import (FEE_METRICS, METRICS, PAID_NAMES, RENAMED, RatioMetric,
                                          SummedMetric)


class UnknownMetricError(NbreportError, ValueError):
    """A metric name the registry does not know, with the closest names."""

    exit_code: ClassVar[int] = EXIT_USAGE


def resolve(name: str) -> str:
    """The registry name for ``name`` (an old name gives its new one).

    Raises
    ------
    UnknownMetricError
        When the registry knows no such name; the message suggests the closest one.
    """
    if name in METRICS:
        return name
    if name in RENAMED:
        return RENAMED[name]
    known = [*METRICS, *RENAMED]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    if name in FEE_METRICS:
        hint = (f"'{name}' adds the agency fee from the budget and is shown in the budget "
                f"section only; for a KPI use '{FEE_METRICS[name].base}'. ")
    raise UnknownMetricError(f"unknown metric '{name}'; {hint}known metrics: "
                             f"{', '.join(sorted(METRICS))}")


def paid_variant(name: str) -> str:
    """The metric counting only what paid channels brought (``leads`` -> ``paid_leads``);
    ``name`` itself when there is none (platform conversions are paid by nature)."""
    return f"paid_{name}" if f"paid_{name}" in METRICS else name


def cost_per(result: str) -> str | None:
    """The registry's ``ad spend / result`` metric (``None`` when it has none)."""
    for metric in METRICS.values():
        if (isinstance(metric, RatioMetric) and metric.numerator == "spend"
                and metric.denominator == result and metric.factor == 1.0):
            return metric.name
    return None


def fee_inclusive(name: str) -> str | None:
    """The :data:`FEE_METRICS` entry that adds the agency fee to ``name`` (``None``: none)."""
    return next((m.name for m in FEE_METRICS.values() if m.base == name), None)


def label_of(name: str) -> str:
    """The registry's label for a metric or a fee-inclusive metric, in the client's language."""
    return _((FEE_METRICS[name] if name in FEE_METRICS else METRICS[name]).label)


def definition_of(name: str) -> str:
    """What the figure divides or adds, in one sentence (the registry's description), in the
    client's language."""
    metric = FEE_METRICS[name] if name in FEE_METRICS else METRICS[name]
    if metric.description:
        paid = "%(channels)s" in metric.description
        return _(metric.description, channels=PAID_NAMES) if paid else _(metric.description)
    if not isinstance(metric, SummedMetric):
        return ""
    provider = metric.providers[0]
    if provider.column:
        return _("Sum of the %(column)s column of the %(kind)s data over the period.",
                 column=provider.column, kind=provider.kind)
    return _("Sum of the rows of the %(kind)s data over the period.", kind=provider.kind)


def metric_listing() -> list[str]:
    """One line per metric: name, label, unit, better direction and definition
    (``nbreport metrics``), then the fee-inclusive figures and the old names."""
    lines = [f"{name:<27} {m.label:<50} {m.unit:<9} {m.direction:<8} {definition_of(name)}"
             for name, m in METRICS.items()]
    lines += ["", "Budget section only (the agency fee added to ad spend):"]
    lines += [f"{name:<27} {m.label:<50} {m.unit:<9} {m.direction:<8} {m.description}"
              for name, m in FEE_METRICS.items()]
    lines += ["", "Old names, still accepted:"]
    lines += [f"{old:<27} now '{new}': {METRICS[new].label}" for old, new in RENAMED.items()]
    return lines
