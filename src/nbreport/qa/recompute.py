"""A second, deliberately simple path to every KPI: one DuckDB query per metric over the rows.

The report computes its numbers with pandas in :mod:`nbreport.metrics`; the gate recomputes
them here from the canonical rows the report stored beside itself (``rows-<kind>.parquet``,
see :mod:`nbreport.report.evidence`), sharing nothing with that code but the metric
registry's definitions:

* a :class:`~nbreport.metrics.definitions.SummedMetric` sums one column (or counts rows) of
  the first kind of data its providers name that holds rows (only the rows of the KPI's
  ``source`` when it names one), placing each row on the day of its ``date_column`` and
  keeping the rows its ``where`` accepts;
* a :class:`~nbreport.metrics.definitions.CombinedMetric` is the signed sum of its terms;
* a :class:`~nbreport.metrics.definitions.RatioMetric` is
  ``factor * sum(numerator) / sum(denominator)``, NULL when the denominator is 0 or missing.

Each query returns, for every period asked about, the metric's value and the number of rows
each summed input found in the period (the gate needs both to judge a missing value).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
import calendar
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from nbreport.core.errors import NbreportError
from nbreport.metrics.definitions import (
    METRICS,
    CombinedMetric,
    Provider,
    RatioMetric,
    SummedMetric,
)
from nbreport.core.period import Period
from nbreport.core.layout import EVIDENCE_FILE

_KIND = re.compile(r"^[a-z][a-z0-9_]*$")
NULL = "CAST(NULL AS DOUBLE)"


class EvidenceError(NbreportError, ValueError):
    """The rows stored beside a report are missing or unreadable; the message says which file."""


@dataclass(frozen=True)
class SourceRows:
    """What the stored rows hold for one source: its kind, its rows and the days they stand for.

    Attributes
    ----------
    rows:
        Rows of the source.
    first, last:
        Its first and last dated day (``None`` without dated rows).
    grain:
        The span one row stands for: ``day``, ``week`` (seven days from the row's date) or
        ``month`` (its calendar month).
    anchor:
        Weekday (0 = Monday) of weekly rows.
    slack:
        Days without rows a daily source usually has in a row (weekends of a weekday business):
        a period that starts or ends within them of the rows is wholly held.
    """

    source: str
    kind: str
    rows: int
    first: date | None
    last: date | None
    grain: str = "day"
    anchor: int = 0
    slack: int = 0

    @property
    def span(self) -> tuple[date, date] | None:
        """First and last day the rows stand for: whole months of monthly rows, a week after
        the last weekly row."""
        if self.first is None or self.last is None:
            return None
        if self.grain == "month":
            return self.first.replace(day=1), _month_end(self.last)
        if self.grain == "week":
            return self.first, self.last + timedelta(days=6)
        return self.first, self.last

    def covers(self, period: Period) -> str:
        """``all``, ``part`` or ``none`` of ``period`` lies inside the source's span."""
        span = self.span
        if span is None or period.end < span[0] or period.start > span[1]:
            return "none"
        quiet = timedelta(days=self.slack)
        return "all" if span[0] - quiet <= period.start and period.end <= span[1] + quiet else "part"

    def cuts(self, period: Period) -> bool:
        """Whether ``period`` starts or ends inside one row's span (a week of monthly rows)."""
        if self.grain == "month":
            return period.start.day != 1 or period.end != _month_end(period.end)
        if self.grain == "week":
            return period.start.weekday() != self.anchor or period.days % 7 != 0
        return False


@dataclass(frozen=True)
class Selection:
    """The rows one summed metric is summed from: a provider (``None``: no data) and sources."""

    metric: str
    provider: Provider | None
    sources: tuple[str, ...] = ()


@dataclass
class Recomputed:
    """One metric, recomputed: value per period key, and rows found per summed input and period."""

    metric: str
    values: dict[str, float | None]
    rows: dict[str, dict[str, int]]
    selections: dict[str, Selection] = field(default_factory=dict)


class Evidence:
    """The canonical rows of one report, queryable with DuckDB (one table per kind).

    Parameters
    ----------
    folder:
        The folder holding the report's files (``outputs/<period>/<client>/``, or the run's
        working folder before publishing).
    columns:
        Kind of data -> the columns to read (see :func:`columns_needed`); each kind must have
        its file.
    grains:
        Source -> ``day``, ``week`` or ``month`` where the params set a source's grain.
    set_aside:
        Sources declared as alternatives to a truth source: never summed unless a KPI names one.
    """

    def __init__(self, folder: Path, columns: Mapping[str, set[str]],
                 grains: Mapping[str, str] | None = None, set_aside: Collection[str] = ()) -> None:
        self.set_aside = frozenset(set_aside)
        self.connection = _database().cursor()  # its own connection; registered tables stay in it
        self.kinds: set[str] = set()
        self._columns: dict[str, set[str]] = {}
        try:
            for kind, needed in sorted(columns.items()):
                self._register(folder, kind, needed)
            self.sources = self._sources(grains or {})
        except BaseException:
            self.close()
            raise

    def _register(self, folder: Path, kind: str, needed: set[str]) -> None:
        """The ``needed`` columns of the rows of one kind, as the table ``rows_<kind>``."""
        import pyarrow.parquet as pq

        if not _KIND.match(kind):
            raise EvidenceError(f"'{kind}' is not a kind of data; the run summary is damaged")
        path = folder / EVIDENCE_FILE.format(kind=kind)
        if not path.is_file():
            raise EvidenceError(f"{path.name} is missing beside the report: the rows of its "
                                f"{kind} sources were not stored; run the report again")
        try:
            rows = pq.ParquetFile(path)
            present = set(rows.schema_arrow.names)
            table = rows.read(columns=sorted(needed & present))
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a bad file
            raise EvidenceError(f"{path.name} cannot be read ({exc}); run the report "
                                "again") from None
        self.connection.register(f"rows_{kind}", table)
        self.kinds.add(kind)
        self._columns[kind] = present

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Evidence:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def columns(self, kind: str) -> set[str]:
        return self._columns.get(kind, set())

    def _sources(self, grains: Mapping[str, str]) -> dict[str, SourceRows]:
        """Every source's rows, first and last day and grain, from the rows themselves.

        A source's rows are monthly when they fall on at least three days, all on the 1st (or
        all on the last day of their month), at least 28 days apart; weekly when on at least four
        days, all on one weekday, at least 7 days apart; daily otherwise. ``grains`` (source ->
        grain) overrides that. A daily source's slack is the gap between its days that 95% of
        gaps do not exceed, less one, at most six days.
        """
        for kind in self.kinds:
            if not {"source", "date"} <= self.columns(kind):
                raise EvidenceError(
                    f"{EVIDENCE_FILE.format(kind=kind)} has no source or date column")
        found = {}
        rows_found = self.connection.execute(_sources_sql(sorted(self.kinds))).fetchall() \
            if self.kinds else []
        for row in rows_found:
            kind, source, rows, first, last, days, gap, firsts, ends, weekdays, weekday, usual = row
            grain, anchor = "day", 0
            if days >= 3 and gap >= 28 and (firsts or ends):
                grain = "month"
            elif days >= 4 and gap >= 7 and weekdays == 1:
                grain, anchor = "week", weekday
            chosen = grains.get(str(source), "auto")
            if chosen not in ("auto", grain):
                grain, anchor = chosen, first.weekday() if first else 0
            slack = min(max(int(usual or 1) - 1, 0), 6) if grain == "day" and days >= 4 else 0
            found[str(source)] = SourceRows(str(source), kind, int(rows), first, last, grain,
                                            anchor, slack)
        return found

    def select(self, metric: str, source: str | None) -> Selection:
        """The rows a summed metric is taken from: its first provider whose kind holds rows (of
        ``source`` only, when the KPI names one); alternatives set aside are not summed."""
        summed = METRICS[metric]
        assert isinstance(summed, SummedMetric)
        for provider in summed.providers:
            held = [name for name, rows in self.sources.items()
                    if rows.kind == provider.kind and rows.rows and (source is None or name == source)]
            if held:
                summed_from = [name for name in held if source or name not in self.set_aside]
                return Selection(metric, provider, tuple(sorted(summed_from)))
        return Selection(metric, None)

    def recompute(self, metric: str, periods: Mapping[str, Period],
                  source: str | None = None) -> Recomputed:
        """``metric`` over each of ``periods`` (key -> period), in one query."""
        selections = {name: self.select(name, source) for name in summed_parts(metric)}
        for selection in selections.values():
            self._check_columns(selection)
        sql, parameters = metric_query(metric, selections, periods)
        row = self.connection.execute(sql, parameters).fetchone()
        assert row is not None
        result = dict(zip([d[0] for d in self.connection.description], row))
        values = {key: _number(result[f"v_{key}"]) for key in periods}
        rows = {name: {key: int(result.get(f"n_{index}_{key}") or 0) for key in periods}
                for index, name in enumerate(selections)}
        return Recomputed(metric, values, rows, selections)

    def _check_columns(self, selection: Selection) -> None:
        provider = selection.provider
        if provider is None:
            return
        needed = {provider.date_column, *(column for column, _ in provider.where)}
        if provider.column:
            needed.add(provider.column)
        missing = sorted(needed - self.columns(provider.kind))
        if missing:
            raise EvidenceError(f"{EVIDENCE_FILE.format(kind=provider.kind)} has no column "
                                f"{', '.join(missing)}, which {selection.metric} needs")


@functools.cache
def _database() -> Any:
    """One in-memory DuckDB database per process (connecting costs about 0.1 s; a cursor on it,
    which is a connection of its own, next to nothing). Single-threaded: the tables are small."""
    import duckdb

    with _DATABASE_LOCK:
        return duckdb.connect(":memory:", config={"threads": 1})


_DATABASE_LOCK = threading.Lock()


def _sources_sql(kinds: list[str]) -> str:
    """Per source: kind, rows, first and last day, distinct days, smallest gap between them,
    whether all fall on a 1st, whether all on a month's last day, distinct weekdays, weekday,
    and the gap 95% of gaps do not exceed."""
    days = " UNION ALL ".join(
        f"SELECT '{kind}' AS kind, \"source\", CAST(\"date\" AS DATE) AS day, COUNT(*) AS n "
        f'FROM rows_{kind} GROUP BY "source", day' for kind in kinds)
    return (f"WITH d AS ({days}), g AS (SELECT *, day - LAG(day) OVER "
            '(PARTITION BY kind, "source" ORDER BY day) AS gap FROM d) '
            'SELECT kind, "source", SUM(n), MIN(day), MAX(day), COUNT(day), COALESCE(MIN(gap), 0), '
            "BOOL_AND(DAY(day) = 1), BOOL_AND(day = LAST_DAY(day)), COUNT(DISTINCT ISODOW(day)), "
            'MIN(ISODOW(day)) - 1, QUANTILE_DISC(gap, 0.95) '
            'FROM g GROUP BY kind, "source" ORDER BY kind, "source"')


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def columns_needed(metrics: list[str], kinds: set[str]) -> dict[str, set[str]]:
    """Per kind of data among ``kinds`` that could feed one of ``metrics``: the columns its
    providers read (plus ``source`` and ``date``, which say whose rows and which days)."""
    needed: dict[str, set[str]] = {}
    for metric in metrics:
        for part in summed_parts(metric):
            summed = METRICS[part]
            assert isinstance(summed, SummedMetric)
            for provider in summed.providers:
                if provider.kind in kinds:
                    columns = needed.setdefault(provider.kind, {"source", "date"})
                    columns.update({provider.date_column, *(c for c, _ in provider.where)})
                    columns.update({provider.column} if provider.column else set())
    return needed


def summed_parts(metric: str) -> tuple[str, ...]:
    """The summed metrics ``metric`` is made of, each once, in the order they first appear."""
    definition = METRICS[metric]
    if isinstance(definition, SummedMetric):
        return (metric,)
    parts = definition.inputs
    return tuple(dict.fromkeys(name for part in parts for name in summed_parts(part)))


def metric_query(metric: str, selections: Mapping[str, Selection],
                 periods: Mapping[str, Period]) -> tuple[str, list[Any]]:
    """The SQL (and its parameters) giving ``v_<key>`` and ``n_<input>_<key>`` per period key.

    One common table expression per summed input with data sums it over each period; the
    final ``SELECT`` combines them as the registry defines ``metric``.
    """
    parameters: list[Any] = []
    inputs: dict[str, str] = {}
    ctes, counts = [], []
    for index, (name, selection) in enumerate(selections.items()):
        if selection.provider is None:
            counts += [f"0 AS n_{index}_{key}" for key in periods]
            continue
        alias = f"i{index}"
        inputs[name] = alias
        ctes.append(f"{alias} AS ({_input_sql(selection, periods, parameters)})")
        counts += [f"{alias}.n_{key} AS n_{index}_{key}" for key in periods]
    values = [f"{_expression(metric, key, inputs)} AS v_{key}" for key in periods]
    sql = ("WITH " + ", ".join(ctes) + " " if ctes else "") + "SELECT " + ", ".join(values + counts)
    if inputs:
        sql += " FROM " + " CROSS JOIN ".join(inputs.values())
    return sql, parameters


def _input_sql(selection: Selection, periods: Mapping[str, Period], parameters: list[Any]) -> str:
    provider = selection.provider
    assert provider is not None
    value = f'CAST({_quoted(provider.column)} AS DOUBLE)' if provider.column else "1.0"
    conditions = [f'"source" IN ({", ".join("?" for _ in selection.sources)})']
    parameters += list(selection.sources)
    for column, accepted in provider.where:
        conditions.append(f'{_quoted(column)} IN ({", ".join("?" for _ in accepted)})')
        parameters += list(accepted)
    rows = (f"SELECT CAST({_quoted(provider.date_column)} AS DATE) AS day, {value} AS v "
            f"FROM rows_{provider.kind} WHERE {' AND '.join(conditions)}")
    sums = []
    for key, period in periods.items():
        inside = (f"day BETWEEN DATE '{period.start.isoformat()}' "
                  f"AND DATE '{period.end.isoformat()}'")
        sums += [f"SUM(v) FILTER (WHERE {inside}) AS s_{key}",
                 f"COUNT(*) FILTER (WHERE {inside}) AS n_{key}"]
    return f"SELECT {', '.join(sums)} FROM ({rows})"


def _expression(metric: str, key: str, inputs: Mapping[str, str]) -> str:
    """``metric`` over the period ``key`` as SQL: a sum (0 without rows, NULL without data), a
    signed sum of its terms, or ``factor * numerator / NULLIF(denominator, 0)``."""
    definition = METRICS[metric]
    if isinstance(definition, SummedMetric):
        return f"COALESCE({inputs[metric]}.s_{key}, 0.0)" if metric in inputs else NULL
    if isinstance(definition, CombinedMetric):
        terms = [f"({weight!r}) * {_expression(part, key, inputs)}"
                 for weight, part in definition.terms]
        return "(" + " + ".join(terms) + ")"
    assert isinstance(definition, RatioMetric)
    numerator = _expression(definition.numerator, key, inputs)
    denominator = _expression(definition.denominator, key, inputs)
    return f"(({definition.factor!r}) * {numerator} / NULLIF({denominator}, 0.0))"


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
