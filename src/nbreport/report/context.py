"""The report object the master notebook works with: one client, one period, its data.

``open_report`` is the first library call of the master notebook. It
validates the parameters again (the kernel trusts nothing it is given),
loads the client's data through the data layer, and hands back a
:class:`Report` whose numbers each section reads. Heavy results are computed
once, on first use.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from nbreport.charts.theme import ChartTheme
from nbreport.core.errors import ParamsError, ParamsIssue
from nbreport.core.formatting import Formatter
from nbreport.core.layout import ProjectLayout
from nbreport.metrics.budget import BudgetReport, budget_report
from nbreport.metrics.contribution import decompose_change
from nbreport.metrics.customer_success import CustomerSuccessResult, customer_success_report
from nbreport.metrics.coverage import SourceCoverage, coverage_by_source
from nbreport.metrics.daily import daily_metrics, period_totals, summed_sources
from nbreport.metrics.definitions import summed_inputs
from nbreport.metrics.insights import Insights
from nbreport.metrics.kpis import KpiInputs, KpiResult, SummedFrom, comparison_periods, scorecard
from nbreport.metrics.triangulation import TriangulationResult, triangulate
from nbreport.metrics.spec import KpiSpec
from nbreport.params import ClientParams, Period, load_client_params, params_from_plain, params_hash
from nbreport.sources.checks import DataWarning
from nbreport.sources.loader import ClientData, client_data_dir, load_sources

if TYPE_CHECKING:
    from nbreport.commentary.compose import ReportCommentary
    from nbreport.commentary.notes import ContextNote
    from nbreport.forecast.results import ForecastResult

HEADLINE_COUNT = 4


class Report:
    """One client's report for one period.

    Attributes
    ----------
    params:
        The validated parameters.
    data:
        The client's data in the canonical model, with provenance.
    period:
        The full reporting period; ``reported`` is the part up to ``as_of``.
    fmt:
        Formats numbers and money in the client's currency and locale.
    theme:
        Chart colours from the client's branding.
    """

    def __init__(self, params: ClientParams, data: ClientData, *, project_dir: Path,
                 outputs_dir: Path | None = None) -> None:
        self.params = params
        self.data = data
        self.project_dir = project_dir
        self.period: Period = params.period
        self.reported: Period = params.report_period
        self.fmt = Formatter(params.client.currency, params.client.locale)
        self.theme = ChartTheme.from_branding(params.branding.primary_color,
                                              params.branding.accent_color,
                                              params.branding.font_family)
        self.artifacts: set[str] = set()  # files written to the working folder, kept with the report
        # earlier reports (stored forecasts)
        self.outputs_dir = outputs_dir or ProjectLayout.default(project_dir).outputs_dir

    @property
    def client_id(self) -> str:
        return self.params.client.id

    @functools.cached_property
    def params_hash(self) -> str:
        return params_hash(self.params)

    @functools.cached_property
    def daily(self) -> pd.DataFrame:
        """Daily sums of every metric the KPIs need (see :func:`nbreport.metrics.daily_metrics`)."""
        return daily_metrics(self.data, [kpi.metric for kpi in self.params.kpis],
                             source_for=self._sources_for_kpis())

    @functools.cached_property
    def kpis(self) -> list[KpiResult]:
        """The scorecard: every KPI against previous period, last year and target.

        A KPI naming a ``source`` is summed from that source alone, and only that KPI: the
        KPIs are scored in groups of one source each, so that one KPI's source never changes
        another KPI's sums."""
        groups: dict[str | None, list[int]] = {}
        for index, kpi in enumerate(self.params.kpis):
            groups.setdefault(kpi.source, []).append(index)
        found: dict[int, KpiResult] = {}
        for source, indexes in groups.items():
            specs = [self.params.kpis[i] for i in indexes]
            results = scorecard(self._daily_from(source, specs), specs, self.period, self.reported,
                                self.params.status, [self._kpi_inputs(kpi) for kpi in specs])
            found.update(zip(indexes, results))
        return [found[i] for i in range(len(self.params.kpis))]

    def _daily_from(self, source: str | None, kpis: list[KpiSpec]) -> pd.DataFrame:
        """Daily sums of ``kpis``'s metrics, from ``source`` only or from every source."""
        if not self._sources_for_kpis():
            return self.daily  # no KPI names a source: one frame serves them all
        names = [kpi.metric for kpi in kpis]
        source_for = {m: source for name in names for m in summed_inputs(name)} if source else None
        return daily_metrics(self.data, names, source_for=source_for)

    @functools.cached_property
    def coverage(self) -> dict[str, SourceCoverage]:
        """Per source: its grain and the days its rows cover (missing is not zero)."""
        grains = {spec.name: spec.grain for spec in self.data.specs}
        return coverage_by_source(self.data.tables, grains)

    def check_period(self) -> list[DataWarning]:
        """The reported period against each source, by the days its rows stand for (see
        :meth:`ClientData.check_period`): the warnings, or a ``DataError`` for an empty source."""
        spans = {name: (found.first, found.last) for name, found in self.coverage.items()}
        return self.data.check_period(self.reported.start, self.reported.end, spans)

    def _kpi_inputs(self, kpi: KpiSpec) -> KpiInputs:
        return self.metric_inputs(kpi.metric, kpi.source)

    def metric_inputs(self, metric: str, source: str | None = None) -> KpiInputs:
        """The sources a metric is summed from and what they cover."""
        found = {name: summed_sources(self.data, name, source) for name in summed_inputs(metric)}
        sources = {name: SummedFrom(used[0], tuple(used[1])) for name, used in found.items() if used}
        feeding = dict.fromkeys(s for used in sources.values() for s in used.sources)
        return KpiInputs(sources, [self.coverage[s] for s in feeding if s in self.coverage])

    def comparable(self, metric: str, key: str = "previous") -> bool:
        """Whether ``metric`` has a value over comparison period ``key`` (its sources cover it
        all): a change against a period without data is never reported."""
        source = next((k.source for k in self.params.kpis if k.metric == metric), None)
        available = self.metric_inputs(metric, source).availability(self.comparison_periods)
        return available[key].available and available["now"].available

    @property
    def headline_kpis(self) -> list[KpiResult]:
        """KPIs marked ``headline`` in params, else the first few."""
        flagged = [result for kpi, result in zip(self.params.kpis, self.kpis) if kpi.headline]
        return flagged or self.kpis[:HEADLINE_COUNT]

    def kpi_spec(self, metric: str) -> KpiSpec | None:
        return next((kpi for kpi in self.params.kpis if kpi.metric == metric), None)

    def _sources_for_kpis(self) -> dict[str, str]:
        chosen: dict[str, str] = {}
        for kpi in self.params.kpis:
            if kpi.source:
                chosen.update({name: kpi.source for name in summed_inputs(kpi.metric)})
        return chosen

    def __repr__(self) -> str:
        return f"<Report {self.client_id} {self.period.key}>"

    @functools.cached_property
    def context_notes(self) -> list[ContextNote]:
        """Dated events from ``commentary/<client-id>/context.yaml``: chart annotations, commentary."""
        from nbreport.commentary.notes import client_notes

        return client_notes(self.project_dir, self.client_id)

    @functools.cached_property
    def commentary(self) -> ReportCommentary:
        """The analyst's commentary for this client and period, filled in, checked, drafted."""
        from nbreport.commentary.compose import ReportCommentary

        return ReportCommentary(self)

    # --- comparisons, budget, triangulation, contributions, insights, customer success -----
    @functools.cached_property
    def comparison_periods(self) -> dict[str, Period]:
        """``now``, ``previous`` and ``last_year``, aligned by day count (see
        :func:`nbreport.metrics.kpis.comparison_periods`)."""
        return comparison_periods(self.period, self.reported)

    @property
    def previous_label(self) -> str:
        """How the report names the previous period ("September 2026", or "1–15 September 2026"
        when a period to date is compared with the same days)."""
        return self.comparison_periods["previous"].label

    @functools.cached_property
    def daily_by_channel(self) -> pd.DataFrame:
        """:attr:`daily`, split by channel as well."""
        return daily_metrics(self.data, [kpi.metric for kpi in self.params.kpis],
                             source_for=self._sources_for_kpis(), by="channel")

    @functools.cached_property
    def contributions(self) -> dict[str, pd.DataFrame]:
        """Per KPI metric: each channel's part of its change on the previous period
        (:func:`nbreport.metrics.contribution.decompose_change`)."""
        before = period_totals(self.daily_by_channel, self.comparison_periods["previous"])
        after = period_totals(self.daily_by_channel, self.reported)
        nothing = after.iloc[0:0]  # no earlier data: no change to split
        parts = {}
        for kpi in self.params.kpis:
            pair = (before, after) if self.comparable(kpi.metric) else (nothing, nothing)
            parts[kpi.metric] = decompose_change(*pair, kpi.metric)
        return parts

    @functools.cached_property
    def budget(self) -> BudgetReport | None:
        """Spend against the planned budget (``None`` without ``budget`` in params)."""
        if self.params.budget is None:
            return None
        return budget_report(self.data, self.params.budget, self.period, self.reported)

    @functools.cached_property
    def triangulation(self) -> list[TriangulationResult]:
        """One reconciliation per ``triangulation`` check in params."""
        return [triangulate(self.data, spec, self.period, self.reported, self.fmt)
                for spec in self.params.triangulation_checks]

    @functools.cached_property
    def customer_success(self) -> CustomerSuccessResult:
        """Surveys, support, churn, retention, lifetime value and health, as the data allows."""
        return customer_success_report(self.data, self.params.customer_success, self.reported,
                                       self.comparison_periods["previous"])

    @functools.cached_property
    def insights(self) -> Insights:
        """Wins and challenges, ranked (see :mod:`nbreport.metrics.insights`)."""
        from nbreport.report.sections.insights import collect_insights

        return collect_insights(self)

    @functools.cached_property
    def forecasts(self) -> ForecastResult:
        """Forecasts of the selected KPIs, target probabilities and the forecasts' track record
        (see :mod:`nbreport.forecast.results` for the fields)."""
        from nbreport.forecast.engine import forecast_report

        return forecast_report(self)


def open_report(
    client_id: str,
    *,
    params: dict[str, Any] | None = None,
    period: str | None = None,
    project_dir: str | Path = ".",
    data_dir: str | Path | None = None,
    outputs_dir: str | Path | None = None,
) -> Report:
    """Validate the parameters, load the client's data and return the :class:`Report`.

    Parameters
    ----------
    client_id:
        The client whose report this is.
    params:
        Validated parameters as plain values (``nbreport run`` injects them); when empty,
        ``params/<client_id>.yaml`` is read, so the notebook also runs by hand in JupyterLab.
    period:
        Overrides the period of the params file when reading it (e.g. ``"2026-10"``).
    project_dir:
        The project folder holding ``params/`` and ``data/``.
    data_dir:
        Where client data folders live; defaults to ``<project_dir>/data``.
    outputs_dir:
        Where earlier reports are (their stored forecasts are held to account);
        defaults to ``<project_dir>/outputs``.
    """
    project = Path(project_dir).resolve()
    if params:
        client_params = params_from_plain(params, source=f"parameters of {client_id}")
    else:
        overrides = {"period": period} if period else None
        client_params = load_client_params(client_id, project / "params", overrides=overrides)
    if client_params.client.id != client_id:
        raise ParamsError(f"parameters of {client_id}", [ParamsIssue(
            "client.id", f"is '{client_params.client.id}', not the client being run ('{client_id}')")])
    root = Path(data_dir) if data_dir else project / "data"
    data = load_sources(list(client_params.sources), client_data_dir(root, client_id),
                        currency=client_params.client.currency,
                        alternatives=client_params.alternatives)
    reported = client_params.report_period
    report = Report(client_params, data, project_dir=project,
                    outputs_dir=Path(outputs_dir) if outputs_dir else None)
    report.check_period()  # a source with nothing for the period stops here
    return report
