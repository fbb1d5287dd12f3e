"""Each ``transform:`` step as SQL over the previous one, checked against the data first.

A step names columns that must exist at that point (a misspelt one is an error with the
closest name), and a value it cannot read (a month called ``Foo``, 30 February, ``n/a`` in a
column to sum) is an error naming its row, never a silent blank. Dates and timestamps are
read by nbreport's own readers (Python's ``strptime`` rules, ambiguity refused) on the
distinct values, and joined back as a small lookup table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

from nbreport.core.errors import DataError
from nbreport.sources import transform_sql as q
from nbreport.sources.spec import SourceSpec
from nbreport.sources.transform_spec import (
    Aggregate,
    DateOfTimestamp,
    DateParts,
    Dedupe,
    Join,
    PivotEvents,
    TransformStep,
)



class Pipeline(Protocol):
    """What a step needs of the pipeline running it (:mod:`nbreport.sources.transform`)."""

    spec: SourceSpec
    columns: list[str]
    current: str

    def need(self, number: int, step: str, columns: Sequence[str]) -> None: ...
    def first_row(self, condition: str, column: str) -> tuple[int, str] | None: ...
    def fetch(self, sql: str) -> list[tuple[Any, ...]]: ...
    def distinct_text(self, column: str) -> pa.Array: ...
    def register(self, name: str, table: pa.Table) -> None: ...
    def warn_if_mangled(self, column: str) -> None: ...
    def joined(self, number: int, name: str) -> tuple[pa.Table, list[str]]: ...
    def error(self, message: str, *, row: int | None = None, column: str | None = None) -> DataError: ...

_YEAR_IN_NAME = re.compile(r"(?<!\d)(19\d{2}|20\d{2}|21\d{2})(?!\d)")


class StepCompiler:
    """Turns each step into SQL over the pipeline's current relation."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.p = pipeline
        self.decimal = pipeline.spec.decimal

    def compile(self, number: int, step: TransformStep) -> tuple[str, list[str]]:
        self.number, self.name = number, step.name
        handler = getattr(self, f"_{step.name}")
        return handler(step.body)

    # --- row selection ------------------------------------------------------------------
    def _filter(self, body: dict[str, Any]) -> tuple[str, list[str]]:
        self._need(body)
        condition = " AND ".join(q.matches(column, values) for column, values in body.items())
        return q.select_where(self.p.current, condition), self.p.columns

    def _exclude(self, body: dict[str, Any]) -> tuple[str, list[str]]:
        self._need(body)
        condition = " AND ".join(f"NOT {q.matches(column, values)}" for column, values in body.items())
        return q.select_where(self.p.current, condition), self.p.columns

    def _where(self, body: str) -> tuple[str, list[str]]:
        return q.select_where(self.p.current, f"coalesce(({body}), false)"), self.p.columns

    def _dedupe(self, body: str | Dedupe) -> tuple[str, list[str]]:
        if isinstance(body, Dedupe):
            self._need(body.key)
            for column in body.key:
                self.p.warn_if_mangled(column)
            return q.dedupe_key(self.p.current, body.key, body.keep), self.p.columns
        return q.dedupe_all(self.p.current, self.p.columns), self.p.columns

    # --- values ---------------------------------------------------------------------------
    def _map(self, body: dict[str, dict[str, Any]]) -> tuple[str, list[str]]:
        self._need(body)
        expressions = {column: q.recode(column, table) for column, table in body.items()}
        return q.select_replacing(self.p.current, self.p.columns, expressions), self.p.columns

    def _derive(self, body: dict[str, str]) -> tuple[str, list[str]]:
        expressions = {column: f"({expression})" for column, expression in body.items()}
        return q.select_replacing(self.p.current, self.p.columns, expressions), self._with(body)

    def _date_parts(self, body: DateParts) -> tuple[str, list[str]]:
        parts = [c for c in (body.month, body.day, body.week) if c]
        year = self._year(body)
        self._need(parts + ([body.year] if isinstance(body.year, str) and body.year != "file_name" else []))
        if body.week is not None:
            day = q.monday_of_week(year, q.integer(body.week))
        else:
            day_number = q.integer(body.day) if body.day else "1"
            day = q.day_of(year, q.month_number(str(body.month)), day_number)
        written = " OR ".join(f"{q.text(c)} <> ''" for c in parts)
        found = self.p.first_row(f"({written}) AND {day} IS NULL", parts[0])
        if found:
            values = ", ".join(f"{c} '{v}'" for c, v in zip(parts, self._values_at(found[0], parts)))
            raise self.p.error(f"{self._here()}: no such date ({values}, year {self._year_shown(body)}); "
                               "check the row, or the year and month columns", row=found[0], column=parts[0])
        expression = f"CASE WHEN {written} THEN {q.iso_text(day)} END"
        return q.select_replacing(self.p.current, self.p.columns, {body.into: expression}), self._with([body.into])

    def _date(self, body: DateOfTimestamp) -> tuple[str, list[str]]:
        from nbreport.sources.dates import parse_dates

        self._need([body.from_])
        formats = [body.format] if isinstance(body.format, str) else body.format
        key = q.text(body.from_, "s")
        lookup_table = self._days_by_written_day(body.from_, formats)
        if lookup_table is not None:
            key = _cut_time(key)
        else:  # every distinct value read: an error then names the value and its row
            values = self.p.distinct_text(body.from_)
            days = self._read_values(body.from_, values, lambda v: parse_dates(v, formats).values)
            lookup_table = pa.table({"value": values, "day": pc.strftime(days, format="%Y-%m-%d")})
        lookup = f"dates_{self.number}"
        self.p.register(lookup, lookup_table)
        replaced = [c for c in self.p.columns if c.lower() == body.into.lower()]  # SQL ignores case
        excluded = f" EXCLUDE ({', '.join(q.ident(c) for c in replaced)})" if replaced else ""
        sql = f"SELECT s.*{excluded}, d.day AS {q.ident(body.into)} "
        return (sql + f"FROM {self.p.current} AS s JOIN {lookup} AS d ON {key} = d.value"), \
            self._with([body.into])

    def _days_by_written_day(self, column: str, formats: list[str] | None) -> pa.Table | None:
        """The day (ISO text) of each date part written in ``column``, its time of day and zone
        cut off: a million distinct timestamps hold a few hundred days, each read once. A format
        without a time reads a value that has one exactly so (:func:`~nbreport.sources.dates.read_days`).
        None whenever that could differ from reading every value (a format with a time or an
        epoch; a cut that leaves nothing, spaces or more to cut; a day not read): the full
        reading then decides, and its error names the value and its row."""
        from nbreport.sources.date_values import EPOCH_FORMATS, DateProblem
        from nbreport.sources.dates import TIME_SUFFIX, parse_dates
        from nbreport.sources.strptime import has_time

        if formats and any(fmt in EPOCH_FORMATS or has_time(fmt) for fmt in formats):
            return None
        found = self.p.fetch(f"SELECT {_cut_time(q.text(column))} AS day, bool_or({q.text(column)} <> '') "
                             f"FROM {self.p.current} GROUP BY 1")
        written = pa.array([str(day) for day, _ in found], pa.string())
        emptied = pa.array([day == "" and had_text for day, had_text in found], pa.bool_())
        unsure = pc.or_(emptied, pc.or_(
            pc.not_equal(pc.utf8_trim_whitespace(written), written),
            pc.not_equal(pc.replace_substring_regex(written, TIME_SUFFIX.pattern, ""), written)))
        if pc.any(unsure).as_py():
            return None
        try:
            days = parse_dates(written, formats).values
        except DateProblem:
            return None
        if pc.any(pc.and_(pc.is_null(days), pc.not_equal(written, ""))).as_py():
            return None
        return pa.table({"value": written, "day": pc.strftime(days, format="%Y-%m-%d")})

    # --- reshaping ----------------------------------------------------------------------
    def _aggregate(self, body: Aggregate) -> tuple[str, list[str]]:
        inputs = [column for measures in body.measures().values() for column in measures.values()]
        self._need(body.by + inputs)
        measures: dict[str, str] = {}
        for function, outputs in body.measures().items():
            for output, column in outputs.items():
                if function == "count_distinct":
                    self.p.warn_if_mangled(column)
                numeric = function in ("min", "max") and self._numeric(column)  # only they use it
                if function == "sum" or numeric:
                    self._check_numbers(column)
                measures[output] = q.measure(function, column, self.decimal, numeric)
        columns = list(body.by) + list(measures)
        return q.aggregate(self.p.current, body.by, measures), columns

    def _pivot_events(self, body: PivotEvents) -> tuple[str, list[str]]:
        from nbreport.sources.dates import parse_timestamps

        self._need([body.case, body.at, body.event, *body.keep.values()])
        blank = self.p.first_row(f"{q.text(body.case)} = ''", body.case)
        if blank:
            raise self.p.error(f"{self._here()}: an event with no '{body.case}', so it belongs to no "
                               "case; fill it in or drop such rows first (exclude: {"
                               f"{body.case}: ''}})", row=blank[0], column=body.case)
        self.p.warn_if_mangled(body.case)
        formats = [body.format] if isinstance(body.format, str) else body.format
        values = self.p.distinct_text(body.at)
        instants = self._read_values(body.at, values, lambda v: parse_timestamps(v, self.p.spec.timezone, formats))
        iso = pc.strftime(instants, format="%Y-%m-%dT%H:%M:%SZ")
        lookup = f"times_{self.number}"
        self.p.register(lookup, pa.table({"value": values, "instant": instants, "iso": iso}))
        case, at = q.text(body.case), "t.instant"
        outputs = {body.case: case, "events": "CAST(count(*) AS DOUBLE)"}
        for output, names in body.first.items():
            outputs[output] = f"arg_min(t.iso, {at}) FILTER (WHERE {q.event_in(body.event, names)})"
        for output, names in body.last.items():
            outputs[output] = f"arg_max(t.iso, {at}) FILTER (WHERE {q.event_in(body.event, names)})"
        if body.status:
            outputs[body.status] = f"arg_max({q.text(body.event)}, {at})"
        for output, column in body.keep.items():
            outputs[output] = f"arg_min({q.text(column)}, {at})"
        selected = ", ".join(f"{expr} AS {q.ident(name)}" for name, expr in outputs.items())
        sql = (f"SELECT {selected}, min(s.{q.ROW}) AS {q.ROW} FROM {self.p.current} AS s "
               f"LEFT JOIN {lookup} AS t ON {q.text(body.at, 's')} = t.value GROUP BY {case}")
        return sql, list(outputs)

    def _join(self, body: Join) -> tuple[str, list[str]]:
        mine, theirs = body.keys()
        self._need([mine])
        table, their_columns = self.p.joined(self.number, body.source)
        added = self._joined_columns(body, theirs, their_columns)
        right = f"joined_{self.number}"
        self.p.register(right, table)
        duplicate = self.p.fetch(f"SELECT {q.text(theirs)}, count(*) FROM {right} GROUP BY 1 "
                                 "HAVING count(*) > 1 ORDER BY 2 DESC LIMIT 1")
        if duplicate:
            raise self.p.error(f"{self._here()}: source '{body.source}' has {duplicate[0][1]} rows with "
                               f"{theirs} '{duplicate[0][0]}'; a join needs one row per key (add a "
                               "dedupe step to that source)", column=theirs)
        self.p.warn_if_mangled(mine)
        text_columns = [name for name in their_columns if pa.types.is_string(table.schema.field(name).type)]
        sql = q.join(self.p.current, right, (mine, theirs), added, body.how, text_columns)
        return sql, self.p.columns + list(added)

    def _joined_columns(self, body: Join, theirs: str, columns: list[str]) -> dict[str, str]:
        if theirs not in columns:
            raise self.p.error(f"{self._here()}: source '{body.source}' has no column '{theirs}' "
                               f"(its columns: {', '.join(columns)})", column=theirs)
        if body.columns is None:
            wanted = {c: c for c in columns if c != theirs}
        elif isinstance(body.columns, list):
            wanted = {c: c for c in body.columns}
        else:
            wanted = dict(body.columns)
        missing = [c for c in wanted.values() if c not in columns]
        if missing:
            raise self.p.error(f"{self._here()}: source '{body.source}' has no column '{missing[0]}' "
                               f"(its columns: {', '.join(columns)})", column=missing[0])
        mine = {column.lower() for column in self.p.columns}
        clash = [name for name in wanted if name.lower() in mine]
        if clash:
            raise self.p.error(f"{self._here()}: both sources have a column '{clash[0]}'; name the "
                               f"joined one, e.g. columns: {{{clash[0]}_{body.source}: {wanted[clash[0]]}}}",
                               column=clash[0])
        return wanted

    # --- helpers --------------------------------------------------------------------------
    def _need(self, columns: Any) -> None:
        self.p.need(self.number, self.name, list(columns))

    def _with(self, added: Any) -> list[str]:
        """The columns after a step that adds ``added`` (one named like an existing column but
        for case takes its place: SQL names ignore case)."""
        return q.after_adding(self.p.columns, list(added))

    def _here(self) -> str:
        return f"transform step {self.number} ({self.name})"

    def _year(self, body: DateParts) -> str:
        if isinstance(body.year, int):
            return str(body.year)
        if body.year == "file_name":
            return str(self._year_in_file_name())
        return q.integer(body.year)

    def _year_shown(self, body: DateParts) -> str:
        return str(self._year_in_file_name()) if body.year == "file_name" else str(body.year)

    def _year_in_file_name(self) -> int:
        name = PurePath(self.p.spec.path or "").name
        years = sorted(set(_YEAR_IN_NAME.findall(name)))
        if len(years) != 1:
            found = f"it holds {', '.join(years)}" if years else "it holds none"
            raise self.p.error(f"{self._here()}: year: file_name needs one four-digit year in the file's "
                               f"name ({found}); write the year itself instead (year: 2020)")
        return int(years[0])

    def _values_at(self, row: int, columns: list[str]) -> list[str]:
        selected = ", ".join(q.text(c) for c in columns)
        found = self.p.fetch(f"SELECT {selected} FROM {self.p.current} WHERE {q.ROW} = {row} LIMIT 1")
        return [str(v) for v in found[0]] if found else [""] * len(columns)

    def _numeric(self, column: str) -> bool:
        """Whether every written value of a column reads as a number."""
        if column == "*":
            return False
        found = self.p.fetch(f"SELECT bool_and({q.number(column, self.decimal)} IS NOT NULL) "
                             f"FILTER (WHERE {q.text(column)} <> '') FROM {self.p.current}")
        return bool(found and found[0][0])

    def _check_numbers(self, column: str) -> None:
        found = self.p.first_row(q.unreadable_number(column, self.decimal), column)
        if found:
            raise self.p.error(f"{self._here()}: '{found[1]}' is not a number; fix the export, or leave "
                               "such rows out first (an exclude or where step)", row=found[0], column=column)

    def _read_values(self, column: str, values: pa.Array, read: Any) -> pa.Array:
        """``read`` over the distinct values; its error names the first row holding the bad one."""
        from nbreport.sources.date_values import DateProblem

        try:
            return read(values)
        except DateProblem as exc:
            row = None
            if exc.position is not None:
                bad = str(values[exc.position].as_py())
                found = self.p.first_row(f"{q.text(column)} = {q.literal(bad)}", column)
                row = found[0] if found else None
            raise self.p.error(f"{self._here()}: {exc}", row=row, column=column) from None




def _cut_time(text: str) -> str:
    """SQL: a value (as text) without the time of day and zone after its date (the same RE2
    expression :func:`~nbreport.sources.dates.read_days` cuts with)."""
    from nbreport.sources.dates import TIME_SUFFIX

    return f"regexp_replace({text}, {q.literal(TIME_SUFFIX.pattern)}, '')"
