"""``nbreport preview``: what a client's data becomes, source by source, before any kernel runs.

Reads the real files (not only the params) the way a run does, and keeps what a person
needs to trust a mapping: the SQL of the transform steps and the first rows after each,
the canonical columns with their types and blanks, the dates covered against the reported
period, the rows left out and why, and the headline KPI values the report would show.
``nbreport validate --data`` runs the same and fails on any problem.
"""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from nbreport.core.errors import DataError
from nbreport.core.formatting import Formatter
from nbreport.metrics.coverage import coverage_by_source
from nbreport.metrics.daily import daily_metrics
from nbreport.params import ClientParams
from nbreport.report.analysis import kpi_scorecard, sources_for_kpis
from nbreport.sources.canonical import columns_of
from nbreport.sources.checks import DataWarning
from nbreport.sources.loader import LoadedSource, combine_sources, load_one
from nbreport.sources.spec import SourceSpec


@dataclass(frozen=True)
class ColumnSummary:
    """One canonical column of a source: its type, how many rows lack a value, where it came from."""

    name: str
    type: str
    blanks: int
    rows: int
    export_column: str | None  # None: not in the export, every row has the column's default


@dataclass
class SourcePreview:
    """One source as a run would read it, or the error that would stop the run."""

    name: str
    kind: str
    location: str
    loaded: LoadedSource | None = None
    error: DataError | None = None
    columns: list[ColumnSummary] = field(default_factory=list)
    first_rows: pa.Table | None = None  # of the canonical table

    @property
    def dropped(self) -> list[str]:
        """The rows left out, and why (by its steps and its mapping), as the report says it."""
        if self.loaded is None:
            return []
        return [w.message for w in self.loaded.record.warnings if w.check == "dropped_rows"]


@dataclass
class KpiLine:
    label: str
    value: str
    target: str


@dataclass
class ClientPreview:
    """Everything ``preview`` shows of one client."""

    client_id: str
    period: str
    sources: list[SourcePreview]
    coverage: list[DataWarning] = field(default_factory=list)
    coverage_error: DataError | None = None
    kpis: list[KpiLine] = field(default_factory=list)
    kpi_error: str | None = None
    seconds: float = 0.0

    @property
    def problems(self) -> list[str]:
        """What would stop a run, or make its numbers wrong: each a line naming its source."""
        found = [str(source.error) for source in self.sources if source.error]
        found += [str(self.coverage_error)] if self.coverage_error else []
        found += [f"{w.source}: {w.message}" for w in self.coverage if w.check in ("freshness",)]
        return found + ([f"KPIs: {self.kpi_error}"] if self.kpi_error else [])


def preview_client(params: ClientParams, client_dir: Path, only: str | None = None,
                   heads: int = 5) -> ClientPreview:
    """Read the sources of ``params`` (or the one named ``only``) and compute the headline KPIs."""
    started = time.perf_counter()
    wanted = [spec for spec in params.sources if spec.is_data and (only is None or spec.name == only)]
    if only is not None and not wanted:
        names = [spec.name for spec in params.sources if spec.is_data]
        close = difflib.get_close_matches(only, names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise DataError(f"no data source named '{only}'{hint} (sources: {', '.join(names)})")
    found = [_preview_source(spec, client_dir, params, heads) for spec in wanted]
    preview = ClientPreview(params.client.id, params.report_period.label, found)
    loaded = [source.loaded for source in found if source.loaded is not None]
    if loaded and len(loaded) == len(found):
        _add_period_and_kpis(preview, params, loaded)
    preview.seconds = round(time.perf_counter() - started, 2)
    return preview


def _preview_source(spec: SourceSpec, client_dir: Path, params: ClientParams, heads: int) -> SourcePreview:
    preview = SourcePreview(spec.name, spec.kind, spec.location)
    try:
        preview.loaded = load_one(spec, client_dir, params.sources, heads=heads)
    except DataError as exc:
        preview.error = exc
        return preview
    table = preview.loaded.table
    preview.columns = [_summary(table, column.name, column.type, preview.loaded.columns.get(column.name))
                       for column in columns_of(spec.kind)]
    preview.first_rows = table.slice(0, heads)
    return preview


def _summary(table: pa.Table, name: str, type_: str, export_column: str | None) -> ColumnSummary:
    column = table.column(name)
    blanks = column.null_count
    if pa.types.is_string(column.type):
        blanks += int(pc.sum(pc.equal(column, "")).as_py() or 0)
    elif pa.types.is_floating(column.type):
        blanks = int(pc.sum(pc.is_nan(column).fill_null(True)).as_py() or 0)
    return ColumnSummary(name, type_, blanks, table.num_rows, export_column)


def _add_period_and_kpis(preview: ClientPreview, params: ClientParams, loaded: list[LoadedSource]) -> None:
    reported = params.report_period
    try:
        data = combine_sources(loaded, currency=params.client.currency, alternatives=params.alternatives)
        coverage = coverage_by_source(data.tables, {spec.name: spec.grain for spec in data.specs})
        spans = {name: (found.first, found.last) for name, found in coverage.items()}
        preview.coverage = data.check_period(reported.start, reported.end, spans)
    except DataError as exc:
        preview.coverage_error = exc
        return
    if preview.sources and len(preview.sources) < len([s for s in params.sources if s.is_data]):
        return  # one source alone: the KPIs would be wrong without the others
    try:
        daily = daily_metrics(data, [kpi.metric for kpi in params.kpis], source_for=sources_for_kpis(params.kpis))
        results = kpi_scorecard(params, data, coverage, daily)
    except (DataError, KeyError, ValueError) as exc:
        preview.kpi_error = str(exc)
        return
    fmt = Formatter(params.client.currency, params.client.locale)
    preview.kpis = [KpiLine(result.label, fmt.value(result.actual, result.unit),
                            fmt.value(result.target, result.unit) if result.target == result.target else "")
                    for result in results]
