"""Map a raw export onto the canonical model and convert its types.

Steps, in order: merge the preset with the source's own mapping
(:mod:`nbreport.sources.mapping`); find each canonical column's export column
(renames, header patterns); keep the client's rows (tenant filter); drop the rows
the mapping says are not data (total rows, extra line items); drop rows with blanks
where the params say so; convert every column to its canonical type
(:mod:`nbreport.sources.convert`: dates only in a declared or unambiguous format,
numbers with thousands separators, recoded values); derive times from durations;
scale (micros). Every value that cannot be converted is an error naming the row
and column, what was found and how to fix it. All conversions are vectorised in
Arrow; dates are parsed once per distinct value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from nbreport.core.errors import DataError
from nbreport.sources.arrays import mask, repeat, trimmed_text
from nbreport.sources.canonical import Column, columns_of
from nbreport.sources.convert import ColumnConverter, ConversionLog, SourceContext
from nbreport.sources.export_columns import check_required, find_export_columns
from nbreport.sources.mapping import effective_mapping, fold
from nbreport.sources.presets import PRESETS
from nbreport.sources.reading import RawTable
from nbreport.sources.spec import SourceSpec

__all__ = ["Harmonised", "harmonise"]


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


def harmonise(raw: RawTable, spec: SourceSpec, *, tenant_filtered: bool = False) -> Harmonised:
    """The canonical table of one source, with dropped-row counts and notes; ``tenant_filtered``
    when the transform steps already kept only the client's rows of a shared export."""
    return _Harmoniser(raw, spec, tenant_filtered).run()


class _Harmoniser:
    def __init__(self, raw: RawTable, spec: SourceSpec, tenant_filtered: bool = False) -> None:
        self.tenant_filtered = tenant_filtered
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
        self.log = ConversionLog()

    # --- orchestration ------------------------------------------------------------------
    def run(self) -> Harmonised:
        names = self.raw.table.column_names
        chosen, captured = find_export_columns(self.spec, self.mapping, names, self.columns)
        self._tenant_filter()  # first: nothing below may read, or quote, another client's rows
        self._drop_rows()
        constants = self._constants(chosen, captured)
        chosen = {k: v for k, v in chosen.items() if k not in self.mapping.constants}
        check_required(self.spec, self.columns, names, chosen, constants)
        self._drop_blank_rows(chosen)
        source = SourceContext(self.spec, self.mapping, self.raw.rows, tuple(self.raw.table.column_names))
        converted = {column.name: self._column(source, column, chosen, constants) for column in self.columns}
        self._derive_minutes_after(source, converted)
        self._scale(converted)
        converted["source"] = repeat(self.spec.name, len(self.raw))
        return Harmonised(pa.table(converted), self.raw.rows, self.dropped, self.log.notes, chosen,
                          self._extra_columns(converted), names, self.log.filled, self.log.defaulted)

    def _constants(self, chosen: dict[str, str], captured: dict[str, str]) -> dict[str, str]:
        """Canonical column -> value for every row: the params' constants, then what the
        header names said (a currency), then the preset's, for columns the export lacks."""
        constants = {**self.mapping.preset_constants, **captured}
        constants = {k: v for k, v in constants.items() if k not in chosen}
        constants.update(self.mapping.constants)
        return constants

    def _extra_columns(self, converted: dict[str, pa.Array]) -> dict[str, pd.Series]:
        """The export columns of ``unique_key`` that are no canonical column, for the duplicate check."""
        names = self.raw.table.column_names
        return {name: pd.Series(self._text(name).to_pylist(), dtype=object)
                for name in self.mapping.unique_key or () if name in names and name not in converted}

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
            matches = mask(pc.match_substring_regex(text, pattern))
            why = f"'{column}' is empty" if pattern == "^$" else f"'{column}' matches {pattern}"
            if from_preset:
                why += f" (not data in a {PRESETS[self.spec.preset].tool.split(' (')[0]} export)"  # type: ignore[index]
            self._drop(matches, why)

    def _tenant_filter(self) -> None:
        if self.tenant_filtered:
            return
        for column, accepted in self.mapping.filter.items():
            if column not in self.raw.table.column_names:
                raise self._error(
                    f"mapping.filter uses column '{column}', which the file does not have "
                    f"(columns: {', '.join(self.raw.table.column_names)})")
            values = [accepted] if isinstance(accepted, str) else accepted
            keep = mask(pc.is_in(self._text(column), pa.array([str(v) for v in values])))
            self._drop(~keep, f"rows of other accounts: '{column}' is not {', '.join(map(str, values))} "
                              "(tenant filter)")

    def _drop_blank_rows(self, chosen: dict[str, str]) -> None:
        for name, rule in self.mapping.if_blank.items():
            if rule == "drop" and name in chosen:
                blank = mask(pc.equal(self._text(chosen[name]), ""))
                self._drop(blank, f"no value in '{chosen[name]}' (mapping.if_blank: drop)")

    # --- values -------------------------------------------------------------------------
    def _text(self, export_name: str) -> pa.Array:
        """An export column as trimmed text, tool-specific null markers as blanks."""
        return trimmed_text(self.raw.table.column(export_name).combine_chunks(), self.mapping.null_values)

    def _column(self, source: SourceContext, column: Column, chosen: dict[str, str],
                constants: dict[str, str]) -> pa.Array:
        length = len(self.raw)
        if column.name in chosen:
            export_name = chosen[column.name]
            array = self.raw.table.column(export_name).combine_chunks()
        elif column.name in constants:
            export_name = f"{column.name} (constant)"
            array = repeat(constants[column.name], length)
        else:
            if column.type == "str" and column.default:  # no such column: every row defaulted
                self.log.defaulted[column.name] = np.ones(length, dtype=bool)
            return _default(column, length)
        if column.name in self.mapping.values:
            array = _recode(self._text(export_name) if column.name in chosen else array,
                            self.mapping.values[column.name])
        return ColumnConverter(source, self.log, column, export_name).convert(array)

    def _derive_minutes_after(self, source: SourceContext, converted: dict[str, pa.Array]) -> None:
        """Fill a missing timestamp from another one plus a duration in minutes (a preset's rule)."""
        for target, (base, minutes_column) in self.mapping.minutes_after.items():
            if minutes_column not in self.raw.table.column_names:
                continue
            helper = Column(target, "float", non_negative=True)
            minutes = ColumnConverter(source, self.log, helper, minutes_column).convert(
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

    def _error(self, message: str) -> DataError:
        return DataError(message, source=self.spec.name, path=self.spec.location)


def _recode(text: pa.Array, table: dict[str, str]) -> pa.Array:
    """Replace export values by canonical ones (case and spaces ignored); others pass unchanged."""
    encoded = pc.dictionary_encode(text)
    words = [table.get(fold(word), word) for word in encoded.dictionary.to_pylist()]
    return pc.take(pa.array(words, pa.string()), encoded.indices)


def _default(column: Column, length: int) -> pa.Array:
    """A column the export does not have: its default in every row, or missing."""
    if column.type in ("date", "datetime"):
        return pa.nulls(length, pa.timestamp("ns"))
    if column.type in ("int", "float"):
        value = np.nan if column.default is None else float(column.default)
        return pa.array(np.full(length, value, dtype="float64"))
    return repeat(str(column.default or ""), length)
