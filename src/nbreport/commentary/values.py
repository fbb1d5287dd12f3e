"""The values commentary can use today, registered with :func:`register_values`.

A domain that adds results to the report makes them available to commentary with one
line here, e.g. ``register_values("budget", lambda view: view.budget)``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from nbreport.commentary.bindings import BoundValue, register_values
from nbreport.commentary.consistency import NOISE
from nbreport.commentary.notes import notes_between
from nbreport.i18n import N_, _
from nbreport.metrics.kpis import KpiResult

if TYPE_CHECKING:
    from nbreport.commentary.view import ReportFacts


# A KPI's status as a value in a sentence ("- Revenue: off target, ..."); translated where bound
STATUS_PHRASES = {"green": N_("on target"), "amber": N_("close to target"), "red": N_("off target"),
                  "none": N_("no target")}


def movement(change: float) -> tuple[str, str]:
    """(verb, word) for a change: ("rose", "up"), ("fell", "down") or ("held steady", "flat")."""
    if math.isnan(change):
        return "n/a", "n/a"
    if change > NOISE:
        return "rose", "up"
    if change < -NOISE:
        return "fell", "down"
    return "held steady", "flat"


def _movement_words(change: float) -> tuple[str, str]:
    """:func:`movement` in the client's language: the values of ``{{ x.movement }}`` and
    ``{{ x.trend }}``, for the analyst's own sentences."""
    if math.isnan(change):
        return _("n/a"), _("n/a")
    if change > NOISE:
        # Translators: past tense of a figure that went up ("Revenue rose 12%")
        return _("rose"), _("up")
    if change < -NOISE:
        # Translators: past tense of a figure that went down ("Revenue fell 12%")
        return _("fell"), _("down")
    # Translators: past tense of a figure that did not change ("Revenue held steady")
    return _("held steady"), _("flat")


def kpi_values(result: KpiResult) -> dict[str, BoundValue]:
    """Every field of one scorecard row, formatted in the metric's unit, and its movement in words."""
    unit = result.unit
    verb, word = _movement_words(result.change_pct)
    yoy_verb, yoy_word = _movement_words(result.yoy_pct)
    return {
        "label": BoundValue(result.label, "text"),
        "actual": BoundValue(result.actual, unit),
        "previous": BoundValue(result.previous, unit),
        "last_year": BoundValue(result.last_year, unit),
        "target": BoundValue(result.target, unit),
        "change_abs": BoundValue(result.change_abs, unit, signed=True),
        "change_pct": BoundValue(result.change_pct, "change", signed=True),
        "yoy_pct": BoundValue(result.yoy_pct, "change", signed=True),
        "attainment": BoundValue(result.attainment, "percent"),
        "status": BoundValue(_(STATUS_PHRASES[result.status]), "text"),
        "movement": BoundValue(verb, "text"),
        "trend": BoundValue(word, "text"),
        "yoy_movement": BoundValue(yoy_verb, "text"),
        "yoy_trend": BoundValue(yoy_word, "text"),
    }


def _period(view: ReportFacts) -> dict[str, Any]:
    return {"label": view.reported.label, "previous": view.period.previous().label,
            "last_year": view.period.same_period_last_year().label,
            "start": view.reported.start, "end": view.reported.end}


def _scorecard(view: ReportFacts) -> dict[str, int]:
    statuses = [r.status for r in view.kpis]
    return {"count": len(statuses), "with_target": sum(s != "none" for s in statuses),
            "on_target": statuses.count("green"), "close_to_target": statuses.count("amber"),
            "off_target": statuses.count("red")}


def _context(view: ReportFacts) -> dict[str, Any]:
    notes = notes_between(view.context_notes, view.reported.start, view.reported.end)
    locale = view.locale
    return {"count": len(notes),
            "events": BoundValue("; ".join(f"{n.title} ({n.when(locale)})" for n in notes) or _("none"),
                                 "text")}


def _kpis(view: ReportFacts) -> dict[str, dict[str, BoundValue]]:
    """Each KPI's values by metric name, and by its old name (``{{ roas.actual }}``) too."""
    from nbreport.metrics.definitions import RENAMED

    values = {r.metric: kpi_values(r) for r in view.kpis}
    values.update({old: values[new] for old, new in RENAMED.items()
                   if new in values and old not in values})
    return values


register_values("kpis", _kpis, flat=True)
register_values("period", _period)
register_values("client", lambda view: {"name": view.client_name, "industry": view.industry})
register_values("scorecard", _scorecard)
register_values("context", _context)
