"""What the consistency check knows about a report: its figures, read from what the report shows.

* one :class:`~nbreport.commentary.attribution.MetricFact` per KPI (the scorecard: value,
  comparisons, target, status), under every name the metric goes by;
* one per channel and KPI ("Paid Social revenue", "orders from Email"): the channel's part
  of the KPI in the period and the previous one, from the report's ``contributions``;
* :class:`~nbreport.commentary.rankings.Ranking` objects for rank claims: channels by each
  KPI and by their part of its change (``contributions``), channels and campaigns by
  spend, results, cost per result and return (``budget``).

Nothing here computes a figure of its own: every value is one the report shows.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from nbreport.commentary.attribution import MetricFact
from nbreport.commentary.consistency import CheckSettings, ConsistencyChecker
from nbreport.commentary.lexicon import METRIC_SYNONYMS
from nbreport.commentary.rankings import Ranking, clean_segments

if TYPE_CHECKING:
    from nbreport.commentary.view import ReportFacts
    from nbreport.metrics.kpis import KpiResult

NOT_A_SEGMENT = frozenset(("unknown", "(none)", "none", "not split by channel", "all other channels", ""))
SPEND_NAMES = ("spend", "spent", "spender", "budget", "the budget", "media spend", "ad spend",
               "share of spend", "share of the budget", "money", "investment", "media budget")
RETURN_NAMES = ("return on spend", "return on ad spend", "roas", "return")
GROWTH_FORMS = ("growth in {}", "{} growth", "increase in {}", "rise in {}", "{} increase",
                "change in {}", "growth of {}", "gain in {}", "{} gain")
SEGMENT_FORMS = ("{segment} {name}", "{name} from {segment}", "{name} in {segment}",
                 "{name} on {segment}", "{name} through {segment}", "{name} via {segment}",
                 "{segment}'s {name}", "{segment}\u2019s {name}")


def metric_names(view: ReportFacts, result: KpiResult) -> tuple[str, ...]:
    """Every lower-case name of a KPI: its metric, label, registry label, synonyms, the client's words."""
    from nbreport.metrics.definitions import METRICS

    extra = view.settings.synonyms
    names = {result.metric.replace("_", " "), result.label.lower(), METRICS[result.metric].label.lower(),
             *METRIC_SYNONYMS.get(result.metric, ()), *(w.lower() for w in extra.get(result.metric, []))}
    return tuple(sorted(names))


def metric_facts(view: ReportFacts) -> list[MetricFact]:
    """The scorecard's figures and every name each metric goes by, then each channel's part."""
    headline = {id(r) for r in view.headline}
    facts = [MetricFact(
        metric=r.metric, label=r.label, names=metric_names(view, r), unit=r.unit,
        better=r.direction, actual=r.actual, previous=r.previous, last_year=r.last_year,
        target=r.target, change_pct=r.change_pct, yoy_pct=r.yoy_pct, attainment=r.attainment,
        status=r.status, headline=id(r) in headline) for r in view.kpis]
    return facts + segment_facts(view, facts)


def segment_facts(view: ReportFacts, facts: list[MetricFact]) -> list[MetricFact]:
    """One fact per channel and KPI, from the channel's values in ``view.contributions``."""
    from nbreport.metrics.definitions import is_additive

    found = []
    for fact in facts:
        parts = view.contributions.get(fact.metric)
        if parts is None or parts.empty:
            continue
        for segment, row in parts.iterrows():
            before, after = float(row["before"]), float(row["after"])
            if str(segment).lower() in NOT_A_SEGMENT or not _active(before, after, is_additive(fact.metric)):
                continue
            low = str(segment).lower()
            names = tuple(form.format(segment=low, name=name)
                          for name in fact.names for form in SEGMENT_FORMS)
            change = after / before - 1 if before else math.nan
            found.append(MetricFact(
                metric=fact.metric, label=f"{fact.label} from {segment}", names=names, unit=fact.unit,
                better=fact.better, actual=after, previous=before, last_year=math.nan, target=math.nan,
                change_pct=change, yoy_pct=math.nan, attainment=math.nan, segment=str(segment)))
    return found


def _active(before: float, after: float, additive: bool) -> bool:
    """A channel with figures of its own: not missing, not all zero (a ratio of nothing is 0)."""
    if math.isnan(before) or math.isnan(after):
        return False
    return bool(before or after) if additive else bool(before and after)


def rankings(view: ReportFacts, facts: list[MetricFact]) -> list[Ranking]:
    """Channels by every KPI and by their part of its change; channels and campaigns by budget."""
    from nbreport.metrics.definitions import is_additive

    found = []
    for fact in (f for f in facts if not f.segment):
        parts = view.contributions.get(fact.metric)
        if parts is None or parts.empty:
            continue
        additive = is_additive(fact.metric)
        live = parts[[str(s).lower() not in NOT_A_SEGMENT and _active(float(b), float(a), additive)
                      for s, b, a in zip(parts.index, parts["before"], parts["after"], strict=True)]]
        found.append(Ranking("channel", fact.metric, fact.label.lower(), fact.names, fact.better,
                             "size" if additive else "ratio", fact.unit,
                             clean_segments(live["after"].to_dict())))
        growth = tuple(form.format(name) for name in fact.names for form in GROWTH_FORMS)
        found.append(Ranking("channel", f"{fact.metric}_change",
                             f"part of the change in {fact.label.lower()}", growth, fact.better,
                             "growth", fact.unit, clean_segments(live["contribution"].to_dict())))
    return found + budget_rankings(view)


def budget_rankings(view: ReportFacts) -> list[Ranking]:
    """Channels and campaigns by spend, results, cost per result and return on spend."""
    budget = view.budget
    if budget is None:
        return []
    result = budget.result_metric
    result_names = (result.replace("_", " "), budget.result_label.lower(), "results",
                    *METRIC_SYNONYMS.get(result, ()))
    cost_names = ("cost per result", "cpa", "cost per acquisition",
                  *METRIC_SYNONYMS.get({"leads": "cost_per_lead"}.get(result, "cpa"), ()))
    found = []
    for entity, table, results in (("channel", budget.channels, result_names),
                                   ("campaign", budget.campaigns,
                                    ("conversions", "results", "cost per conversion"))):
        table = table[[str(s).lower() not in NOT_A_SEGMENT for s in table.index]]
        spent = table["spent"] > 0
        found += [
            Ranking(entity, "spend", "spend", SPEND_NAMES, "higher", "size", "currency",
                    clean_segments(table.loc[spent, "spent"].to_dict())),
            Ranking(entity, "results", budget.result_label.lower() if entity == "channel" else "conversions",
                    tuple(n for n in results if not n.startswith("cost")), "higher", "size", "count",
                    clean_segments(table["results"].to_dict())),
            Ranking(entity, "cost_per_result", "cost per result", (*cost_names, "cost per conversion"),
                    "lower", "ratio", "currency", _positive(table.loc[spent, "cost_per_result"])),
        ]
        if entity == "channel":
            found.append(Ranking(entity, "return_on_spend", "return on spend", RETURN_NAMES, "higher",
                                 "ratio", "multiple", _positive(table.loc[spent, "return_on_spend"])))
    return found


def _positive(values: pd.Series) -> dict[str, float]:
    return {k: v for k, v in clean_segments(values.to_dict()).items() if v > 0}


def consistency_checker(view: ReportFacts) -> ConsistencyChecker:
    """The checker of a report's commentary: its facts, its rankings, the client's settings."""
    spec = view.settings
    facts = metric_facts(view)
    return ConsistencyChecker(facts, CheckSettings(fmt=view.fmt, tolerance=spec.tolerance,
                                                   flat_change=spec.flat_change),
                              rankings(view, facts))
