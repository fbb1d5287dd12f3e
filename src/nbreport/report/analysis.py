"""``analyse(inputs) -> results``: every number of a report, computed once, reading no file.

The second step of the one-way flow (inputs -> analysis -> sections). Each domain of
:mod:`nbreport.metrics` and :mod:`nbreport.forecast` computes its part from the client's
harmonised data; nothing here formats for display or writes anything. (The one exception
is a memo, not a read: prophet's fits go through the inputs' compute cache, which only ever
hands back what the fit itself returns; see :mod:`nbreport.forecast.fit_cache`.)
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from nbreport.core.formatting import Formatter
from nbreport.core.period import Period
from nbreport.forecast.engine import forecast_report
from nbreport.forecast.results import ForecastResult
from nbreport.metrics.budget import budget_report
from nbreport.metrics.campaigns import campaign_table
from nbreport.metrics.contribution import decompose_change
from nbreport.metrics.coverage import SourceCoverage, coverage_by_source
from nbreport.metrics.customer_success import customer_success_report
from nbreport.metrics.daily import daily_metrics, period_totals, summed_sources
from nbreport.metrics.definitions import summed_inputs
from nbreport.metrics.kpis import KpiInputs, KpiResult, SummedFrom, comparison_periods, scorecard
from nbreport.metrics.overlaps import overlap_tables
from nbreport.metrics.spec import KpiSpec
from nbreport.metrics.triangulation import triangulate
from nbreport.params import ClientParams, params_hash
from nbreport.report.inputs import ReportInputs
from nbreport.report.results import ReportResults
from nbreport.report.wins import COMPARED_ELSEWHERE, collect_insights, watched_metrics
from nbreport.sources.loader import ClientData

HEADLINE_COUNT = 4


def analyse(inputs: ReportInputs) -> ReportResults:
    """Compute the report of ``inputs``.

    Raises
    ------
    DataError
        When a source has no rows in the reported period (and does not allow it).
    """
    params, data = inputs.params, inputs.data
    period, reported = params.period, params.report_period
    periods = comparison_periods(period, reported)
    coverage = coverage_by_source(data.tables, {spec.name: spec.grain for spec in data.specs})
    spans = {name: (found.first, found.last) for name, found in coverage.items()}
    warnings = tuple(data.check_period(reported.start, reported.end, spans))
    chosen = sources_for_kpis(params.kpis)
    daily = daily_metrics(data, [kpi.metric for kpi in params.kpis], source_for=chosen)
    kpis = kpi_scorecard(params, data, coverage, daily)
    watched = [ref.metric for ref in watched_metrics(params, data)]
    comparable = {metric: is_comparable(params, data, coverage, periods, metric)
                  for metric in dict.fromkeys([*watched, *COMPARED_ELSEWHERE])}
    by_channel = daily_metrics(data, [kpi.metric for kpi in params.kpis], source_for=chosen,
                               by="channel")
    contributions = channel_contributions(params.kpis, by_channel, periods, reported, comparable)
    fmt = Formatter(params.client.currency, params.client.locale)
    budget = (budget_report(data, params.budget, period, reported)
              if params.budget is not None else None)
    triangulation = tuple(triangulate(data, spec, period, reported, fmt)
                          for spec in params.triangulation_checks)
    customer_success = customer_success_report(data, params.customer_success, reported,
                                               periods["previous"])
    insights = collect_insights(
        params, data, fmt, kpis=kpis, comparable=comparable, periods=periods,
        contributions=contributions, daily_by_channel=by_channel, triangulation=triangulation,
        budget=budget, customer_success=customer_success, source_for=chosen)
    return ReportResults(
        client_id=params.client.id, params_hash=params_hash(params), period=period,
        reported=reported, comparison_periods=periods, kpis=kpis,
        headline=headline_kpis(params.kpis, kpis), comparable=comparable, coverage=coverage,
        period_warnings=warnings, daily=daily, daily_by_channel=by_channel,
        contributions=contributions, budget=budget, triangulation=triangulation,
        customer_success=customer_success, insights=insights,
        forecasts=(forecast_report(params, daily, inputs.stored, inputs.cache)
                   if "forecast" in params.sections.wanted()  # no model fitted for nothing
                   else ForecastResult(None, notes=("Forecasts are left out of this report.",))),
        campaigns=campaign_table(data, reported), overlaps=overlap_tables(params, data, reported))


def sources_for_kpis(kpis: Sequence[KpiSpec]) -> dict[str, str]:
    """Summed metric -> the source a KPI naming ``source:`` takes it from."""
    chosen: dict[str, str] = {}
    for kpi in kpis:
        if kpi.source:
            chosen.update({name: kpi.source for name in summed_inputs(kpi.metric)})
    return chosen


def kpi_scorecard(params: ClientParams, data: ClientData, coverage: dict[str, SourceCoverage],
                  daily: pd.DataFrame) -> tuple[KpiResult, ...]:
    """The scorecard: every KPI against previous period, last year and target.

    A KPI naming a ``source`` is summed from that source alone, and only that KPI: the KPIs
    are scored in groups of one source each, so that one KPI's source never changes another
    KPI's sums."""
    groups: dict[str | None, list[int]] = {}
    for index, kpi in enumerate(params.kpis):
        groups.setdefault(kpi.source, []).append(index)
    found: dict[int, KpiResult] = {}
    for source, indexes in groups.items():
        specs = [params.kpis[i] for i in indexes]
        frame = daily if not sources_for_kpis(params.kpis) else _daily_from(data, source, specs)
        results = scorecard(frame, specs, params.period, params.report_period, params.status,
                            [metric_inputs(data, coverage, kpi.metric, kpi.source) for kpi in specs])
        found.update(zip(indexes, results))
    return tuple(found[i] for i in range(len(params.kpis)))


def _daily_from(data: ClientData, source: str | None, kpis: list[KpiSpec]) -> pd.DataFrame:
    """Daily sums of ``kpis``'s metrics, from ``source`` only or from every source."""
    names = [kpi.metric for kpi in kpis]
    source_for = {m: source for name in names for m in summed_inputs(name)} if source else None
    return daily_metrics(data, names, source_for=source_for)


def headline_kpis(specs: Sequence[KpiSpec], kpis: tuple[KpiResult, ...]) -> tuple[KpiResult, ...]:
    """KPIs marked ``headline`` in params, else the first few."""
    flagged = tuple(result for kpi, result in zip(specs, kpis) if kpi.headline)
    return flagged or kpis[:HEADLINE_COUNT]


def metric_inputs(data: ClientData, coverage: dict[str, SourceCoverage], metric: str,
                  source: str | None = None) -> KpiInputs:
    """The sources a metric is summed from and what they cover."""
    found = {name: summed_sources(data, name, source) for name in summed_inputs(metric)}
    sources = {name: SummedFrom(used[0], tuple(used[1])) for name, used in found.items() if used}
    feeding = dict.fromkeys(s for used in sources.values() for s in used.sources)
    return KpiInputs(sources, [coverage[s] for s in feeding if s in coverage])


def is_comparable(params: ClientParams, data: ClientData, coverage: dict[str, SourceCoverage],
                  periods: dict[str, Period], metric: str) -> bool:
    """Whether ``metric`` has a value over the previous period (its sources cover it all)
    as well as now: a change against a period without data is never reported."""
    source = next((k.source for k in params.kpis if k.metric == metric), None)
    available = metric_inputs(data, coverage, metric, source).availability(periods)
    return available["previous"].available and available["now"].available


def channel_contributions(kpis: Sequence[KpiSpec], by_channel: pd.DataFrame,
                          periods: dict[str, Period], reported: Period,
                          comparable: dict[str, bool]) -> dict[str, pd.DataFrame]:
    """Per KPI metric: each channel's part of its change on the previous period
    (:func:`nbreport.metrics.contribution.decompose_change`)."""
    before = period_totals(by_channel, periods["previous"])
    after = period_totals(by_channel, reported)
    nothing = after.iloc[0:0]  # no earlier data: no change to split
    parts = {}
    for kpi in kpis:
        pair = (before, after) if comparable[kpi.metric] else (nothing, nothing)
        parts[kpi.metric] = decompose_change(*pair, kpi.metric)
    return parts
