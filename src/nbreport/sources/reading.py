"""Reading one file into a DataFrame of raw text columns.

Everything is read as text first so that conversion errors can name the row
and column and say what was found; :mod:`nbreport.sources.harmonise` then
converts to canonical types.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from nbreport.errors import DataError
from nbreport.sources.spec import SourceSpec

SNIFF_BYTES = 64 * 1024


def read_raw(spec: SourceSpec, path: Path) -> pd.DataFrame:
    """Read ``path`` as declared by ``spec``; every column comes back as text."""
    if not path.is_file():
        raise DataError(
            "file not found; check 'path' in the params file and that the export was saved there",
            source=spec.name, path=spec.path)
    fmt = spec.detected_format()
    try:
        if fmt == "csv":
            return _read_csv(spec, path)
        if fmt == "xlsx":
            return pd.read_excel(path, dtype=str).fillna("")
        if fmt == "parquet":
            return pd.read_parquet(path).astype(str)
        return pd.read_json(path, lines=True, dtype=False).astype(str)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"cannot be decoded as {spec.encoding} ({exc.reason} at byte {exc.start}); "
            "set 'encoding' for this source in the params file (e.g. cp1252 or utf-16)",
            source=spec.name, path=spec.path) from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataError(f"cannot be read as {fmt}: {exc}", source=spec.name, path=spec.path) from None


def _read_csv(spec: SourceSpec, path: Path) -> pd.DataFrame:
    encoding = "utf-8-sig" if spec.encoding.lower().replace("_", "-") == "utf-8" else spec.encoding
    delimiter = spec.delimiter or _sniff_delimiter(path, encoding)
    return pd.read_csv(path, sep=delimiter, dtype=str, keep_default_na=False,
                       encoding=encoding, skipinitialspace=False)


def _sniff_delimiter(path: Path, encoding: str) -> str:
    with path.open("r", encoding=encoding, newline="") as handle:
        sample = handle.read(SNIFF_BYTES)
    try:
        return csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
