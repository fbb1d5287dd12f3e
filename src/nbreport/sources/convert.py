"""Convert one export column to its canonical type: text, numbers, dates or timestamps.

Every value that cannot be converted is an error naming the export row and column,
what was found and how to fix it. Conversions are vectorised in Arrow; dates are
parsed once per distinct value (:mod:`nbreport.sources.dates`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from nbreport.core.errors import DataError
from nbreport.i18n import _
from nbreport.sources.arrays import mask, trimmed_text
from nbreport.sources.canonical import Column
from nbreport.sources.dates import DateProblem, human, parse_dates, parse_timestamps
from nbreport.sources.mapping import EffectiveMapping
from nbreport.sources.spec import BlankRule, SourceSpec

WRITTEN_NUMBER = {  # decimal mark -> (pattern of a number as people write it, thousands mark, decimal mark)
    ".": (r"^[+-]?(\d{1,3}(,\d{3})+|\d*)(\.\d*)?([eE][+-]?\d+)?$", ",", "."),
    ",": (r"^[+-]?(\d{1,3}(\.\d{3})+|\d*)(,\d*)?([eE][+-]?\d+)?$", ".", ","),
}


@dataclass(frozen=True)
class SourceContext:
    """What converting a column needs to know of its source, once its rows are final."""

    spec: SourceSpec
    mapping: EffectiveMapping
    rows: np.ndarray  # each row's number in the export, for errors
    export_columns: tuple[str, ...]

    def error(self, message: str, position: int | None = None, column: str | None = None) -> DataError:
        """A :class:`DataError` naming the source, and the export row of ``position`` if given."""
        row = int(self.rows[position]) if position is not None else None
        return DataError(message, source=self.spec.name, path=self.spec.location, row=row, column=column)


@dataclass
class ConversionLog:
    """What converting the columns has to tell the report."""

    notes: list[str] = field(default_factory=list)  # e.g. the date format a column was read in
    filled: list[tuple[int, str]] = field(default_factory=list)  # (rows, what) blanks defaulted
    defaulted: dict[str, np.ndarray] = field(default_factory=dict)  # text column -> rows given its default


class ColumnConverter:
    """Converts one column, naming the export column (and the canonical one) in errors."""

    def __init__(self, source: SourceContext, log: ConversionLog, column: Column, export_name: str) -> None:
        self.source = source
        self.log = log
        self.column = column
        self.export_name = export_name
        self.read_as = "" if export_name == column.name else _(" (read as %(column)s)",
                                                                 column=column.name)
        self.blank_rule: BlankRule = source.mapping.if_blank.get(column.name, "error")

    def fail(self, message: str, position: int | None) -> DataError:
        return self.source.error(message + self.read_as, position, self.export_name)

    def convert(self, array: pa.Array) -> pa.Array:
        """``array`` (as read from the export) in the column's canonical type."""
        kind = self.column.type
        if kind == "str":
            return self._strings(array)
        if kind == "date":
            return self._dates(array)
        if kind == "datetime":
            return self._timestamps(array)
        return self._numbers(array)

    def _text(self, array: pa.Array) -> pa.Array:
        return trimmed_text(array, self.source.mapping.null_values)

    def _blank_check(self, blank: np.ndarray) -> None:
        if self.column.required and self.blank_rule == "error" and blank.any():
            position = int(np.flatnonzero(blank)[0])
            count = int(blank.sum())
            more = f" ({count} rows like this)" if count > 1 else ""
            raise self.fail(f"found an empty value, expected a value in every row{more}; fill it in, "
                            f"or say what a blank means with mapping.if_blank.{self.column.name} "
                            "(drop, zero or keep)", position)

    # --- text ---------------------------------------------------------------------------
    def _strings(self, array: pa.Array) -> pa.Array:
        text = self._text(array)
        blank = mask(pc.equal(text, ""))
        self._blank_check(blank)
        if self.column.choices:
            unknown = ~mask(pc.is_in(text, pa.array(list(self.column.choices)))) & ~blank
            if unknown.any():
                position = int(np.flatnonzero(unknown)[0])
                raise self.fail(
                    f"found '{text[position]}', expected one of {', '.join(self.column.choices)}; "
                    f"map the export's values with mapping.values.{self.column.name}", position)
        if self.column.default:
            self.log.defaulted[self.column.name] = blank
            text = pc.if_else(pc.equal(text, ""), str(self.column.default), text)
        return text

    # --- numbers ------------------------------------------------------------------------
    def _numbers(self, array: pa.Array) -> pa.Array:
        if pa.types.is_integer(array.type) or pa.types.is_floating(array.type) or pa.types.is_decimal(array.type):
            numbers = pc.cast(array, pa.float64())
            blank = mask(pc.is_null(numbers))
        else:
            text = self._text(array)
            blank = mask(pc.equal(text, ""))
            numbers = plain_numbers(text, blank) if self.source.spec.decimal == "." else None
            if numbers is None:  # thousands separators, a decimal comma, or something that is no number
                numbers = self._written_numbers(text, blank)
        self._blank_check(blank)
        self._check_range(numbers)
        fill = 0.0 if self.blank_rule == "zero" else self.column.default
        if isinstance(fill, (int, float)):
            if blank.any() and self.export_name in self.source.export_columns:
                self.log.filled.append((int(blank.sum()), _(
                    "blank '%(column)s' read as %(fill)s%(read_as)s", column=self.export_name,
                    fill=format(fill, "g"), read_as=self.read_as)))
            numbers = numbers.fill_null(float(fill))
        return numbers

    def _written_numbers(self, text: pa.Array, blank: np.ndarray) -> pa.Array:
        """Numbers as people write them (``1,234.5``, or ``1.234,5`` with ``decimal: ","``);
        anything else is an error naming the first row."""
        pattern, thousands, decimal = WRITTEN_NUMBER[self.source.spec.decimal]
        valid = mask(pc.and_(pc.match_substring_regex(text, pattern),
                             pc.match_substring_regex(text, r"\d")))
        bad = ~valid & ~blank
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            count = int(bad.sum())
            more = f" ({count} rows like this)" if count > 1 else ""
            example = "1,234.5" if decimal == "." else "1.234,5"
            raise self.fail(f"found '{text[position]}', expected a number such as {example}{more}"
                            + ("; for numbers written 1.234,5 set decimal: ',' on the source"
                               if decimal == "." and "," in str(text[position]) else ""),
                            position)
        cleaned = pc.replace_substring(text, thousands, "")
        if decimal == ",":
            cleaned = pc.replace_substring(cleaned, ",", ".")
        return pc.cast(pc.if_else(pa.array(blank), None, cleaned), pa.float64())

    def _check_range(self, numbers: pa.Array) -> None:
        if self.column.type == "int":
            fractional = mask(pc.not_equal(pc.floor(numbers), numbers).fill_null(False))
            if fractional.any():
                position = int(np.flatnonzero(fractional)[0])
                raise self.fail(f"expected a whole number, found '{numbers[position]}'", position)
        if self.column.non_negative:
            negative = mask(pc.less(numbers, 0).fill_null(False))
            if negative.any():
                position = int(np.flatnonzero(negative)[0])
                raise self.fail(
                    f"found {numbers[position]}: {self.column.name} cannot be negative "
                    f"({int(negative.sum())} rows); correct the export, or drop correction rows "
                    "with mapping.drop", position)

    # --- dates and times ----------------------------------------------------------------
    def _dates(self, array: pa.Array) -> pa.Array:
        if pa.types.is_timestamp(array.type):
            series = pd.Series(array.to_pandas())
            if series.dt.tz is not None:  # the day as written where the time was recorded
                series = series.dt.tz_localize(None)
            parsed = pa.array(series.dt.normalize(), pa.timestamp("ns"))
        elif pa.types.is_date(array.type):
            parsed = pc.cast(array, pa.timestamp("s"))
        else:
            try:
                result = parse_dates(self._text(array), self.source.mapping.date_format,
                                     self.source.mapping.year)
            except DateProblem as problem:
                raise self.fail(str(problem), problem.position) from None
            parsed = result.values
            if result.format_used and result.format_used != "%Y-%m-%d":
                self.log.notes.append(f"'{self.export_name}' read as {human(result.format_used)}, "
                                      "the only date format that fits every value")
        self._blank_check(mask(pc.is_null(parsed)))
        return pc.cast(parsed, pa.timestamp("ns"))

    def _timestamps(self, array: pa.Array) -> pa.Array:
        zone = self.source.spec.timezone
        if pa.types.is_timestamp(array.type):
            series = pd.Series(array.to_pandas())
            if series.dt.tz is None:
                series = series.dt.tz_localize(zone or "UTC", ambiguous="NaT", nonexistent="shift_forward")
            values = pa.array(series.dt.tz_convert("UTC").dt.tz_localize(None), pa.timestamp("ns"))
        else:
            try:
                values = parse_timestamps(self._text(array), zone, self.source.mapping.date_format,
                                          self.source.mapping.year)
            except DateProblem as problem:
                raise self.fail(str(problem), problem.position) from None
        self._blank_check(mask(pc.is_null(values)))
        return values


def plain_numbers(text: pa.Array, blank: np.ndarray) -> pa.Array | None:
    """The fast path: a column of plain numbers (``1234.5``) converts in one cast; None otherwise."""
    if pc.any(pc.match_substring(text, ",")).as_py():
        return None
    try:
        return pc.cast(pc.if_else(pa.array(blank), None, text), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
