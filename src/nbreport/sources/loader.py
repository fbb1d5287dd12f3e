"""Load every data source of one client, with provenance.

A client's files live under ``<data dir>/<client id>/``; a source path that
resolves anywhere else (``..``, a symlink out of the folder) is refused, so a
run for one client can only ever read that client's data.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from nbreport.errors import DataError
from nbreport.sources.canonical import CANONICAL
from nbreport.sources.harmonise import harmonise
from nbreport.sources.reading import read_raw
from nbreport.sources.spec import SourceSpec


@dataclass(frozen=True)
class Provenance:
    """Where one source's numbers came from, for the report's appendix and the manifest."""

    source: str
    kind: str
    path: str  # relative to the client's data folder: never an absolute path
    rows_read: int
    rows_used: int
    first_date: str | None
    last_date: str | None
    read_at: str
    sha256: str
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ClientData:
    """A client's data in the canonical model: one table per kind, plus provenance."""

    tables: dict[str, pd.DataFrame]
    provenance: list[Provenance] = field(default_factory=list)

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


def client_data_dir(data_dir: Path, client_id: str) -> Path:
    return data_dir / client_id


def resolve_source_path(spec: SourceSpec, client_dir: Path) -> Path:
    """The file of ``spec`` inside ``client_dir``; refuses anything that leaves it."""
    root = client_dir.resolve()
    path = (client_dir / spec.path).resolve()
    if not path.is_relative_to(root):
        raise DataError(
            f"resolves outside the client's data folder ({client_dir.name}/); "
            "a client may only read its own files (symlinks out of the folder are refused too)",
            source=spec.name, path=spec.path)
    return path


def load_sources(sources: list[SourceSpec], client_dir: Path) -> ClientData:
    """Read, harmonise and combine every source; raises :class:`DataError` on the first bad one."""
    frames: dict[str, list[pd.DataFrame]] = {}
    provenance = []
    for spec in sources:
        frame, record = load_source(spec, client_dir)
        frames.setdefault(spec.kind, []).append(frame)
        provenance.append(record)
    tables = {kind: pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
              for kind, parts in frames.items()}
    return ClientData(tables, provenance)


def load_source(spec: SourceSpec, client_dir: Path) -> tuple[pd.DataFrame, Provenance]:
    """One source as a canonical frame, and where it came from."""
    path = resolve_source_path(spec, client_dir)
    read_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    raw = read_raw(spec, path)
    frame, filtered_out = harmonise(raw, spec)
    notes = (f"{filtered_out} rows of other accounts removed by the tenant filter",) if filtered_out else ()
    dates = frame["date"].dropna()
    return frame, Provenance(
        source=spec.name,
        kind=spec.kind,
        path=spec.path,
        rows_read=len(raw),
        rows_used=len(frame),
        first_date=dates.min().date().isoformat() if len(dates) else None,
        last_date=dates.max().date().isoformat() if len(dates) else None,
        read_at=read_at,
        sha256=file_sha256(path),
        notes=notes,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
