"""Parsed and harmonised sources, kept in the project's compute cache between runs.

Reading and harmonising a client's exports costs about as much as forecasting them, and
an analyst re-runs a report many times on the same files. A source's canonical table and
provenance are a pure function of: the bytes of its file (SHA-256) and of every file its
``join`` steps read, its ``sources:`` entry (preset, mapping, transform steps, dates...),
the language its warnings are written in (and that language's catalogue), and the code
and libraries that read it (the import closure of this module, pandas, pyarrow, DuckDB,
openpyxl). The entry's name is a digest of all of them. A query on a database is never
cached: nothing says when its rows changed.

An entry is one Arrow IPC file (the table exactly as harmonised, types and all, no
pickle) whose custom metadata holds the provenance; a hit reads no export, only the file
digests. ``read_at`` and ``read_seconds`` are this run's: when it took the data, and how long.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa

from nbreport.core.code_digest import code_digest
from nbreport.core.compute_cache import ComputeCache, cache_key, canonical_json, library_versions
from nbreport.core.digests import file_sha256
from nbreport.core.errors import DataError
from nbreport.i18n import current_language
from nbreport.i18n.catalogues import language_fingerprint
from nbreport.sources import loader
from nbreport.sources.checks import DataWarning
from nbreport.sources.loader import ClientData, LoadedSource, Provenance
from nbreport.sources.spec import SourceSpec

log = logging.getLogger(__name__)

KIND = "sources"
SUFFIX = ".arrow"
PARSE_MODULE = "nbreport.sources.parse_cache"  # its import closure: the loader and all it runs
PARSE_LIBRARIES = ("pandas", "pyarrow", "duckdb", "openpyxl", "numpy")
METADATA_KEY = b"nbreport.provenance"
FRESH_FIELDS = ("read_at", "read_seconds")  # this run's, never the stored ones


def load_sources_cached(sources: list[SourceSpec], client_dir: Path, cache: ComputeCache, *,
                        currency: str | None = None,
                        alternatives: dict[str, str] | None = None) -> ClientData:
    """:func:`nbreport.sources.loader.load_sources`, each source read from ``cache`` when its
    inputs are unchanged."""
    loaded = [load_one_cached(spec, client_dir, sources, cache)
              for spec in sources if spec.is_data]
    return loader.combine_sources(loaded, currency=currency, alternatives=alternatives)


def load_one_cached(spec: SourceSpec, client_dir: Path, sources: Sequence[SourceSpec],
                    cache: ComputeCache) -> LoadedSource:
    """One source from ``cache``, else read by :func:`~nbreport.sources.loader.load_one`, stored."""
    started = time.perf_counter()
    try:
        key = source_key(spec, client_dir, sources)
    except (OSError, DataError):
        key = None  # a missing or refused file: the reading says what is wrong, as ever
    if key is None:
        return loader.load_one(spec, client_dir, sources)
    stored = cache.read(KIND, key, SUFFIX)
    found = decode(stored, spec, started) if stored is not None else None
    if found is not None:
        log.info("source %s: %d rows from %s (compute cache)", spec.name, found.table.num_rows,
                 spec.location)
        return found
    if stored is not None:
        log.info("compute cache: undecodable entry for source %s, reading it again", spec.name)
    loaded = loader.load_one(spec, client_dir, sources)
    cache.write(KIND, key, SUFFIX, encode(loaded))
    return loaded


def source_key(spec: SourceSpec, client_dir: Path, sources: Sequence[SourceSpec]) -> str | None:
    """The digest of everything the source's table and provenance depend on; ``None`` when it,
    or a source its joins read, is a query on a database (not cacheable).

    Raises
    ------
    OSError, DataError
        A file cannot be read or lies outside the folder it must be in.
    """
    reads = _files_read(spec, {other.name: other for other in sources})
    if any(read.is_query for read in reads):
        return None
    files = [_described(read, client_dir) for read in reads]
    return cache_key(KIND, code_digest(PARSE_MODULE), library_versions(*PARSE_LIBRARIES),
                     language_fingerprint(current_language()), *files)


def encode(loaded: LoadedSource) -> bytes:
    """The source's table as an Arrow IPC file, its provenance in the file's metadata."""
    record = {name: value for name, value in asdict(loaded.record).items()
              if name not in FRESH_FIELDS}
    metadata = {METADATA_KEY: json.dumps({"record": record, "columns": loaded.columns})}
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, loaded.table.schema, metadata=metadata) as writer:
        writer.write_table(loaded.table)
    return sink.getvalue().to_pybytes()


def decode(content: bytes, spec: SourceSpec, started: float) -> LoadedSource | None:
    """The stored source, or ``None`` when the entry is damaged."""
    try:
        reader = pa.ipc.open_file(pa.BufferReader(content))
        table = reader.read_all()
        stored = json.loads(reader.metadata[METADATA_KEY])
        record = _provenance(stored["record"], started)
        columns = {str(name): str(column) for name, column in stored["columns"].items()}
    except Exception:  # noqa: BLE001 - whatever is wrong with an entry, it is a miss
        return None
    return LoadedSource(spec, table, record, None, columns)


def _provenance(stored: dict[str, Any], started: float) -> Provenance:
    """The stored provenance (JSON lists back to tuples), read now."""
    return Provenance(**{
        **stored,
        "notes": tuple(stored["notes"]),
        "warnings": tuple(DataWarning(**warning) for warning in stored["warnings"]),
        "read_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "read_seconds": round(time.perf_counter() - started, 3),
    })


def _files_read(spec: SourceSpec, by_name: dict[str, SourceSpec]) -> list[SourceSpec]:
    """``spec`` and every source its ``join`` steps read, directly or through another join."""
    found: dict[str, SourceSpec] = {}
    waiting = [spec]
    while waiting:
        current = waiting.pop()
        if current.name in found:
            continue
        found[current.name] = current
        waiting.extend(by_name[step.join.source] for step in current.transform
                       if step.join is not None and step.join.source in by_name)
    return list(found.values())


def _described(spec: SourceSpec, client_dir: Path) -> str:
    """A source's settings and the digest of the file it reads."""
    path = loader.resolve_source_path(spec, client_dir)
    return canonical_json({"spec": spec.model_dump(mode="json"), "sha256": file_sha256(path)})
