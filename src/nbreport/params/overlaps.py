"""Sources of one kind that would be added together: their overlap must be declared.

Two sources of the same kind (two ad platforms, two CRM exports) both feed the
kind's summed metrics. Added together silently, two exports of the same leads
count every lead twice. So the params say, in ``overlaps:``, what they are:

* ``relation: parts``: different slices of the whole (Google Ads and Meta Ads):
  summed, and the report shows each source's share;
* ``relation: alternatives``: the same thing measured twice (two CRM exports):
  only the ``truth`` source feeds the report's numbers, the others are checked
  against it in the triangulation section.

Plain Python and pydantic only: params validation imports this module.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Annotated, Literal

from pydantic import Field, model_validator

from nbreport.metrics.definitions import METRICS, SummedMetric, summed_inputs
from nbreport.metrics.spec import KpiSpec, MeasureSpec, TriangulationSpec
from nbreport.sources.canonical import KEYS
from nbreport.sources.presets import PRESETS
from nbreport.sources.spec import SourceSpec
from nbreport.core.strict_model import Slug, StrictModel

DEFAULT_METRIC = {"ads": "spend", "web": "sessions", "orders": "revenue", "crm": "leads",
                  "survey": "nps_responses", "support": "tickets"}
"""The metric an overlap is explained with when no KPI uses one of the kind's metrics."""


class OverlapSpec(StrictModel):
    """Two or more sources of one kind, and whether their rows add up.

    Attributes
    ----------
    sources:
        The sources' names (two or more, all of one kind).
    relation:
        ``parts`` (different rows: summed, the split by source shown) or
        ``alternatives`` (the same rows measured twice: only ``truth`` is summed).
    truth:
        For alternatives: the source whose rows feed the report's numbers.
    tolerance:
        For alternatives: how far the others may stray from the truth (0.1 = ±10%)
        before the triangulation section flags them.
    truth_reason:
        For alternatives: why ``truth`` is trusted, in plain words (shown in the report).
    """

    sources: Annotated[list[Slug], Field(min_length=2)]
    relation: Literal["parts", "alternatives"]
    truth: Slug | None = None
    tolerance: float | None = Field(default=None, gt=0, le=10)
    truth_reason: str | None = None

    @model_validator(mode="after")
    def _truth_for_alternatives(self) -> OverlapSpec:
        repeated = sorted({name for name in self.sources if self.sources.count(name) > 1})
        if repeated:
            raise ValueError(f"sources names {', '.join(repeated)} twice")
        if self.relation == "alternatives":
            if self.truth is None:
                raise ValueError(f"alternatives need truth: the source whose rows feed the "
                                 f"report (one of {', '.join(self.sources)})")
            if self.truth not in self.sources:
                raise ValueError(f"truth '{self.truth}' is not among sources "
                                 f"({', '.join(self.sources)}){_hint(self.truth, self.sources)}")
        elif self.truth is not None or self.tolerance is not None or self.truth_reason is not None:
            raise ValueError("truth, tolerance and truth_reason are for relation: alternatives; "
                             "parts are all summed")
        return self

    @property
    def set_aside(self) -> list[str]:
        """The alternatives that are checked against the truth, never summed."""
        return [name for name in self.sources if name != self.truth] if self.truth else []


def _hint(name: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def summed_kinds() -> set[str]:
    """Kinds whose rows some summed metric adds up."""
    return {provider.kind for metric in METRICS.values() if isinstance(metric, SummedMetric)
            for provider in metric.providers}


# --- validation ---------------------------------------------------------------------------
def check_overlaps(overlaps: Sequence[OverlapSpec], sources: Sequence[SourceSpec],
                   kpis: Sequence[KpiSpec]) -> None:
    """Raise ``ValueError`` for a wrong declaration, or for sources that would be summed undeclared."""
    by_name = {source.name: source for source in sources}
    for position, overlap in enumerate(overlaps):
        _check_entry(position, overlap, by_name)
    _check_roles(overlaps)
    undeclared = undeclared_groups(overlaps, sources)
    if undeclared:
        raise ValueError(" ".join(_undeclared_message(group, sources, kpis) for group in undeclared))


def _check_entry(position: int, overlap: OverlapSpec, by_name: dict[str, SourceSpec]) -> None:
    where = f"entry {position + 1} ({', '.join(overlap.sources)})"
    for name in overlap.sources:
        if name not in by_name:
            raise ValueError(f"{where}: no source named '{name}'{_hint(name, by_name)} "
                             f"(sources: {', '.join(by_name)})")
    kinds = {by_name[name].kind for name in overlap.sources}
    if len(kinds) > 1:
        found = ", ".join(f"{name} is {by_name[name].kind}" for name in overlap.sources)
        raise ValueError(f"{where}: only sources of one kind can overlap ({found} data)")
    kind = kinds.pop()
    if kind not in summed_kinds():
        raise ValueError(f"{where}: {kind} data is never added up, so these sources cannot be "
                         "double counted; remove the entry")


def _check_roles(overlaps: Sequence[OverlapSpec]) -> None:
    """Each source is in at most one parts entry and one alternatives entry, and a source set
    aside as an alternative is neither summed as a part nor the truth of another entry."""
    for relation in ("parts", "alternatives"):
        seen: dict[str, int] = {}
        for position, overlap in enumerate(overlaps):
            if overlap.relation != relation:
                continue
            for name in overlap.sources:
                if name in seen:
                    raise ValueError(f"{name} is in two {relation} entries ({seen[name] + 1} and "
                                     f"{position + 1}); put those sources in one entry")
                seen[name] = position
    set_aside = {name for overlap in overlaps for name in overlap.set_aside}
    for position, overlap in enumerate(overlaps):
        clash = [name for name in overlap.sources if name in set_aside
                 and (overlap.relation == "parts" or name == overlap.truth)]
        if clash:
            raise ValueError(f"entry {position + 1}: {clash[0]} is an alternative set aside for "
                             "another source's truth, so it is never summed; it cannot be "
                             f"{'a part' if overlap.relation == 'parts' else 'a truth'} here")


def undeclared_groups(overlaps: Sequence[OverlapSpec],
                      sources: Sequence[SourceSpec]) -> list[list[SourceSpec]]:
    """Per kind, the summed sources (alternatives set aside) not all in one parts entry."""
    set_aside = {name for overlap in overlaps for name in overlap.set_aside}
    parts = [set(overlap.sources) for overlap in overlaps if overlap.relation == "parts"]
    groups: dict[str, list[SourceSpec]] = {}
    for source in sources:
        if source.kind in summed_kinds() and source.name not in set_aside:
            groups.setdefault(source.kind, []).append(source)
    return [group for group in groups.values() if len(group) > 1
            and not any({source.name for source in group} <= entry for entry in parts)]


def _undeclared_message(group: list[SourceSpec], sources: Sequence[SourceSpec],
                        kpis: Sequence[KpiSpec]) -> str:
    kind = group[0].kind
    metric = explaining_metric(kind, {source.kind for source in sources}, kpis)
    provider = next(p for p in METRICS[metric].providers if p.kind == kind)  # type: ignore[union-attr]
    column = provider.column or KEYS[kind][-1]
    names = [source.name for source in group]
    mapped = ", ".join(f"{source.name} maps {export_columns(source, column)} onto {column}"
                       for source in group)
    counted = f" (it counts rows, one per {column})" if provider.column is None else ""
    every = "both" if len(names) == 2 else "all"
    listed = f"[{', '.join(names)}]"
    return (f"sources {_and(names)} are {every} {kind} data, so their rows would be added together "
            f"without a word; {every} feed {metric}{counted}: {mapped}. Declare the overlap under "
            f"overlaps: if they hold different rows (e.g. two ad platforms), "
            f"'- {{sources: {listed}, relation: parts}}' (summed, the split by source shown); if "
            f"they measure the same thing, '- {{sources: {listed}, relation: alternatives, "
            f"truth: {names[0]}}}' (only the truth is summed, the others are checked against it).")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def explaining_metric(kind: str, kinds: set[str], kpis: Sequence[KpiSpec]) -> str:
    """The summed metric the report takes from ``kind``: a KPI's input if any, else the kind's
    usual one."""
    for kpi in kpis:
        for name in summed_inputs(kpi.metric):
            if kpi.source is None and _provider_kind(name, kinds) == kind:
                return name
    if kind in DEFAULT_METRIC:
        return DEFAULT_METRIC[kind]
    return next(name for name, metric in METRICS.items() if isinstance(metric, SummedMetric)
                and metric.providers[0].kind == kind)


def _provider_kind(name: str, kinds: set[str]) -> str | None:
    metric = METRICS[name]
    assert isinstance(metric, SummedMetric)
    return next((provider.kind for provider in metric.providers if provider.kind in kinds), None)


def export_columns(source: SourceSpec, canonical: str) -> str:
    """The export column(s) ``source`` reads ``canonical`` from, as the params and preset say."""
    mapping = source.mapping
    if canonical in mapping.constants:
        return f"the constant '{mapping.constants[canonical]}'"
    own = [export for export, target in mapping.rename.items() if _maps_to(target, canonical)]
    preset = PRESETS[source.preset] if source.preset else None
    from_preset = ([export for export, target in preset.rename.items() if _maps_to(target, canonical)]
                   if preset else [])
    names = [_readable(name) for name in own or from_preset] or [f"'{canonical}'"]
    if len(names) == 1:
        return f"its export column {names[0]}"
    return f"its export column {names[0]} (or {', '.join(names[1:3])})"


def _maps_to(target: str | list[str] | tuple[str, ...], canonical: str) -> bool:
    return canonical == target if isinstance(target, str) else canonical in target


def _readable(name: str) -> str:
    """``re:Amount spent \\((?P<currency>[A-Z]{3})\\)`` -> ``'Amount spent (<currency>)'``."""
    if not name.startswith("re:"):
        return f"'{name}'"
    pattern = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", name[3:])
    unescaped = re.sub(r"\\(.)", r"\1", pattern)
    return f"'{unescaped}'"


# --- what the report does with them -------------------------------------------------------
def alternative_checks(overlaps: Sequence[OverlapSpec], sources: Sequence[SourceSpec],
                       kpis: Sequence[KpiSpec],
                       declared: Sequence[TriangulationSpec] = ()) -> list[TriangulationSpec]:
    """One triangulation check per alternatives entry and metric the report takes from its kind:
    the truth source first, then each alternative (checks the params already declare are kept
    out)."""
    kinds = {source.kind for source in sources}
    kind_of = {source.name: source.kind for source in sources}
    done = {(check.measures[0].metric, tuple(m.source for m in check.measures))
            for check in declared}
    checks = []
    for overlap in overlaps:
        if overlap.relation != "alternatives" or overlap.truth is None:
            continue
        kind = kind_of[overlap.truth]
        ordered = [overlap.truth, *overlap.set_aside]
        for metric in report_metrics(kind, kinds, kpis):
            if (metric, tuple(ordered)) in done:
                continue
            checks.append(TriangulationSpec(
                label=f"{METRICS[metric].label}: {_and(ordered)}",
                measures=[MeasureSpec(metric=metric, label=name, source=name) for name in ordered],
                tolerance=overlap.tolerance if overlap.tolerance is not None else 0.1,
                truth_reason=overlap.truth_reason or "it is declared the truth source in overlaps"))
    return checks


def report_metrics(kind: str, kinds: set[str], kpis: Sequence[KpiSpec]) -> list[str]:
    """The summed metrics the KPIs take from ``kind`` (the kind's usual one when none does)."""
    found = [name for kpi in kpis for name in summed_inputs(kpi.metric)
             if kpi.source is None and _provider_kind(name, kinds) == kind]
    return list(dict.fromkeys(found)) or [explaining_metric(kind, kinds, kpis)]
