"""What one sheet of a client's data pack holds: a table or a chart of the report, as shown.

A report's tables are read back from the HTML its sections display (:func:`sheets_in`), so a
sheet holds each figure's text exactly as the client reads it, and the number behind it
wherever the report marks one (``<data class="nbr-figure" value="...">``, see the
``figure`` macro of ``report/templates/_blocks.html.j2``). A chart has no text to read its
numbers from: the section that draws it describes its data as a :class:`Sheet` too, its
values written by the report's formatter (``report.fmt``), as its axis writes them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


_FOLDED = re.compile(r"[ \t\n\r\f]+")


@dataclass(frozen=True)
class Cell:
    """One figure: ``text`` as the report shows it, ``value`` the number behind it (``None``
    when the report shows no number there, or does not mark it)."""

    text: str
    value: float | None = None

    @classmethod
    def of(cls, text: str, value: float | None) -> Cell:
        """A cell whose number is kept only when it is one (not NaN or infinite)."""
        if value is None or not math.isfinite(float(value)):
            return cls(text)
        return cls(text, float(value))


@dataclass(frozen=True)
class Sheet:
    """A table or a chart's data.

    Attributes
    ----------
    title:
        What it shows: the table's caption, or the chart's title.
    columns:
        The column headers, as the report writes them.
    rows:
        One list of cells per row, as many as ``columns``.
    kind:
        ``table`` or ``chart``.
    note:
        How to read it (a chart's caption), if anything.
    section:
        The id of the report section showing it (filled in when it is recorded).
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    kind: str = "table"
    note: str = ""
    section: str = ""

    def in_section(self, section_id: str) -> Sheet:
        return Sheet(self.title, self.columns, self.rows, self.kind, self.note, section_id)


def chart_sheet(title: str, columns: Sequence[str], rows: Sequence[Sequence[Cell]],
                note: str = "") -> Sheet:
    """A chart's data: one row per bar or point, the first column naming it."""
    return Sheet(title, tuple(columns), tuple(tuple(row) for row in rows), "chart", note)


def cell_text(element: Any) -> str:
    """The text a reader sees in an HTML element, its white space folded as a browser folds
    it (spaces, tabs and line breaks; a no-break space stays)."""
    return _FOLDED.sub(" ", element.get_text(" ")).strip(" \t\n\r\f")


def sheets_in(html: str, charts: Sequence[Sheet] = ()) -> list[Sheet]:
    """Every ``<table>`` of a section's HTML as a sheet (its caption, its column headers: the
    last header row, spans spread; then each body row's cells), and ``charts``, the data of
    its charts, each where its ``<figure class="chart">`` is, in the order they appear."""
    if "<table" not in html:
        return list(charts)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    waiting, found = list(charts), []
    for element in soup.find_all(["table", "figure"]):
        if element.name == "table":
            found.append(_sheet_of(element))
        elif "chart" in (element.get("class") or []) and waiting:
            found.append(waiting.pop(0))
    return found + waiting


def _sheet_of(table: Any) -> Sheet:
    caption = table.find("caption")
    wrap = table.find_parent(attrs={"aria-label": True})
    title = cell_text(caption) if caption else (wrap["aria-label"] if wrap else "")
    head = table.find("thead")
    header_rows = head.find_all("tr") if head else []
    columns = tuple(_spread(header_rows[-1].find_all(["th", "td"]), cell_text)) if header_rows else ()
    body_rows = [row for row in table.find_all("tr") if row.find_parent("thead") is None]
    rows = tuple(tuple(_spread(row.find_all(["th", "td"]), _cell)) for row in body_rows)
    width = max([len(columns), *(len(row) for row in rows)], default=0)
    columns = columns + ("",) * (width - len(columns))
    rows = tuple(row + (Cell(""),) * (width - len(row)) for row in rows)
    return Sheet(title, columns, rows)


def _spread(cells: list[Any], read: Any) -> list[Any]:
    """One entry per column: a cell spanning columns gives its text once, then blanks, so
    that the columns line up as on the page."""
    spread: list[Any] = []
    for cell in cells:
        spread.append(read(cell))
        span = int(cell.get("colspan", 1) or 1)
        blank = Cell("") if read is _cell else ""
        spread += [blank] * (span - 1)
    return spread


def _cell(element: Any) -> Cell:
    """A cell's text, and its number when the cell shows one marked figure and nothing else."""
    text = cell_text(element)
    figures = element.find_all("data", class_="nbr-figure")
    if len(figures) != 1 or cell_text(figures[0]) != text:
        return Cell(text)
    try:
        return Cell.of(text, float(figures[0].get("value") or "nan"))
    except ValueError:
        return Cell(text)
