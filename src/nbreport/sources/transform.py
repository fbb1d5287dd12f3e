"""Run a source's ``transform:`` steps (and its ``sql:`` over the file) in DuckDB.

The export as read is registered in an in-memory DuckDB database that can open no file
(``enable_external_access`` off and locked, so a step's SQL can never reach another
client's data). The steps compile to one query of chained relations (what ``preview``
shows as a ``WITH`` query); each is made once, as a table, or a view when it is cheap and
cannot fail, so that its checks, row count and first rows read it rather than the whole
chain again. Every problem is a :class:`DataError` naming the source, the file, the step,
the column and a row of the export, found before any kernel starts.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from nbreport.core.errors import DataError
from nbreport.sources import transform_sql as q
from nbreport.sources.reading import RawTable
from nbreport.sources.spec import SourceSpec
from nbreport.sources.transform_steps import StepCompiler

RawReader = Callable[[SourceSpec], RawTable]
"""Reads another source's export as read (for ``join``), resolved inside the client's folder."""

MAX_JOIN_DEPTH = 4


@dataclass(frozen=True)
class StepReport:
    """One step as run: its number (0 for the tenant filter and the file's SQL), its SQL and rows out."""

    number: int
    name: str
    sql: str
    rows: int
    dropped: int = 0
    why: str | None = None


@dataclass
class Transformed:
    """A source's export after its steps, and what each step did."""

    raw: RawTable
    sql: str
    steps: list[StepReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tenant_filtered: bool = False
    rows_read: int = 0  # the export's rows, before any step
    heads: list[pa.Table] = field(default_factory=list)  # first rows after each of ``steps``

    @property
    def dropped(self) -> list[tuple[int, str]]:
        """(rows, why) of each step that left rows out, for the report's data-quality appendix."""
        return [(step.dropped, step.why) for step in self.steps if step.dropped and step.why]


def needs_transform(spec: SourceSpec) -> bool:
    """Whether a source is reshaped before mapping: steps, or a query over its file."""
    return bool(spec.transform) or (spec.sql is not None and spec.path is not None)


def apply_transforms(spec: SourceSpec, raw: RawTable, read_other: RawReader,
                     sources: Mapping[str, SourceSpec], *, depth: int = 0, heads: int = 0) -> Transformed:
    """The export of ``spec`` reshaped by its ``sql`` and ``transform`` steps; ``heads`` keeps the
    first rows after each step (for ``nbreport preview``)."""
    pipeline = _Pipeline(spec, raw, read_other, sources, depth, heads)
    try:
        return pipeline.run()
    finally:
        pipeline.close()


class _Pipeline:
    def __init__(self, spec: SourceSpec, raw: RawTable, read_other: RawReader,
                 sources: Mapping[str, SourceSpec], depth: int, heads: int = 0) -> None:
        import duckdb

        self.heads = heads
        self.spec, self.raw, self.read_other, self.sources, self.depth = spec, raw, read_other, sources, depth
        self.con = duckdb.connect(config={"enable_external_access": False, "threads": 2})
        self.con.execute("SET TimeZone = 'UTC'")
        for macro in q.MACROS:
            self.con.execute(macro)
        names = [str(name).strip() for name in raw.table.column_names]
        table = raw.table.rename_columns(names).append_column(q.ROW, pa.array(raw.rows, pa.int64()))
        self.con.register("raw_export", table)
        self.columns: list[str] = names
        self.views: list[tuple[str, str]] = []
        self.reports: list[StepReport] = []
        self.warnings: list[str] = []
        self.current = "raw_export"
        self.head_of: dict[str, pa.Table] = {}  # each relation's first rows, kept as it is made
        self.tables: list[str] = []  # the steps written out as tables, still read

    def close(self) -> None:
        self.con.close()

    # --- the steps ----------------------------------------------------------------------
    def run(self) -> Transformed:
        tenant = self._tenant_filter()
        self._view("export", tenant or "SELECT * FROM raw_export", 0, "tenant filter" if tenant else "")
        if self.spec.sql is not None and self.spec.path is not None:
            self._file_query(self.spec.sql.query)
        compiler = StepCompiler(self)
        for number, step in enumerate(self.spec.transform, start=1):
            sql, columns = compiler.compile(number, step)
            self._view(f"step_{number}", sql, number, step.name, columns)
        table = self._result()
        self._count_rows()
        heads = [self.head_of[name] for name, _ in self.views[-len(self.reports):]] if self.heads else []
        rows = np.asarray(table.column(q.ROW).to_numpy(zero_copy_only=False), dtype=np.int64)
        result = RawTable(table.drop_columns([q.ROW]), rows, self.raw.dropped)
        return Transformed(result, self.compiled_sql(), self.reports, self.warnings, bool(tenant),
                           len(self.raw), heads)

    def _tenant_filter(self) -> str | None:
        if not self.spec.shared:
            return None
        for column in self.spec.mapping.filter:
            self.need(0, "tenant filter", [column])
        conditions = [q.matches(column, values) for column, values in self.spec.mapping.filter.items()]
        return q.select_where("raw_export", " AND ".join(conditions))

    def _file_query(self, query: str) -> None:
        """The source's own SQL over its file (the relation ``export``); rows keep their line
        numbers when the query keeps ``_row``, else they are numbered in the result's order."""
        probe = self._try(0, "sql", lambda: [d[0] for d in self.con.execute(f"SELECT * FROM ({query}) LIMIT 0").description])
        if q.ROW not in probe:
            query = f"SELECT *, row_number() OVER () AS {q.ROW} FROM ({query})"
        self._view("file_query", query, 0, "sql", [c for c in probe if c != q.ROW])

    def _view(self, name: str, sql: str, number: int, step: str,
              columns: Sequence[str] | None = None) -> None:
        """Run one step into a table of its own: the next step's checks, its counts and its
        first rows then read that table, never the whole chain of steps again, and a runtime
        error names its step. Steps that cannot fail and cost little per row stay views over
        it (writing them out costs more than reading them again); a new table ends the use
        of the tables before it."""
        table = step not in VIEW_STEPS
        kind = "TABLE" if table else "VIEW"
        self._try(number, step, lambda: self.con.execute(f"CREATE {kind} {q.ident(name)} AS {sql}"))
        rows = self.con.execute(f"SELECT count(*) FROM {q.ident(name)}").fetchall()[0][0]
        if self.heads and step:  # the plain export is shown by no step
            self.head_of[name] = self._head(name)
        if table:
            for earlier in self.tables:
                self.con.execute(f"DROP TABLE {q.ident(earlier)}")
            self.tables = [name]
        self.views.append((name, sql))
        self.current = q.ident(name)
        if columns is not None:
            self.columns = list(columns)
        self.reports.append(StepReport(number, step, sql, rows=int(rows)))

    def _result(self) -> pa.Table:
        try:  # each step ran as its table was made (a runtime error named its step there)
            return self.con.sql(f"SELECT * FROM {self.current} ORDER BY {q.ROW}").to_arrow_table()
        except Exception as exc:
            raise self.error(f"the transform failed: {_first_line(exc)}") from None

    def _count_rows(self) -> None:
        rows = [report.rows for report in self.reports]
        before = len(self.raw)
        for i, (report, count) in enumerate(zip(self.reports, rows)):
            dropped = before - int(count) if report.name in DROPPING_STEPS else 0
            self.reports[i] = StepReport(report.number, report.name, report.sql, int(count), dropped,
                                         self._why(report, dropped))
            before = int(count)
        self.reports = [r for r in self.reports if r.name]  # the plain ``export`` view is no step

    def _head(self, view: str) -> pa.Table:
        return self.con.sql(f"SELECT * EXCLUDE ({q.ROW}) FROM {q.ident(view)} ORDER BY {q.ROW} "
                            f"LIMIT {self.heads}").to_arrow_table()

    def _why(self, report: StepReport, dropped: int) -> str | None:
        if not dropped:
            return None
        if report.name == "tenant filter":
            return "rows of other accounts in the shared export (tenant filter)"
        step = self.spec.transform[report.number - 1]
        if report.name == "dedupe":
            if step.dedupe == "all":
                return "duplicate rows"
            kept = getattr(step.dedupe, "keep", "first")
            return "rows sent again (the first copy was kept)" if kept == "first" else \
                "rows sent again (the last copy was kept)"
        columns = list(step.body) if isinstance(step.body, dict) else []
        named = f" on {', '.join(repr(c) for c in columns)}" if columns else ""
        return f"outside the report's scope: the transform's {report.name}{named} (step {report.number})"

    def compiled_sql(self) -> str:
        """The whole reshaping as one query, as a person would read it."""
        ctes = ",\n".join(f"{q.ident(name)} AS (\n  {sql}\n)" for name, sql in self.views)
        return f"WITH {ctes}\nSELECT * FROM {self.current} ORDER BY {q.ROW}"

    def macros_sql(self) -> str:
        """The helper macros the query uses (``txt``, ``num``...), to run it elsewhere."""
        return ";\n".join(q.MACROS) + ";"

    # --- services for the step compiler ---------------------------------------------------
    def need(self, number: int, step: str, columns: Sequence[str]) -> None:
        """Fail unless every column is there at this step, with the closest name."""
        for column in columns:
            if column != "*" and column not in self.columns:
                close = difflib.get_close_matches(column, self.columns, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise self.error(f"{_step(number, step)}: there is no column '{column}' here; {hint}"
                                 f"the columns at this step are {', '.join(self.columns)}", column=column)

    def first_row(self, condition: str, column: str) -> tuple[int, str] | None:
        """The first row (and the column's value there) of the current relation where ``condition`` holds."""
        found = self.con.execute(f"SELECT {q.ROW}, {q.text(column)} FROM {self.current} "
                                 f"WHERE {condition} ORDER BY {q.ROW} LIMIT 1").fetchall()
        return (int(found[0][0]), str(found[0][1])) if found else None

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def distinct_text(self, column: str) -> pa.Array:
        found = self.con.sql(f"SELECT DISTINCT {q.text(column)} AS v FROM {self.current}")
        return found.to_arrow_table()["v"].combine_chunks()

    def register(self, name: str, table: pa.Table) -> None:
        self.con.register(name, table)

    def warn_if_mangled(self, column: str) -> None:
        mangled = self.con.execute(f"SELECT count(*), any_value({q.text(column)}) FROM {self.current} "
                                   f"WHERE regexp_matches({q.text(column)}, '{q.SCIENTIFIC_ID}')").fetchall()
        if mangled[0][0]:
            self.warnings.append(mangled_warning(column, int(mangled[0][0]), str(mangled[0][1])))

    def joined(self, number: int, name: str) -> tuple[pa.Table, list[str]]:
        """Another source's export, after its own steps, to join (with its columns)."""
        other = self.sources.get(name)
        if other is None or other.name == self.spec.name:
            known = [s for s in self.sources if s != self.spec.name]
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise self.error(f"{_step(number, 'join')}: no other source named '{name}'; {hint}"
                             f"sources: {', '.join(known) or 'none'}")
        if self.depth >= MAX_JOIN_DEPTH:
            raise self.error(f"{_step(number, 'join')}: sources join each other in a circle; "
                             "remove one of the joins")
        raw = self.read_other(other)
        if needs_transform(other):
            raw = apply_transforms(other, raw, self.read_other, self.sources, depth=self.depth + 1).raw
        names = [str(c).strip() for c in raw.table.column_names]
        return raw.table.rename_columns(names), names

    def error(self, message: str, *, row: int | None = None, column: str | None = None) -> DataError:
        return DataError(message, source=self.spec.name, path=self.spec.location, row=row, column=column)

    def _try(self, number: int, step: str, action: Callable[[], Any]) -> Any:
        import duckdb

        try:
            return action()
        except duckdb.Error as exc:
            raise self.error(f"{_step(number, step)}: {_sql_problem(exc)}") from None


VIEW_STEPS = ("", "tenant filter", "filter", "exclude", "map")
"""Steps kept as views: their SQL cannot fail on a value and reading it again is cheap."""
DROPPING_STEPS = ("tenant filter", "filter", "exclude", "where", "dedupe")


def mangled_warning(column: str, count: int, example: str) -> str:
    return (f"'{column}' holds {count} id(s) written in scientific notation (such as {example}): a "
            "spreadsheet rounded them, so different ids may now look the same. Export the column "
            "as text, or count another column that identifies the same thing")


def mangled_id_notes(table: pa.Table, spec: SourceSpec) -> list[str]:
    """Notes for canonical id columns holding ids a spreadsheet wrote in scientific notation."""
    import pyarrow.compute as pc

    notes = []
    for name in table.column_names:
        if name.endswith("_id") and pa.types.is_string(table.schema.field(name).type):
            mangled = pc.match_substring_regex(table[name], q.SCIENTIFIC_ID)
            count = pc.sum(mangled).as_py() or 0
            if count:
                example = table[name].filter(mangled)[0].as_py()
                notes.append(mangled_warning(name, int(count), str(example)))
    return notes


def _step(number: int, name: str) -> str:
    return f"transform step {number} ({name})" if number else (name or "the export")


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _sql_problem(exc: BaseException) -> str:
    """DuckDB's message without its internals, with what to do."""
    line = re.sub(r"^[A-Za-z ]+Error: ", "", _first_line(exc))
    line = line.replace("Referenced column", "the column").replace("not found in FROM clause!", "does not exist")
    return f"DuckDB cannot run it: {line}. Check the step's SQL and column names (quote names with " \
           "spaces or capitals in double quotes, text values in single quotes)"
