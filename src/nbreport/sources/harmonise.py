"""Map a raw export onto the canonical model and convert its types.

Steps, in order: merge the preset with the source's own mapping; find each
canonical column's export column (renames, header patterns); drop the rows the
mapping says are not data (total rows, extra line items); keep the client's rows
(tenant filter); drop rows with blanks where the params say so; convert every
column to its canonical type (dates only in a declared or unambiguous format,
numbers with thousands separators, recoded values); derive times from durations;
scale (micros). Every value that cannot be converted is an error naming the row
and column, what was found and how to fix it. All conversions are vectorised in
Arrow; dates are parsed once per distinct value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from nbreport.core.errors import DataError
from nbreport.sources.canonical import Column, columns_of
from nbreport.sources.dates import DateProblem, human, parse_dates, parse_timestamps
from nbreport.sources.presets import PRESETS
from nbreport.sources.reading import RawTable
from nbreport.sources.spec import BlankRule, SourceSpec

REGEX_PREFIX = "re:"
_NUMBER = {
    ".": (r"^[+-]?(\d{1,3}(,\d{3})+|\d*)(\.\d*)?([eE][+-]?\d+)?$", ",", "."),
    ",": (r"^[+-]?(\d{1,3}(\.\d{3})+|\d*)(,\d*)?([eE][+-]?\d+)?$", ".", ","),
}


@dataclass
class Harmonised:
    """A source in canonical form, with what happened on the way."""

    table: pa.Table  # canonical columns and ``source``; to_pandas() once per kind, in the loader
    rows: np.ndarray  # each canonical row's row number in the export
    dropped: list[tuple[int, str]] = field(default_factory=list)  # (rows, why)
    notes: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> export column
    extra: dict[str, pd.Series] = field(default_factory=dict)  # export columns of unique_key
    raw_columns: list[str] = field(default_factory=list)
    filled: list[tuple[int, str]] = field(default_factory=list)  # (rows, what) blanks defaulted
    defaulted: dict[str, np.ndarray] = field(default_factory=dict)  # text column -> rows given its
    # default (a blank or missing channel shown as "Unknown"), told in the report


@dataclass
class _Mapping:
    """The preset merged with the source's own mapping (the source's entries win)."""

    rename: list[tuple[str, tuple[str, ...], bool]]  # (export name or re:, targets, from preset)
    date_format: list[str] | None
    year: int | None  # the year of dates whose format has none
    scale: dict[str, float]
    constants: dict[str, str]
    preset_constants: dict[str, str]
    values: dict[str, dict[str, str]]
    filter: dict[str, str | list[str]]
    drop: list[tuple[str, str, bool]]  # (export column, pattern, from preset)
    if_blank: dict[str, BlankRule]
    null_values: tuple[str, ...]
    minutes_after: dict[str, tuple[str, str]]
    unique_key: tuple[str, ...] | None


def effective_mapping(spec: SourceSpec) -> _Mapping:
    own = spec.mapping
    preset = PRESETS[spec.preset] if spec.preset else None
    rename = [(key, _targets(value), False) for key, value in own.rename.items()]
    values: dict[str, dict[str, str]] = {}
    for source in ([preset.values] if preset else []) + [own.values]:
        for column, table in source.items():
            values.setdefault(column, {}).update({_fold(k): str(v) for k, v in table.items()})
    date_format = own.date_format or (preset.date_format if preset else None)
    if preset:
        rename += [(key, _targets(value), True) for key, value in preset.rename.items()]
    unique_key = tuple(spec.unique_key) if spec.unique_key else (preset.unique_key if preset else None)
    return _Mapping(
        rename=rename,
        date_format=[date_format] if isinstance(date_format, str) else
        (list(date_format) if date_format else None),
        year=own.year,
        scale={**(preset.scale if preset else {}), **own.scale},
        constants={k: str(v) for k, v in own.constants.items()},
        preset_constants=dict(preset.constants) if preset else {},
        values=values,
        filter=dict(own.filter),
        drop=[(c, p, False) for c, p in own.drop.items()]
        + ([(c, p, True) for c, p in preset.drop.items()] if preset else []),
        if_blank={**(preset.if_blank if preset else {}), **own.if_blank},  # type: ignore[dict-item]
        null_values=preset.null_values if preset else (),
        minutes_after=dict(preset.minutes_after) if preset else {},
        unique_key=unique_key,
    )


def _targets(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _fold(text: str) -> str:
    return str(text).strip().casefold()


def harmonise(raw: RawTable, spec: SourceSpec) -> Harmonised:
    """The canonical table of one source, with dropped-row counts and notes."""
    return _Harmoniser(raw, spec).run()


class _Harmoniser:
    def __init__(self, raw: RawTable, spec: SourceSpec) -> None:
        names = [str(name).strip() for name in raw.table.column_names]
        self.raw = RawTable(raw.table.rename_columns(names), raw.rows, raw.dropped)
        self.spec = spec
        self.mapping = effective_mapping(spec)
        self.columns = columns_of(spec.kind)
        self.dropped: list[tuple[int, str]] = []
        if raw.dropped and spec.shared:  # their text may be other clients' (e.g. a grand total)
            self.dropped.append((len(raw.dropped), "lines that are no data rows"))
        elif raw.dropped:
            shown = "; ".join(f"'{line}'" for line in raw.dropped[:3])
            self.dropped.append((len(raw.dropped), f"lines that are no data rows, such as {shown}"))
        self.notes: list[str] = []
        self.filled: list[tuple[int, str]] = []  # (rows, what) blanks given the column's default
        self.defaulted: dict[str, np.ndarray] = {}  # text column -> rows given its default

    # --- orchestration ------------------------------------------------------------------
    def run(self) -> Harmonised:
        chosen, captured = self._resolve_columns()
        self._tenant_filter()  # first: nothing below may read, or quote, another client's rows
        self._drop_rows()
        constants = {**self.mapping.preset_constants, **captured}
        constants = {k: v for k, v in constants.items() if k not in chosen}
        constants.update(self.mapping.constants)
        chosen = {k: v for k, v in chosen.items() if k not in self.mapping.constants}
        self._check_required(chosen, constants)
        self._drop_blank_rows(chosen)
        converted = {column.name: self._column(column, chosen, constants) for column in self.columns}
        self._derive_minutes_after(converted)
        self._scale(converted)
        converted["source"] = _repeat(self.spec.name, len(self.raw))
        table = pa.table(converted)
        names = self.raw.table.column_names
        extra = {name: pd.Series(self._text(name).to_pylist(), dtype=object)
                 for name in self.mapping.unique_key or () if name in names and name not in converted}
        return Harmonised(table, self.raw.rows, self.dropped, self.notes, chosen, extra, names,
                          self.filled, self.defaulted)

    # --- columns ------------------------------------------------------------------------
    def _resolve_columns(self) -> tuple[dict[str, str], dict[str, str]]:
        """canonical column -> export column, and values captured from header names."""
        names = self.raw.table.column_names
        chosen: dict[str, str] = {}
        captured: dict[str, str] = {}
        used_by_source: set[str] = set()
        for key, targets, from_preset in self.mapping.rename:
            name, match = self._find(key, names)
            if name is None or (from_preset and name in used_by_source):
                continue
            for target in targets:
                if target in chosen:
                    if from_preset:
                        continue
                    raise self._error(f"mapping.rename maps both '{chosen[target]}' and '{name}' "
                                      f"to {target}; keep one")
                chosen[target] = name
            if not from_preset:
                used_by_source.add(name)
            if match is not None and "currency" in match.groupdict():
                captured["currency"] = match["currency"]
        for column in self.columns:
            if column.name not in chosen and column.name in names and column.name not in used_by_source:
                chosen[column.name] = column.name
        return chosen, captured

    @staticmethod
    def _find(key: str, names: list[str]) -> tuple[str | None, re.Match[str] | None]:
        if key.startswith(REGEX_PREFIX):
            pattern = re.compile(key[len(REGEX_PREFIX):])
            for name in names:
                match = pattern.fullmatch(name)
                if match:
                    return name, match
            return None, None
        return (key, None) if key in names else (None, None)

    def _check_required(self, chosen: dict[str, str], constants: dict[str, str]) -> None:
        missing = [c.name for c in self.columns
                   if c.required and c.name not in chosen and c.name not in constants]
        if not missing:
            return
        hint = "Map export columns with mapping.rename in the params file"
        if self.spec.preset:
            preset = PRESETS[self.spec.preset]
            sources_of = {name: [f"'{export}'" for export, canonical in preset.rename.items()
                                 if name in ((canonical,) if isinstance(canonical, str) else canonical)]
                          for name in missing}
            reads = [f"{name} from {' or '.join(exports)}" for name, exports in sources_of.items() if exports]
            hint = (f"The preset {preset.name} ({preset.tool}) reads {', '.join(reads) or 'other columns'}: "
                    "export the report again with those columns, or map renamed ones with mapping.rename")
            if preset.needs:
                hint += f"; {preset.needs}"
        raise self._error(
            f"missing required column{'s' * (len(missing) > 1)} {', '.join(missing)} for "
            f"{self.spec.kind} data; the file has: {', '.join(self.raw.table.column_names)}. {hint}")

    # --- rows ---------------------------------------------------------------------------
    def _drop(self, drop: np.ndarray, why: str) -> None:
        count = int(drop.sum())
        if count:
            self.dropped.append((count, why))
            self.raw = self.raw.filter(~drop)

    def _drop_rows(self) -> None:
        names = self.raw.table.column_names
        for column, pattern, from_preset in self.mapping.drop:
            if column not in names:
                if from_preset:
                    continue
                raise self._error(f"mapping.drop names column '{column}', which the file does not "
                                  f"have (columns: {', '.join(names)})")
            text = self._text(column)
            matches = _mask(pc.match_substring_regex(text, pattern))
            why = f"'{column}' is empty" if pattern == "^$" else f"'{column}' matches {pattern}"
            if from_preset:
                why += f" (not data in a {PRESETS[self.spec.preset].tool.split(' (')[0]} export)"  # type: ignore[index]
            self._drop(matches, why)

    def _tenant_filter(self) -> None:
        for column, accepted in self.mapping.filter.items():
            if column not in self.raw.table.column_names:
                raise self._error(
                    f"mapping.filter uses column '{column}', which the file does not have "
                    f"(columns: {', '.join(self.raw.table.column_names)})")
            values = [accepted] if isinstance(accepted, str) else accepted
            keep = _mask(pc.is_in(self._text(column), pa.array([str(v) for v in values])))
            self._drop(~keep, f"rows of other accounts: '{column}' is not {', '.join(map(str, values))} "
                              "(tenant filter)")

    def _drop_blank_rows(self, chosen: dict[str, str]) -> None:
        for name, rule in self.mapping.if_blank.items():
            if rule == "drop" and name in chosen:
                blank = _mask(pc.equal(self._text(chosen[name]), ""))
                self._drop(blank, f"no value in '{chosen[name]}' (mapping.if_blank: drop)")

    # --- values -------------------------------------------------------------------------
    def _text(self, export_name: str) -> pa.Array:
        """An export column as trimmed text, tool-specific null markers as blanks."""
        array = self.raw.table.column(export_name).combine_chunks()
        if not pa.types.is_string(array.type):
            array = pc.cast(array, pa.string())
        text = pc.utf8_trim_whitespace(array.fill_null(""))
        if self.mapping.null_values:
            text = pc.if_else(pc.is_in(text, pa.array(list(self.mapping.null_values))), "", text)
        return text

    def _column(self, column: Column, chosen: dict[str, str], constants: dict[str, str]) -> pa.Array:
        length = len(self.raw)
        if column.name in chosen:
            export_name = chosen[column.name]
            array = self.raw.table.column(export_name).combine_chunks()
        elif column.name in constants:
            export_name = f"{column.name} (constant)"
            array = _repeat(constants[column.name], length)
        else:
            if column.type == "str" and column.default:  # no such column: every row defaulted
                self.defaulted[column.name] = np.ones(length, dtype=bool)
            return _default(column, length)
        if column.name in self.mapping.values:
            array = _recode(self._text(export_name) if column.name in chosen else array,
                            self.mapping.values[column.name])
        context = _ColumnContext(self, column, export_name)
        return context.convert(array)

    def _derive_minutes_after(self, converted: dict[str, pa.Array]) -> None:
        for target, (base, minutes_column) in self.mapping.minutes_after.items():
            if minutes_column not in self.raw.table.column_names:
                continue
            helper = Column(target, "float", non_negative=True)
            minutes = _ColumnContext(self, helper, minutes_column).convert(
                self.raw.table.column(minutes_column).combine_chunks())
            offsets = pc.cast(pc.multiply(minutes, 60e9), pa.int64()).cast(pa.duration("ns"))
            converted[target] = pc.if_else(pc.is_null(converted[target]),
                                           pc.add(converted[base], offsets), converted[target])

    def _scale(self, converted: dict[str, pa.Array]) -> None:
        for name, factor in self.mapping.scale.items():
            if name not in converted:
                raise self._error(f"mapping.scale names '{name}', which is not a {self.spec.kind} column")
            divisor = 1 / factor if 0 < factor < 1 else 0
            if divisor and abs(divisor - round(divisor)) < 1e-9:  # 0.000001: divide by 1e6, exactly
                converted[name] = pc.divide(converted[name], float(round(divisor)))
            else:
                converted[name] = pc.multiply(converted[name], factor)

    def _error(self, message: str, position: int | None = None, column: str | None = None) -> DataError:
        row = int(self.raw.rows[position]) if position is not None else None
        return DataError(message, source=self.spec.name, path=self.spec.location, row=row, column=column)


class _ColumnContext:
    """Converts one column, naming the export column (and the canonical one) in errors."""

    def __init__(self, owner: _Harmoniser, column: Column, export_name: str) -> None:
        self.owner = owner
        self.column = column
        self.export_name = export_name
        self.read_as = "" if export_name == column.name else f" (read as {column.name})"
        self.blank_rule: BlankRule = owner.mapping.if_blank.get(column.name, "error")

    def fail(self, message: str, position: int | None) -> DataError:
        return self.owner._error(message + self.read_as, position, self.export_name)

    def convert(self, array: pa.Array) -> pa.Array:
        kind = self.column.type
        if kind == "str":
            return self._strings(array)
        if kind == "date":
            return self._dates(array)
        if kind == "datetime":
            return self._timestamps(array)
        return self._numbers(array)

    def _text(self, array: pa.Array) -> pa.Array:
        if not pa.types.is_string(array.type):
            array = pc.cast(array, pa.string())
        text = pc.utf8_trim_whitespace(array.fill_null(""))
        nulls = self.owner.mapping.null_values
        return pc.if_else(pc.is_in(text, pa.array(list(nulls))), "", text) if nulls else text

    def _blank_check(self, blank: np.ndarray) -> None:
        if self.column.required and self.blank_rule == "error" and blank.any():
            position = int(np.flatnonzero(blank)[0])
            count = int(blank.sum())
            more = f" ({count} rows like this)" if count > 1 else ""
            raise self.fail(f"found an empty value, expected a value in every row{more}; fill it in, "
                            f"or say what a blank means with mapping.if_blank.{self.column.name} "
                            "(drop, zero or keep)", position)

    def _strings(self, array: pa.Array) -> pa.Array:
        text = self._text(array)
        blank = _mask(pc.equal(text, ""))
        self._blank_check(blank)
        if self.column.choices:
            unknown = ~_mask(pc.is_in(text, pa.array(list(self.column.choices)))) & ~blank
            if unknown.any():
                position = int(np.flatnonzero(unknown)[0])
                raise self.fail(
                    f"found '{text[position]}', expected one of {', '.join(self.column.choices)}; "
                    f"map the export's values with mapping.values.{self.column.name}", position)
        if self.column.default:
            self.owner.defaulted[self.column.name] = blank
            text = pc.if_else(pc.equal(text, ""), str(self.column.default), text)
        return text

    def _numbers(self, array: pa.Array) -> pa.Array:
        if pa.types.is_integer(array.type) or pa.types.is_floating(array.type) or pa.types.is_decimal(array.type):
            numbers = pc.cast(array, pa.float64())
            blank = _mask(pc.is_null(numbers))
        else:
            text = self._text(array)
            blank = _mask(pc.equal(text, ""))
            numbers = _plain_numbers(text, blank) if self.owner.spec.decimal == "." else None
            if numbers is None:  # thousands separators, a decimal comma, or something that is no number
                numbers = self._written_numbers(text, blank)
        self._blank_check(blank)
        self._check_range(numbers)
        fill = 0.0 if self.blank_rule == "zero" else self.column.default
        if isinstance(fill, (int, float)):
            if blank.any() and self.export_name in self.owner.raw.table.column_names:
                self.owner.filled.append((int(blank.sum()), f"blank '{self.export_name}' read as "
                                          f"{fill:g}{self.read_as}"))
            numbers = numbers.fill_null(float(fill))
        return numbers

    def _written_numbers(self, text: pa.Array, blank: np.ndarray) -> pa.Array:
        """Numbers as people write them (``1,234.5``, or ``1.234,5`` with ``decimal: ","``);
        anything else is an error naming the first row."""
        pattern, thousands, decimal = _NUMBER[self.owner.spec.decimal]
        valid = _mask(pc.and_(pc.match_substring_regex(text, pattern),
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
            fractional = _mask(pc.not_equal(pc.floor(numbers), numbers).fill_null(False))
            if fractional.any():
                position = int(np.flatnonzero(fractional)[0])
                raise self.fail(f"expected a whole number, found '{numbers[position]}'", position)
        if self.column.non_negative:
            negative = _mask(pc.less(numbers, 0).fill_null(False))
            if negative.any():
                position = int(np.flatnonzero(negative)[0])
                raise self.fail(
                    f"found {numbers[position]}: {self.column.name} cannot be negative "
                    f"({int(negative.sum())} rows); correct the export, or drop correction rows "
                    "with mapping.drop", position)

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
                result = parse_dates(self._text(array), self.owner.mapping.date_format,
                                     self.owner.mapping.year)
            except DateProblem as problem:
                raise self.fail(str(problem), problem.position) from None
            parsed = result.values
            if result.format_used and result.format_used != "%Y-%m-%d":
                self.owner.notes.append(f"'{self.export_name}' read as {human(result.format_used)}, "
                                        "the only date format that fits every value")
        self._blank_check(_mask(pc.is_null(parsed)))
        return pc.cast(parsed, pa.timestamp("ns"))

    def _timestamps(self, array: pa.Array) -> pa.Array:
        zone = self.owner.spec.timezone
        if pa.types.is_timestamp(array.type):
            series = pd.Series(array.to_pandas())
            if series.dt.tz is None:
                series = series.dt.tz_localize(zone or "UTC", ambiguous="NaT", nonexistent="shift_forward")
            values = pa.array(series.dt.tz_convert("UTC").dt.tz_localize(None), pa.timestamp("ns"))
        else:
            try:
                values = parse_timestamps(self._text(array), zone, self.owner.mapping.date_format,
                                          self.owner.mapping.year)
            except DateProblem as problem:
                raise self.fail(str(problem), problem.position) from None
        self._blank_check(_mask(pc.is_null(values)))
        return values


def _plain_numbers(text: pa.Array, blank: np.ndarray) -> pa.Array | None:
    """The fast path: a column of plain numbers (``1234.5``) converts in one cast; None otherwise."""
    if pc.any(pc.match_substring(text, ",")).as_py():
        return None
    try:
        return pc.cast(pc.if_else(pa.array(blank), None, text), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _mask(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(array.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _recode(text: pa.Array, table: dict[str, str]) -> pa.Array:
    """Replace export values by canonical ones (case and spaces ignored); others pass unchanged."""
    encoded = pc.dictionary_encode(text)
    words = [table.get(_fold(word), word) for word in encoded.dictionary.to_pylist()]
    return pc.take(pa.array(words, pa.string()), encoded.indices)


def _default(column: Column, length: int) -> pa.Array:
    if column.type in ("date", "datetime"):
        return pa.nulls(length, pa.timestamp("ns"))
    if column.type in ("int", "float"):
        value = np.nan if column.default is None else float(column.default)
        return pa.array(np.full(length, value, dtype="float64"))
    return _repeat(str(column.default or ""), length)


def _repeat(value: str, length: int) -> pa.Array:
    """One text value for every row, without building a Python list of millions of strings."""
    indices = pa.array(np.zeros(length, dtype="int32"))
    return pa.DictionaryArray.from_arrays(indices, pa.array([value], pa.string())).cast(pa.string())
