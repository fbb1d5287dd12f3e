"""Reading one export into an Arrow table, keeping track of each row's place in the file.

CSV files are read with pyarrow's multi-threaded reader, every column as text, so
that :mod:`nbreport.sources.harmonise` can say which row and column hold a value it
cannot convert, and what it found. Typed formats (Parquet, JSON lines, SQL results)
keep their types. Every reader returns a :class:`RawTable`.
"""

from __future__ import annotations

import codecs
import csv
import mmap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from nbreport.core.errors import DataError
from nbreport.sources.binary import not_text, refuse_nul, undecodable
from nbreport.sources.spec import SourceSpec

SNIFF_BYTES = 64 * 1024
HEADER_SEARCH_LINES = 50
DELIMITERS = ",;\t|"


@dataclass
class RawTable:
    """An export as read, before mapping.

    Attributes
    ----------
    table:
        The columns under their export names.
    rows:
        For each row, its number as a person opening the file would count it (a
        spreadsheet's row number: the header is a row too); for query results, the
        1-based row of the result.
    dropped:
        Lines the reader left out because they are no data rows (a copyright footer), as text.
    """

    table: pa.Table
    rows: np.ndarray
    dropped: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return self.table.num_rows

    def filter(self, keep: np.ndarray) -> RawTable:
        return RawTable(self.table.filter(pa.array(keep)), self.rows[keep], self.dropped)


def read_raw(spec: SourceSpec, path: Path) -> RawTable:
    """Read the file of ``spec`` (already resolved inside the client's folder)."""
    if path.exists() and not path.is_file():
        kind = "a folder" if path.is_dir() else "a pipe, socket or device"
        raise DataError(f"is {kind}, not a file; point 'path' at the export itself",
                        source=spec.name, path=spec.location)
    if not path.is_file():
        raise DataError(
            "file not found; check 'path' in the params file and that the export was saved there",
            source=spec.name, path=spec.location)
    try:
        raw = _read_format(spec, path)
    except DataError as error:  # a wrong delimiter or encoding: say which ones read the file
        if spec.shared:  # never guess aloud from a file holding other clients' rows
            raise
        from nbreport.sources.sniff import with_reading_hint

        hinted = with_reading_hint(error, path)  # only worth saying when it names the tool's preset
        raise (hinted if spec.preset is None and "set preset:" in str(hinted) else error) from None
    refuse_nul(raw.table, raw.rows, spec.name, spec.location, quote=not spec.shared)
    return raw


def _read_format(spec: SourceSpec, path: Path) -> RawTable:
    fmt = spec.detected_format()
    try:
        if fmt == "csv":
            return _read_csv(spec, path)
        if fmt == "xlsx":
            return _read_xlsx(spec, path)
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return _numbered(pq.read_table(path), first_row=1)
        return _read_jsonl(path)
    except UnicodeDecodeError:
        raise undecodable(path, _python_encoding(spec), spec.name, spec.location) from None
    except (pa.ArrowInvalid, ValueError, OSError, KeyError) as exc:
        if "UTF8" in str(exc) or "decode" in str(exc):
            raise undecodable(path, _python_encoding(spec), spec.name, spec.location) from None
        # a shared export's lines may be other clients': say what is wrong, never quote it
        detail = "the file is malformed" if spec.shared else _first_line(exc)
        raise DataError(f"cannot be read as {fmt}: {detail}",
                        source=spec.name, path=spec.location) from None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _numbered(table: pa.Table, first_row: int, dropped: list[str] | None = None) -> RawTable:
    return RawTable(table, np.arange(first_row, first_row + table.num_rows), dropped or [])


# --- CSV --------------------------------------------------------------------------------
def _python_encoding(spec: SourceSpec) -> str:
    name = codecs.lookup(spec.encoding).name
    return "utf-8-sig" if name == "utf-8" else name


def _read_csv(spec: SourceSpec, path: Path) -> RawTable:
    import pyarrow.csv as pcsv

    encoding = _python_encoding(spec)
    if (error := not_text(path, spec.name, spec.location, encoding)) is not None:
        raise error
    with path.open("r", encoding=encoding, newline="") as handle:
        sample = handle.read(SNIFF_BYTES)
    lines = sample.splitlines()
    header_index = _header_index(spec, lines)
    delimiter = spec.delimiter or _sniff_delimiter(lines[header_index] if lines else "")
    header = next(csv.reader([lines[header_index]], delimiter=delimiter)) if lines else []
    if not header:
        raise DataError("the file is empty: no header row", source=spec.name, path=spec.location)
    _check_header(header, spec)
    dropped: list[str] = []
    problems: list[DataError] = []

    def skip_malformed(row: pcsv.InvalidRow) -> str:
        text = (row.text or "").strip()
        if row.actual_columns > 1 and not _is_footer(text):
            quoted = "" if spec.shared else f" ('{text[:60]}')"  # a shared file's rows may be others'
            problems.append(DataError(
                f"a row has {row.actual_columns} fields where the header has {row.expected_columns}"
                f"{quoted}; check the delimiter ('{delimiter}') and the quoting of the file",
                source=spec.name, path=spec.location))
            return "error"
        dropped.append(text.strip('"').strip()[:80])
        return "skip"

    multiline = _has_multiline_values(path, encoding)
    try:
        table = _arrow_csv(path, encoding, header, header_index, delimiter, skip_malformed, multiline)
    except pa.ArrowInvalid:
        if problems:
            raise problems[0] from None
        raise
    # rows are numbered as a spreadsheet shows them: the header line is row header_index + 1
    return _numbered(table, first_row=header_index + 2, dropped=dropped)


def _has_multiline_values(path: Path, encoding: str) -> bool:
    """Whether a value may span lines: only quoted values can. Files without a single quote are
    parsed in parallel blocks, several times faster."""
    if codecs.lookup(encoding).name not in ("utf-8", "ascii", "cp1252", "iso8859-1"):
        return True  # other encodings (utf-16) do not keep the quote a single byte
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(b'"') >= 0


def _arrow_csv(path: Path, encoding: str, header: list[str], header_index: int,
               delimiter: str, on_invalid: object, multiline: bool) -> pa.Table:
    import pyarrow.csv as pcsv

    return pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(
            encoding="utf8" if encoding == "utf-8-sig" else encoding,
            skip_rows=header_index, block_size=(8 if multiline else 1) << 20),
        parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=multiline,
                                        invalid_row_handler=on_invalid),
        convert_options=pcsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=False, quoted_strings_can_be_null=False, null_values=[]),
    )


def _is_footer(text: str) -> bool:
    """Summary lines some tools append (copyright, confidentiality), with trailing separators."""
    cells = [cell.strip() for cell in next(csv.reader([text]), []) if cell.strip()]
    return len(cells) <= 1


def _check_header(header: list[str], spec: SourceSpec) -> None:
    seen: set[str] = set()
    for name in header:
        if name.strip() in seen:
            raise DataError(f"the header names the column '{name.strip()}' twice; rename one in "
                            "the export", source=spec.name, path=spec.location)
        seen.add(name.strip())


def _header_index(spec: SourceSpec, lines: list[str]) -> int:
    """The 0-based line of the header: after ``skip_rows``, or the first holding ``header_contains``."""
    marker = _header_marker(spec)
    if marker is None:
        return spec.skip_rows
    wanted = marker.strip().lower()
    for index, line in enumerate(lines[spec.skip_rows:spec.skip_rows + HEADER_SEARCH_LINES]):
        cells = next(csv.reader([line], delimiter=spec.delimiter or _sniff_delimiter(line)), [])
        if any(cell.strip().lower() == wanted for cell in cells):
            return spec.skip_rows + index
    raise DataError(
        f"no header row with a column '{marker}' in the first {HEADER_SEARCH_LINES} lines; is this "
        f"the right export (or set header_contains / skip_rows for the source)?",
        source=spec.name, path=spec.location)


def _header_marker(spec: SourceSpec) -> str | None:
    if spec.header_contains is not None:
        return spec.header_contains
    if spec.preset is not None and spec.skip_rows == 0:
        from nbreport.sources.presets import PRESETS

        return PRESETS[spec.preset].header_contains
    return None


def _sniff_delimiter(line: str) -> str:
    """The separator of a header line: the candidate that splits it into the most cells."""
    counts = {d: len(next(csv.reader([line], delimiter=d), [])) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


# --- other formats ----------------------------------------------------------------------
def _read_xlsx(spec: SourceSpec, path: Path) -> RawTable:
    import pandas as pd

    sheet = 0 if spec.sheet is None else spec.sheet
    grid = pd.read_excel(path, sheet_name=sheet, header=None, dtype=str, engine="calamine").fillna("")
    lines = [",".join(f'"{cell}"' for cell in row) for row in grid.head(HEADER_SEARCH_LINES + spec.skip_rows).itertuples(index=False)]
    header_index = _header_index(spec, lines) if len(grid) else 0
    header = [str(cell).strip() for cell in grid.iloc[header_index]] if len(grid) else []
    body = grid.iloc[header_index + 1:]
    named = [(i, name) for i, name in enumerate(header) if name]
    _check_header([name for _, name in named], spec)
    table = pa.table({name: pa.array(body.iloc[:, i].astype(str).str.replace(
        r" 00:00:00$", "", regex=True).tolist(), pa.string()) for i, name in named})
    keep = np.array([any(str(v).strip() for v in row) for row in body.itertuples(index=False)], bool) \
        if len(body) else np.zeros(0, bool)
    raw = _numbered(table, first_row=header_index + 2)
    return raw.filter(keep) if not keep.all() else raw


def _read_jsonl(path: Path) -> RawTable:
    import pyarrow.json as pjson

    table = pjson.read_json(path)
    while any(pa.types.is_struct(column.type) for column in table.columns):
        table = table.flatten()  # {"person_properties": {"plan": ..}} -> person_properties.plan
    return _numbered(table, first_row=1)

