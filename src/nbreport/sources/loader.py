"""Load every data source of one client, with provenance and data-quality warnings.

A client's files live under ``<data dir>/<client id>/``; a source path that
resolves anywhere else (``..``, a symlink out of the folder) is refused, so a
run for one client can only ever read that client's data. Every file a source
reads (an export, a DuckDB database) goes through :func:`resolve_source_path`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from nbreport.core.digests import file_sha256
from nbreport.core.errors import DataError
from nbreport.sources.canonical import CANONICAL
from nbreport.sources.checks import (
    DataWarning,
    check_currencies,
    check_source,
    defaulted_warnings,
    dropped_warnings,
    filled_warnings,
    gap_warnings,
    outlier_warnings,
)
from nbreport.sources.harmonise import harmonise
from nbreport.sources.mapping import effective_mapping
from nbreport.sources.reading import RawTable, read_raw
from nbreport.sources.spec import SourceSpec
from nbreport.sources.transform import Transformed, apply_transforms, mangled_id_notes, needs_transform

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Provenance:
    """Where one source's numbers came from, for the report's appendix and the manifest.

    ``path`` is the file relative to the client's data folder, or ``query on <database>``
    (never an absolute path, never a secret); ``query`` holds the SQL text of a query.
    """

    source: str
    kind: str
    path: str
    rows_read: int
    rows_used: int
    first_date: str | None
    last_date: str | None
    read_at: str
    sha256: str | None
    notes: tuple[str, ...] = ()
    preset: str | None = None
    query: str | None = None
    read_seconds: float = 0.0
    warnings: tuple[DataWarning, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ClientData:
    """A client's data in the canonical model: one table per kind, plus provenance."""

    tables: dict[str, pd.DataFrame]
    provenance: list[Provenance] = field(default_factory=list)
    specs: list[SourceSpec] = field(default_factory=list)
    alternatives: dict[str, str] = field(default_factory=dict)  # set-aside source -> its truth

    def table(self, kind: str) -> pd.DataFrame:
        """All rows of one kind (every source of that kind together); empty if none."""
        if kind in self.tables:
            return self.tables[kind]
        return pd.DataFrame(columns=[c.name for c in CANONICAL[kind]] + ["source"])

    def has(self, kind: str) -> bool:
        return kind in self.tables and not self.tables[kind].empty

    @property
    def last_date(self) -> pd.Timestamp | None:
        dates = [pd.Timestamp(p.last_date) for p in self.provenance if p.last_date]
        return max(dates) if dates else None

    @property
    def warnings(self) -> list[DataWarning]:
        """Every load-time warning of every source."""
        return [warning for record in self.provenance for warning in record.warnings]

    def check_period(self, start: date, end: date,
                     spans: Mapping[str, tuple[date, date]] | None = None) -> list[DataWarning]:
        """Check the reported period ``start..end`` against each source.

        Raises :class:`DataError` for a source with no rows in the period (unless it
        says ``allow_empty``); returns the warnings: sources ending before the period
        does, and allowed empty ones. ``spans`` (source -> the first and last day its rows
        stand for) lets a source of monthly or weekly rows hold a period none of its dates
        falls in (a week inside a month): it is not empty, it has no value for that period.
        """
        warnings = []
        allow_empty = {spec.name: spec.allow_empty for spec in self.specs}
        spans = spans or {}
        for record in self.provenance:
            inside = self._rows_between(record, start, end)
            span = spans.get(record.source)
            if inside == 0 and span is not None and span[0] <= end and start <= span[1]:
                continue
            if inside == 0:
                span = (f"its dates run from {record.first_date} to {record.last_date}"
                        if record.first_date else "it has no dated rows")
                message = (f"no rows between {start} and {end}, the reported period; {span}. "
                           "Export the period again")
                if not allow_empty.get(record.source, False):
                    raise DataError(message + " (or set allow_empty: true for a source that may "
                                    "have nothing in a period)", source=record.source, path=record.path)
                warnings.append(DataWarning(record.source, "empty_period", message + ".",
                                            start.isoformat(), end.isoformat()))
            elif record.last_date and (span[1] if span else date.fromisoformat(record.last_date)) < end:
                warnings.append(DataWarning(
                    record.source, "freshness",
                    f"data ends on {record.last_date}, before the reported period ends ({end}): "
                    "the last days may be missing, not zero", record.last_date, end.isoformat()))
        return warnings

    def _rows_between(self, record: Provenance, start: date, end: date) -> int:
        table = self.table(record.kind)
        dates = table.loc[table["source"] == record.source, "date"]
        return int(((dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))).sum())


def client_data_dir(data_dir: Path, client_id: str) -> Path:
    return data_dir / client_id


SHARED_FOLDER = "_shared"  # agency-wide exports holding several clients' rows; never a client id


def resolve_source_path(spec: SourceSpec, client_dir: Path) -> Path:
    """The file of ``spec`` (export or DuckDB database) inside the client's folder, or inside the
    shared folder for a ``shared`` source; refuses anything that leaves that folder."""
    assert spec.file is not None
    folder = client_dir.parent / SHARED_FOLDER if spec.shared else client_dir
    root = folder.resolve()
    path = (folder / spec.file).resolve()
    if not path.is_relative_to(root):
        where = f"the shared data folder ({SHARED_FOLDER}/)" if spec.shared else \
            f"the client's data folder ({client_dir.name}/)"
        raise DataError(
            f"resolves outside {where}; a client may only read its own files and, through a "
            "tenant filter, shared exports (symlinks out of the folder are refused too)",
            source=spec.name, path=spec.file)
    return path


def load_sources(sources: list[SourceSpec], client_dir: Path, *,
                 currency: str | None = None, alternatives: dict[str, str] | None = None) -> ClientData:
    """Read, harmonise, check and combine every source; raises :class:`DataError` on the first bad one.

    ``currency`` is the client's currency: a source whose export says another one is refused.
    ``alternatives`` maps a source to the truth source it measures the same rows as (params
    ``overlaps``): its rows are loaded and checked, never summed.
    """
    data_sources = [spec for spec in sources if spec.is_data]
    loaded = [load_one(spec, client_dir, sources) for spec in data_sources]
    return combine_sources(loaded, currency=currency, alternatives=alternatives)


@dataclass
class LoadedSource:
    """One source in canonical form, with what its reading did (for ``nbreport preview``)."""

    spec: SourceSpec
    table: pa.Table
    record: Provenance
    transformed: Transformed | None = None
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> export column it read


def combine_sources(loaded: Sequence[LoadedSource], *, currency: str | None = None,
                    alternatives: dict[str, str] | None = None) -> ClientData:
    """The client's data: the loaded sources' tables, one per kind, after the currency check."""
    parts: dict[str, list[pa.Table]] = {}
    currencies: dict[str, tuple[str, set[str]]] = {}
    for source in loaded:
        parts.setdefault(source.spec.kind, []).append(source.table)
        if "currency" in source.table.column_names:
            held = set(pc.unique(source.table["currency"]).to_pylist()) - {""}
            currencies[source.spec.name] = (source.spec.location, held)
    check_currencies(currencies, currency)
    # one conversion per kind: Arrow tables concatenate without copying, pandas frames do not
    tables = {kind: pa.concat_tables(tables, promote_options="permissive").to_pandas()
              for kind, tables in parts.items()}
    return ClientData(tables, [source.record for source in loaded], [source.spec for source in loaded],
                      dict(alternatives or {}))


def load_source(spec: SourceSpec, client_dir: Path,
                sources: Sequence[SourceSpec] = ()) -> tuple[pd.DataFrame, Provenance]:
    """One source as a canonical frame, and where it came from; ``sources`` are the client's
    other sources, which a ``join`` step may read."""
    loaded = load_one(spec, client_dir, sources)
    return loaded.table.to_pandas(), loaded.record


def read_source(spec: SourceSpec, client_dir: Path, sources: Sequence[SourceSpec] = (), *,
                heads: int = 0) -> tuple[RawTable, str | None, Transformed | None]:
    """A source's export as read and, when it has transform steps or a query over its file,
    reshaped by them (the columns its mapping then reads), with the file's digest; ``heads``
    keeps that many first rows of each step (for ``nbreport preview``)."""
    raw, digest = _read(spec, client_dir)
    if not needs_transform(spec):
        return raw, digest, None
    by_name = {other.name: other for other in sources}
    transformed = apply_transforms(spec, raw, lambda other: _read(other, client_dir)[0], by_name,
                                   heads=heads)
    return transformed.raw, digest, transformed


def load_one(spec: SourceSpec, client_dir: Path, sources: Sequence[SourceSpec] = (), *,
             heads: int = 0) -> LoadedSource:
    """Read, reshape, harmonise and check one source; raises :class:`DataError`."""
    started = time.perf_counter()
    read_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    raw, digest, transformed = read_source(spec, client_dir, sources, heads=heads)
    try:
        result = harmonise(raw, spec, tenant_filtered=bool(transformed and transformed.tenant_filtered))
    except DataError as error:
        raise _with_layout_hint(error, spec, raw, client_dir) from None
    if transformed is not None:
        result.dropped[:0] = transformed.dropped
    check_source(result, spec, effective_mapping(spec).unique_key)
    table = result.table
    notes = [*transformed.warnings, *_reshaped(spec)] if transformed else []
    warnings = (dropped_warnings(spec.name, result.dropped) + filled_warnings(spec.name, result.filled)
                + defaulted_warnings(result, spec)
                + gap_warnings(table, spec.name, spec.kind) + outlier_warnings(table, spec.name, spec.kind))
    first, last = pc.min_max(table.column("date")).values()
    record = Provenance(
        source=spec.name,
        kind=spec.kind,
        path=spec.location,
        rows_read=(transformed.rows_read if transformed else len(raw)) + len(raw.dropped),
        rows_used=table.num_rows,
        first_date=_day(first),
        last_date=_day(last),
        read_at=read_at,
        sha256=digest,
        notes=tuple(notes + result.notes + mangled_id_notes(table, spec)),
        preset=spec.preset,
        query=spec.sql.query if spec.sql and spec.is_query else None,
        read_seconds=round(time.perf_counter() - started, 3),
        warnings=tuple(warnings),
    )
    log.info("source %s: %d rows from %s", spec.name, table.num_rows, spec.location)
    return LoadedSource(spec, table, record, transformed, dict(result.columns))


def _reshaped(spec: SourceSpec) -> list[str]:
    """The transform steps in words a client reads, as one note (``Reshaped: ...``)."""
    said = [text for text in (step.plain() for step in spec.transform) if text]
    if spec.sql is not None and not spec.is_query:
        said.insert(0, "selected with the agency's own query")
    return [f"Reshaped before use: {'; '.join(said)}."] if said else []


def _with_layout_hint(error: DataError, spec: SourceSpec, raw: RawTable, client_dir: Path) -> DataError:
    """A file read as one column was split with the wrong delimiter: say which one reads it."""
    if spec.shared or spec.path is None or raw.table.num_columns != 1:
        return error
    from nbreport.sources.sniff import suggest_reading

    hint = suggest_reading(resolve_source_path(spec, client_dir))
    if hint is None:
        return error
    return DataError(f"{error.reason}; {hint}", source=error.source, path=error.path, row=error.row,
                     column=error.column)


def _day(value: pa.Scalar) -> str | None:
    return value.as_py().date().isoformat() if value.is_valid else None


def _read(spec: SourceSpec, client_dir: Path) -> tuple[RawTable, str | None]:
    if spec.sql is not None and spec.is_query:
        from nbreport.sources.sql import read_query

        database = resolve_source_path(spec, client_dir) if spec.sql.database else None
        return read_query(spec, database), None
    path = resolve_source_path(spec, client_dir)
    raw = read_raw(spec, path)
    return raw, file_sha256(path)

