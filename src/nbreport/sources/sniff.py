"""How an export is written, told from the file itself: encoding, delimiter, header row, preset.

``nbreport new-client ID --from FILE`` starts a params file from this (see
:mod:`nbreport.params.scaffold_sources`), and a delimiter or encoding error when reading a
source ends with :func:`suggest_reading`. Each guess carries what it saw (``evidence``), so
that the params file can say why it was made; nothing here decides for the user at run time.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nbreport.sources.binary import first_undecodable
from nbreport.sources.canonical import CANONICAL
from nbreport.sources.presets import PRESETS, Preset

DELIMITERS = ",;\t|"
SAMPLE_BYTES = 256 * 1024
SAMPLE_LINES = 60
MAX_ROWS = 200_000
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
TEXT_SUFFIXES = {"csv", "tsv", "txt"}
FORMATS = {"csv": "csv", "tsv": "csv", "txt": "csv", "xlsx": "xlsx", "parquet": "parquet",
           "jsonl": "jsonl", "ndjson": "jsonl"}


@dataclass(frozen=True)
class Guess:
    """One guessed setting and what it was guessed from (said in a comment of the params)."""

    value: str | int | None
    evidence: str


@dataclass(frozen=True)
class Layout:
    """How the rows of an export are laid out."""

    format: str
    encoding: Guess  # value: a Python codec name, e.g. utf-8, cp1252, utf-16
    delimiter: Guess  # None for files that are not text
    skip_rows: Guess  # lines above the header
    header: tuple[str, ...]


@dataclass(frozen=True)
class PresetMatch:
    """A preset whose column names the header holds."""

    preset: Preset
    matched: tuple[str, ...]  # header cells the preset knows
    header_size: int
    covers_required: bool  # the preset fills every required canonical column of its kind

    @property
    def evidence(self) -> str:
        shown = ", ".join(self.matched[:6]) + (", ..." if len(self.matched) > 6 else "")
        return (f"{len(self.matched)} of {self.header_size} columns match the {self.preset.tool} "
                f"export ({shown})")


@dataclass
class Sample:
    """The export's columns as text (the first :data:`MAX_ROWS` rows)."""

    columns: dict[str, list[str]]
    rows: int
    complete: bool  # every row of the file is in the sample
    duplicates: int = 0  # rows that repeat an earlier row exactly
    notes: list[str] = field(default_factory=list)


def file_format(path: Path) -> str:
    """The format the file's extension implies (csv for tsv/txt and unknown text)."""
    return FORMATS.get(path.suffix.lower().lstrip("."), "csv")


# --- encoding -----------------------------------------------------------------------------
def sniff_encoding(path: Path) -> Guess:
    """UTF-8 (with or without a byte-order mark), UTF-16, else cp1252 (else latin-1)."""
    with path.open("rb") as stream:
        head = stream.read(4096)
    if head.startswith(codecs.BOM_UTF8):
        return Guess("utf-8", "starts with a UTF-8 byte-order mark (read as utf-8)")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Guess("utf-16", "starts with a UTF-16 byte-order mark")
    pairs = len(head) // 2
    if pairs >= 8:
        for zeros, name in ((head[1::2].count(0), "utf-16-le"), (head[0::2].count(0), "utf-16-be")):
            if zeros >= 0.8 * pairs:
                return Guess(name, "a NUL byte beside every letter: UTF-16 without a byte-order mark")
    offset = first_undecodable(path, "utf-8")
    if offset is None:
        return Guess("utf-8", "every byte decodes as UTF-8")
    where = _where(path, offset)
    if first_undecodable(path, "cp1252") is None:
        return Guess("cp1252", f"not UTF-8 ({where}); every byte decodes as Windows-1252 (cp1252)")
    return Guess("latin-1", f"neither UTF-8 ({where}) nor Windows-1252; read as latin-1")


def _where(path: Path, offset: int) -> str:
    with path.open("rb") as stream:
        before = stream.read(offset + 1)
    line = before.count(b"\n") + 1
    return f"byte 0x{before[-1]:02X} on line {line}"


def decode_head(path: Path, encoding: str) -> str:
    """The first :data:`SAMPLE_BYTES` of a text file, decoded (a cut character dropped)."""
    with path.open("rb") as stream:
        data = stream.read(SAMPLE_BYTES)
    text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding, errors="ignore")
    return text.lstrip("\ufeff")


# --- delimiter and header -------------------------------------------------------------------
def split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def sniff_delimiter(lines: list[str]) -> tuple[str, int, int, int]:
    """(delimiter, width, header line, lines of that width): the delimiter that gives the most
    lines one same number (> 1) of fields; ties go to the earliest header, then the widest."""
    best: tuple[tuple[int, int, int], str, int] | None = None
    for delimiter in DELIMITERS:
        counts = [len(split(line, delimiter)) for line in lines]
        widths = Counter(count for count in counts if count > 1)
        if not widths:
            continue
        width, lines_of_width = widths.most_common(1)[0]
        header = counts.index(width)
        score = (lines_of_width, -header, width)
        if best is None or score > best[0]:
            best = (score, delimiter, width)
    if best is None:
        return ",", 1, 0, len(lines)
    (lines_of_width, header, _), delimiter, width = best
    return delimiter, width, -header, lines_of_width


def text_layout(path: Path) -> Layout:
    encoding = sniff_encoding(path)
    lines = [line for line in decode_head(path, str(encoding.value)).splitlines()][:SAMPLE_LINES]
    while lines and not lines[-1].strip():
        lines.pop()
    delimiter, width, header_line, agreeing = sniff_delimiter(lines)
    header = tuple(cell.strip() for cell in split(lines[header_line], delimiter)) if lines else ()
    said = (f"{width} fields on {agreeing} of the first {len(lines)} lines when split on "
            f"{DELIMITER_NAMES[delimiter]}s")
    titles = [line.strip()[:40] for line in lines[:header_line]]
    skip = Guess(header_line, f"{header_line} title line{'s' * (header_line != 1)} above the header "
                 f"({'; '.join(repr(t) for t in titles[:2])})" if header_line else "the header is line 1")
    return Layout("csv", encoding, Guess(delimiter, said), skip, header)


def xlsx_layout(path: Path) -> Layout:
    import pandas as pd

    grid = pd.read_excel(path, header=None, dtype=str, engine="calamine", nrows=SAMPLE_LINES).fillna("")
    filled = [sum(1 for cell in row if str(cell).strip()) for row in grid.itertuples(index=False)]
    widest = max(filled, default=0)
    header_line = next((i for i, count in enumerate(filled) if count >= max(2, 0.8 * widest)), 0)
    header = tuple(str(cell).strip() for cell in grid.iloc[header_line]) if len(grid) else ()
    skip = Guess(header_line, f"{header_line} title rows above the header" if header_line
                 else "the header is row 1")
    return Layout("xlsx", Guess(None, "a workbook"), Guess(None, "a workbook"), skip,
                  tuple(cell for cell in header if cell))


def typed_layout(path: Path, fmt: str) -> Layout:
    table = read_typed(path, fmt, limit=1)
    return Layout(fmt, Guess(None, fmt), Guess(None, fmt), Guess(0, ""), tuple(table.column_names))


def sniff_layout(path: Path) -> Layout:
    """The layout of any export nbreport reads."""
    fmt = file_format(path)
    if fmt == "xlsx":
        return xlsx_layout(path)
    if fmt in ("parquet", "jsonl"):
        return typed_layout(path, fmt)
    return text_layout(path)


def read_typed(path: Path, fmt: str, limit: int | None = None):  # -> pyarrow.Table
    import pyarrow as pa

    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
    else:
        import pyarrow.json as pjson

        table = pjson.read_json(path)
        while any(pa.types.is_struct(column.type) for column in table.columns):
            table = table.flatten()
    return table if limit is None else table.slice(0, limit)


# --- the rows, as text --------------------------------------------------------------------
def read_sample(path: Path, layout: Layout) -> Sample:
    """The export's columns as text, read with the sniffed layout."""
    if layout.format == "csv":
        rows, complete = _text_rows(path, layout)
    elif layout.format == "xlsx":
        import pandas as pd

        grid = pd.read_excel(path, header=None, dtype=str, engine="calamine").fillna("")
        body = grid.iloc[int(layout.skip_rows.value or 0) + 1:]
        names = [str(cell).strip() for cell in grid.iloc[int(layout.skip_rows.value or 0)]]
        rows = [[str(value).removesuffix(" 00:00:00") for value, name in zip(row, names) if name]
                for row in body.itertuples(index=False)]
        rows, complete = rows[:MAX_ROWS], len(rows) <= MAX_ROWS
    else:
        table = read_typed(path, layout.format)
        columns = {name: ["" if v is None else str(v) for v in table.column(name).to_pylist()[:MAX_ROWS]]
                   for name in table.column_names}
        rows = [list(values) for values in zip(*columns.values())] if columns else []
        complete = table.num_rows <= MAX_ROWS
    header = list(layout.header)
    kept = [row for row in rows if any(cell.strip() for cell in row)]
    seen: set[tuple[str, ...]] = set()
    duplicates = 0
    for row in kept:
        duplicates += tuple(row) in seen
        seen.add(tuple(row))
    columns = {name: [row[i].strip() if i < len(row) else "" for row in kept]
               for i, name in enumerate(header) if name}
    return Sample(columns, len(kept), complete, duplicates)


def _text_rows(path: Path, layout: Layout) -> tuple[list[list[str]], bool]:
    encoding = str(layout.encoding.value)
    width = len(layout.header)
    rows: list[list[str]] = []
    with path.open("r", encoding="utf-8-sig" if encoding == "utf-8" else encoding,
                   errors="replace", newline="") as handle:
        for _ in range(int(layout.skip_rows.value or 0) + 1):
            handle.readline()
        for row in csv.reader(handle, delimiter=str(layout.delimiter.value)):
            if len(rows) >= MAX_ROWS:
                return rows, False
            if len(row) == width or (len(row) > 1 and len(row) == width - 1):
                rows.append(row)
    return rows, True


# --- presets --------------------------------------------------------------------------------
def _known_columns(preset: Preset) -> list[str]:
    """Export column names the preset knows (``re:`` keys stay patterns)."""
    minutes = [column for _, column in preset.minutes_after.values()]
    return [*preset.rename, *preset.drop, *minutes]


def _knows(preset: Preset, cell: str) -> str | None:
    """The canonical column(s) the preset fills from a header cell, or None."""
    for key, target in preset.rename.items():
        if key == cell or (key.startswith("re:") and re.fullmatch(key[3:], cell)):
            return target if isinstance(target, str) else target[0]
    return "" if cell in _known_columns(preset) else None


def match_preset(header: tuple[str, ...] | list[str]) -> PresetMatch | None:
    """The preset whose column names the header holds most of, when it holds enough of them:
    two or more, and either every required column of the kind or half the header."""
    cells = [cell for cell in header if cell]
    best: tuple[tuple[bool, int], PresetMatch] | None = None
    for preset in PRESETS.values():
        filled = {_knows(preset, cell) for cell in cells} - {None, ""}
        matched = tuple(cell for cell in cells if _knows(preset, cell) is not None)
        required = {c.name for c in CANONICAL[preset.kind] if c.required} - set(preset.constants)
        covers = required <= filled | {"scale"} if preset.kind == "survey" else required <= filled
        if len(matched) < 2 or not (covers or len(matched) * 2 >= len(cells)):
            continue
        match = PresetMatch(preset, matched, len(cells), covers)
        score = (covers, len(matched))
        if best is None or score > best[0]:
            best = (score, match)
    return best[1] if best else None


# --- the hint for reading errors ------------------------------------------------------------
def suggest_reading(path: Path) -> str | None:
    """One sentence saying how the file reads: the preset its header matches (if any) with the
    delimiter and encoding that read it; None when the file is no text export or sniffing
    finds nothing better to say."""
    try:
        if file_format(path) != "csv" or not path.is_file():
            return None
        layout = text_layout(path)
    except (OSError, UnicodeError, csv.Error, LookupError):
        return None
    if len(layout.header) < 2:
        return None
    delimiter, encoding = str(layout.delimiter.value), str(layout.encoding.value)
    settings = [f"delimiter: '{delimiter}'", f"encoding: {encoding}"]
    skip = int(layout.skip_rows.value or 0)
    match = match_preset(layout.header)
    if match is not None:
        settings.insert(0, f"preset: {match.preset.name}")
        lead = f"the header matches the {match.preset.tool} export"
        if skip and match.preset.header_contains not in layout.header:
            settings.append(f"skip_rows: {skip}")
    else:
        lead = f"the file reads as {len(layout.header)} columns ({', '.join(layout.header[:3])}, ...)"
        if skip:
            settings.append(f"skip_rows: {skip}")
    return (f"{lead} read with delimiter '{delimiter}' and encoding {encoding}: set "
            f"{', '.join(settings)}")


LAYOUT_ERRORS = ("cannot be decoded as", "fields where the header has", "cannot be read as",
                 "UTF-16 text")


def with_reading_hint(error: Exception, path: Path) -> Exception:
    """``error`` (a :class:`~nbreport.core.errors.DataError` raised reading ``path``) with
    :func:`suggest_reading`'s sentence appended when it is a delimiter or encoding error."""
    from nbreport.core.errors import DataError

    reason = getattr(error, "reason", "")
    if not isinstance(error, DataError) or not any(text in reason for text in LAYOUT_ERRORS):
        return error
    hint = suggest_reading(path)
    if hint is None:
        return error
    return DataError(f"{reason}; {hint}", source=error.source, path=error.path, row=error.row,
                     column=error.column)
