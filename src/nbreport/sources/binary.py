"""Bytes that are no text: a binary file named .csv, binary junk inside an export, NUL bytes.

An export that cannot be decoded is most often in another encoding (cp1252), and saying so
helps. Binary data is not: no encoding turns it into rows, so the advice must be to export
the file again (or to name the format it really is). A NUL byte is never part of a value a
report may show; it is refused with the row and column that hold it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from nbreport.core.errors import DataError

# File signatures (magic numbers) of formats that are exported by mistake as or for a CSV.
SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive or an Excel workbook (.xlsx): name it .xlsx, or set format: xlsx"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls): save it as .xlsx or CSV"),
    (b"PAR1", "a Parquet file: name it .parquet, or set format: parquet"),
    (b"%PDF", "a PDF document: export the report as CSV instead"),
    (b"\x1f\x8b", "a gzip-compressed file: decompress it first"),
    (b"\x89PNG", "a PNG image, not an export"),
    (b"\xff\xd8\xff", "a JPEG image, not an export"),
    (b"\x7fELF", "a program, not an export"),
)
_WIDE = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
WINDOW = 256  # bytes around the first undecodable byte looked at
CHUNK = 1 << 20


def not_text(path: Path, source: str, location: str, encoding: str) -> DataError | None:
    """The error for a file whose first bytes are those of a binary format, or of UTF-16 text
    read as another encoding; None for any other file."""
    head = _head(path, 4096)
    for signature, what in SIGNATURES:
        if head.startswith(signature):
            return DataError(f"is not a CSV export: its first bytes are those of {what}",
                             source=source, path=location)
    if not is_wide(encoding) and _looks_utf16(head):
        return DataError(f"cannot be read as {encoding.removesuffix('-sig')}: it is UTF-16 text (a NUL "
                         "byte beside every letter); set encoding: utf-16 for this source in the "
                         "params file", source=source, path=location)
    return None


def undecodable(path: Path, encoding: str, source: str, location: str) -> DataError:
    """The error for a file ``encoding`` cannot decode: binary data, or another encoding."""
    if (error := not_text(path, source, location, encoding)) is not None:
        return error
    shown = encoding.removesuffix("-sig")
    offset = first_undecodable(path, encoding)
    where = f" at byte {offset:,} (line {_line_of(path, offset):,})" if offset is not None else ""
    if offset is not None and _looks_binary(path, offset):
        return DataError(
            f"holds binary data{where}, which is no text in any encoding, so setting 'encoding' "
            "cannot help: the file is damaged or is not the export; export it again from the tool",
            source=source, path=location)
    return DataError(
        f"cannot be decoded as {shown}{where}; the export is in another encoding: set "
        "'encoding' for this source in the params file (e.g. cp1252 or utf-16)",
        source=source, path=location)


def first_undecodable(path: Path, encoding: str) -> int | None:
    """The offset of the first byte ``encoding`` cannot decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    done = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return max(done + exc.start - len(decoder.getstate()[0]), 0)
            done += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return done
    return None


def refuse_nul(table: pa.Table, rows: np.ndarray, source: str, location: str,
               quote: bool = True) -> None:
    """Raise for the first NUL byte in a text column, naming its row and column."""
    for name in table.column_names:
        column = table.column(name)
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        holds = pc.fill_null(pc.match_substring(column, "\x00"), False)
        hits = np.flatnonzero(np.asarray(holds.to_numpy(zero_copy_only=False), dtype=bool))
        if len(hits):
            value = str(column[int(hits[0])].as_py())
            shown = f" ('{value.replace(chr(0), '<NUL>')[:40]}')" if quote else ""
            raise DataError(
                f"holds a NUL byte (\\x00){shown}, which is no text: the export is damaged, or is "
                "UTF-16 read as another encoding (then set encoding: utf-16); export it again",
                source=source, path=location, row=int(rows[hits[0]]), column=name)


def is_wide(encoding: str) -> bool:
    return codecs.lookup(encoding).name in _WIDE


def _head(path: Path, size: int) -> bytes:
    with path.open("rb") as stream:
        return stream.read(size)


def _looks_utf16(head: bytes) -> bool:
    """A byte-order mark of UTF-16, or NUL bytes in most even or most odd places."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    pairs = len(head) // 2
    return pairs >= 8 and max(head[0::2].count(0), head[1::2].count(0)) >= 0.8 * pairs


def _looks_binary(path: Path, offset: int) -> bool:
    """Whether the bytes around ``offset`` hold control bytes, which no text export has."""
    with path.open("rb") as stream:
        stream.seek(max(offset - WINDOW, 0))
        window = stream.read(2 * WINDOW)
    return sum(window.count(byte) for byte in _CONTROL) >= 2


def _line_of(path: Path, offset: int) -> int:
    with path.open("rb") as stream:
        return stream.read(offset).count(b"\n") + 1
