"""Every number that moved between two stored results of one report, named as the client reads it.

Two ``results.json`` of the same client and period (what was sent, and a re-run after late
data or restated conversions) are walked side by side, generically: objects key by key, lists
item by item, paired by what names the item (a KPI's metric, a campaign, a channel), not by
position. A number moved when it *reads* differently in the report (formatted in its unit with
the client's :class:`~nbreport.core.formatting.Formatter`), so float round-off below display
precision is no change; text, dates and timestamps are never numbers that moved.

Each moved number gets a plain-words place: the section it is shown in ("Performance against
targets"), then the names on the way down ("Revenue", "previous period"; "Search - Brand",
"spent"), never a JSON path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from nbreport.core.formatting import Formatter
from nbreport.i18n import N_, _

# Where each part of results.json is shown to the client.
SECTION_NAMES = {
    "kpis": N_("Performance against targets"),
    "contributions": N_("What drove the change"),
    "budget": N_("Budget and spend"),
    "campaigns": N_("Campaigns"),
    "forecasts": N_("Forecast"),
    "insights": N_("Wins and challenges"),
    "triangulation": N_("Cross-checks between sources"),
    "customer_success": N_("Customer success"),
    "overlaps": N_("Sources of the same kind"),
}
# Parts of results.json that are no figure of the report, or copies of one shown elsewhere:
# the headline rows repeat their KPI rows; forecast paths are chart points, not printed numbers.
SKIPPED_PARTS = frozenset({"schema", "client_id", "params_hash", "period", "reported",
                           "comparison_periods", "comparable", "headline", "period_warnings",
                           "coverage", "paths", "settings", "checked"})
# Inside any part: chart points, the settings behind a section, the list of what was tested.
NOT_FIGURES = frozenset({"paths", "settings", "checked"})
# Numbers of the results that the report never prints (test statistics, row positions, counts of days).
SKIPPED_NUMBERS = frozenset({"p_value", "index", "days", "previous_days", "last_year_days",
                             "days_done", "volume", "interval", "slack", "tolerance", "schema"})
# How the report words a field of a record; unknown fields read as their name in words.
FIELD_WORDS = {
    "actual": "", "value": "",
    "previous": N_("previous period"), "last_year": N_("same period last year"),
    "target": N_("target"), "full_target": N_("target for the whole period"),
    "target_gap": N_("gap to target"), "attainment": N_("share of target reached"),
    "change_abs": N_("change on previous period"), "change_pct": N_("change on previous period"),
    "change_per_day_pct": N_("change per day"), "yoy_abs": N_("change on last year"),
    "yoy_pct": N_("change on last year"), "projected": N_("projected for the period"),
    "pace": N_("pace"), "point": N_("forecast"), "lower": N_("lowest likely"),
    "upper": N_("highest likely"), "probability": N_("chance of reaching the target"),
    "spent": N_("spent"), "planned": N_("planned"), "share": N_("share"),
    "revenue": N_("revenue"), "results": N_("results"), "cost_per_result": N_("cost per result"),
    "return_on_spend": N_("return on spend"), "variance": N_("difference to plan"),
    "contribution": N_("part of the change"), "before": N_("previous period"),
    "after": N_("this period"), "spend": N_("spend"), "clicks": N_("clicks"),
    "impressions": N_("impressions"), "conversions": N_("conversions"),
    "difference": N_("difference"), "difference_pct": N_("difference"), "mape": N_("average error"),
    "coverage": N_("share inside the range"), "change": N_("change"),
    "reference": N_("compared with"), "cpa": N_("cost per conversion"), "totals": "",
    "summary": N_("total"), "current": N_("this period"), "history": N_("earlier months"),
    "truth_value": N_("the source of truth"), "kpis": "", "periods": "", "campaigns": N_("campaigns"), "channels": N_("channels"),
}
# Fields that are shares or relative changes whatever the unit of their record.
RATIO_FIELDS = frozenset({"attainment", "change_pct", "change_per_day_pct", "yoy_pct", "share",
                          "difference_pct", "mape", "coverage", "probability", "change", "pace"})
# Amounts of money wherever they are (budget and campaign figures carry no unit of their own).
MONEY_FIELDS = frozenset({"spent", "planned", "projected", "expected", "fee", "remaining",
                          "variance", "cost_per_result", "all_in_cost_per_result", "total_cost",
                          "projected_fee", "spend", "cpa", "average_mrr", "lifetime_value"})
# What names an item of a list, most telling first.
ITEM_NAMES = ("label", "name", "campaign", "channel", "measure", "subject", "metric", "index", "Source",
              "source", "period_label", "period", "date")
UNITS = frozenset({"count", "currency", "percent", "multiple", "number"})
SEPARATOR = " \u00b7 "


@dataclass(frozen=True)
class MovedNumber:
    """One number that reads differently in the two reports.

    Attributes
    ----------
    section:
        The part of the report it is shown in, in words ("Performance against targets").
    names:
        The names on the way to it ("Revenue", "previous period").
    old, new:
        The two values (``None``: not in that report).
    unit:
        How the report formats it (``count``, ``currency``, ``percent``, ``multiple``, ``number``).
    path:
        Where it is in ``results.json``, for the analyst.
    """

    section: str
    names: tuple[str, ...]
    old: float | None
    new: float | None
    unit: str
    path: tuple[str, ...]

    @property
    def where(self) -> str:
        """``Revenue · previous period``: the place in plain words, translated."""
        shown: list[str] = []
        for name in self.names:
            word = _(name) if name in _TRANSLATABLE else name
            if word and (not shown or shown[-1] != word):  # "Revenue · Revenue": said once
                shown.append(word)
        return SEPARATOR.join(shown) or _(self.section)

    def texts(self, fmt: Formatter) -> tuple[str, str, str]:
        """Old value, new value and the difference, as the report writes them."""
        old, new = fmt.value(self.old, self.unit), fmt.value(self.new, self.unit)
        if self.old is None or self.new is None:
            return old, new, ""
        return old, new, fmt.difference(self.new - self.old, self.unit)


_TRANSLATABLE = frozenset(FIELD_WORDS.values()) | frozenset(SECTION_NAMES.values())


def moved_numbers(old: Mapping[str, Any], new: Mapping[str, Any], fmt: Formatter) -> list[MovedNumber]:
    """Every number of ``new`` results that reads differently from ``old``, in report order."""
    labels = kpi_labels(old) | kpi_labels(new)
    units = kpi_units(old) | kpi_units(new)
    parts = [*SECTION_NAMES, *sorted((new.keys() | old.keys()) - SECTION_NAMES.keys())]
    moved: list[MovedNumber] = []
    for part in parts:
        if part in SKIPPED_PARTS or (part not in new and part not in old):
            continue
        walk = _Walk(SECTION_NAMES.get(part, _words(part)), labels, units, fmt)
        moved.extend(walk.compare(old.get(part), new.get(part), (part,), (), None))
    return moved


def kpi_labels(results: Mapping[str, Any]) -> dict[str, str]:
    """Metric -> the label the report gives it (``paid_roas`` -> "Return on ad spend")."""
    return {kpi["metric"]: kpi.get("label") or kpi["metric"]
            for kpi in results.get("kpis") or [] if isinstance(kpi, Mapping) and "metric" in kpi}


def kpi_units(results: Mapping[str, Any]) -> dict[str, str]:
    """Metric -> the unit its KPI is shown in."""
    return {kpi["metric"]: kpi["unit"] for kpi in results.get("kpis") or []
            if isinstance(kpi, Mapping) and "metric" in kpi and kpi.get("unit") in UNITS}


@dataclass(frozen=True)
class _Walk:
    section: str
    labels: Mapping[str, str]
    metric_units: Mapping[str, str]
    fmt: Formatter

    def compare(self, old: Any, new: Any, path: tuple[str, ...], names: tuple[str, ...],
                unit: str | None) -> Iterator[MovedNumber]:
        if isinstance(old, Mapping) or isinstance(new, Mapping):
            yield from self._objects(_mapping(old), _mapping(new), path, names, unit)
        elif isinstance(old, list) or isinstance(new, list):
            yield from self._lists(old if isinstance(old, list) else [],
                                   new if isinstance(new, list) else [], path, names, unit)
        elif _is_number(old) or _is_number(new):
            if (old is None or _is_number(old)) and (new is None or _is_number(new)):
                yield from self._numbers(old, new, path, names, unit or "number")

    def _objects(self, old: Mapping[str, Any], new: Mapping[str, Any], path: tuple[str, ...],
                 names: tuple[str, ...], unit: str | None) -> Iterator[MovedNumber]:
        record_unit = _record_unit(new) or _record_unit(old) or unit
        units = {**_mapping(old.get("units")), **_mapping(new.get("units"))}
        for key in [*new, *(key for key in old if key not in new)]:
            if key in NOT_FIGURES or key == "units" or (key in SKIPPED_NUMBERS and _leafish(old, new, key)):
                continue
            field_unit = _field_unit(key, {**self.metric_units, **units}, record_unit)
            name = self.labels[key] if not names and key in self.labels else self._name(key)
            yield from self.compare(old.get(key), new.get(key), (*path, key), (*names, name),
                                    field_unit)

    def _lists(self, old: list[Any], new: list[Any], path: tuple[str, ...], names: tuple[str, ...],
               unit: str | None) -> Iterator[MovedNumber]:
        old_items, new_items = self._named_items(old), self._named_items(new)
        for name in [*new_items, *(name for name in old_items if name not in new_items)]:
            yield from self.compare(old_items.get(name), new_items.get(name), (*path, name),
                                    (*names, name if not name.startswith("#") else ""), unit)

    def _numbers(self, old: float | None, new: float | None, path: tuple[str, ...],
                 names: tuple[str, ...], unit: str) -> Iterator[MovedNumber]:
        old, new = _finite(old), _finite(new)
        if self.fmt.value(old, unit) != self.fmt.value(new, unit):
            yield MovedNumber(self.section, names, old, new, unit, path)

    def _named_items(self, items: list[Any]) -> dict[str, Any]:
        """Each item under the name that tells it apart (its position when nothing does)."""
        named: dict[str, Any] = {}
        for position, item in enumerate(items):
            name = self._item_name(item) or f"#{position + 1}"
            named[name if name not in named else f"{name} #{position + 1}"] = item
        return named

    def _item_name(self, item: Any) -> str | None:
        if not isinstance(item, Mapping):
            return None
        for key in ITEM_NAMES:
            value = item.get(key)
            if isinstance(value, str) and value:
                return self.labels.get(value, value) if key == "metric" else value
        return None

    def _name(self, key: str) -> str:
        if key in FIELD_WORDS:
            return FIELD_WORDS[key]
        return self.labels.get(key) or (key if not re.fullmatch(r"[a-z0-9_]+", key) else _words(key))


def _record_unit(record: Mapping[str, Any]) -> str | None:
    unit = record.get("unit")
    return unit if unit in UNITS else None


def _field_unit(key: str, units: Mapping[str, Any], record_unit: str | None) -> str | None:
    if key in units and units[key] in UNITS:
        return str(units[key])
    if key in RATIO_FIELDS:
        return "percent"
    if record_unit is None and key in MONEY_FIELDS:
        return "currency"
    return record_unit


def _leafish(old: Mapping[str, Any], new: Mapping[str, Any], key: str) -> bool:
    """Whether ``key`` holds a plain value (a skipped number), not a part to walk into."""
    return not isinstance(new.get(key, old.get(key)), Mapping | list)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _words(key: str) -> str:
    """``customer_success`` -> "customer success"."""
    return key.replace("_", " ").replace("-", " ").strip()
