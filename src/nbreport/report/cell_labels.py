"""Column names on every table cell, so that a phone can show each row as a card.

On a narrow screen the report's CSS stacks a table's cells (``display: block``) and
writes each cell's column name before its value from ``td::before { content:
attr(data-label) }``. CSS cannot read a cell's header, so this module copies the
text of each ``<thead>`` header onto the cells of its column as ``data-label``,
``colspan`` included, and marks the table with its number of columns
(``data-columns``: the CSS stacks tables of many columns on wider screens too), without
otherwise touching the HTML.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

LABELLED_CELLS = ("td", "th")


def label_cells(html: str) -> str:
    """``html`` with ``data-label="<column header>"`` on each body and footer cell of every
    table that has a ``<thead>``, and ``data-columns="<count>"`` on that table; cells that
    already carry a ``data-label`` keep theirs."""
    if "<thead" not in html:
        return html
    finder = _CellFinder()
    finder.feed(html)
    finder.close()
    offsets = _line_offsets(html)
    pieces, last = [], 0
    for (line, column, tag_length), attribute in sorted(finder.insertions):
        at = offsets[line - 1] + column + tag_length  # just after "<td"
        pieces += [html[last:at], attribute]
        last = at
    pieces.append(html[last:])
    return "".join(pieces)


def _line_offsets(text: str) -> list[int]:
    """Offset of the first character of each line (HTMLParser reports line and column)."""
    offsets = [0]
    for position, character in enumerate(text):
        if character == "\n":
            offsets.append(position + 1)
    return offsets


class _CellFinder(HTMLParser):
    """Collects header texts per table and where each later cell's tag name ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # (line, column, length of "<tag"), the attribute text to insert after the tag name
        self.insertions: list[tuple[tuple[int, int, int], str]] = []
        self._tables: list[_Table] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._tables.append(_Table(self.getpos()))
            return
        if not self._tables:
            return
        table = self._tables[-1]
        if tag in ("thead", "tbody", "tfoot"):
            table.part = tag
        elif tag == "tr":
            table.column = 0
        elif tag in LABELLED_CELLS:
            span = _span(attrs)
            if table.part == "thead":
                table.header_cell, table.header_span = len(table.headers), span
                table.headers += [""] * span
            else:
                label = table.label_for(table.column)
                if label and not any(name == "data-label" for name, _ in attrs):
                    line, column = self.getpos()
                    self.insertions.append(((line, column, 1 + len(tag)),
                                            f' data-label="{escape(label, quote=True)}"'))
            table.column += span

    def handle_endtag(self, tag: str) -> None:
        if not self._tables:
            return
        table = self._tables[-1]
        if tag == "table":
            self._tables.pop()
            if table.headers:
                line, column = table.start
                self.insertions.append(((line, column, len("<table")),
                                        f' data-columns="{len(table.headers)}"'))
        elif tag in LABELLED_CELLS and table.header_cell is not None:
            first = table.header_cell  # a header spanning columns names each of them
            table.headers[first + 1:first + table.header_span] = [table.headers[first]] * (table.header_span - 1)
            table.header_cell = None
        elif tag == "thead":
            table.part = "tbody"  # rows after the head without a <tbody> are body rows

    def handle_data(self, data: str) -> None:
        if self._tables and self._tables[-1].header_cell is not None:
            table = self._tables[-1]
            table.headers[table.header_cell] += data


class _Table:
    """One open table: its header texts and where the parser is in it."""

    def __init__(self, start: tuple[int, int]) -> None:
        self.start = start  # line and column of its "<table"
        self.headers: list[str] = []
        self.part = "tbody"
        self.column = 0
        self.header_cell: int | None = None
        self.header_span = 1

    def label_for(self, column: int) -> str:
        if column >= len(self.headers):
            return ""
        return " ".join(self.headers[column].split())


def _span(attrs: list[tuple[str, str | None]]) -> int:
    value = dict(attrs).get("colspan") or "1"
    return int(value) if value.isdigit() and int(value) > 0 else 1
