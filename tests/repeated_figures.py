"""Find a figure shown twice in a report's client body: two tables sharing a column of the
same values (the issue's "each figure appears once").

The client body is everything outside the appendix (``#appendix``, the closed
``<details>`` of methods, data quality, provenance and the detail tables). A table's columns are read as row name -> shown text, the row name being each
body row's first cell; two columns of different tables repeat each other when they share
at least :data:`MIN_SHARED_ROWS` row names and show the same text on each of them. Only
columns of figures (text with a digit) count: row names and words such as statuses may
repeat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from bs4 import BeautifulSoup, Tag

MIN_SHARED_ROWS = 2
APPENDIX = "#appendix"


@dataclass(frozen=True)
class Column:
    table: str  # the table's caption, or its position when it has none
    header: str
    values: dict[str, str]  # row name -> text shown


@dataclass(frozen=True)
class Repeat:
    first: Column
    second: Column
    rows: tuple[str, ...]

    def __str__(self) -> str:
        return (f"{self.first.table!r} column {self.first.header!r} repeats "
                f"{self.second.table!r} column {self.second.header!r} on rows {list(self.rows)}")


def client_tables(html: str) -> list[Tag]:
    """The report's tables outside its appendix."""
    soup = BeautifulSoup(html, "html.parser")
    inside = {id(table) for appendix in soup.select(APPENDIX) for table in appendix.find_all("table")}
    return [table for table in soup.find_all("table") if id(table) not in inside]


def columns(table: Tag, name: str) -> list[Column]:
    """The figure columns of one table (the first column names the rows)."""
    headers = [" ".join(th.get_text(" ").split()) for th in table.select("thead th")]
    found: dict[int, dict[str, str]] = {}
    for row in table.select("tbody tr"):
        cells = row.find_all(["th", "td"], recursive=False)
        if len(cells) < 2:
            continue
        row_name = " ".join(cells[0].get_text(" ").split())
        for position, cell in enumerate(cells[1:], start=1):
            text = " ".join(cell.get_text(" ").split())
            if re.search(r"\d", text):
                found.setdefault(position, {})[row_name] = text
    return [Column(name, headers[position] if position < len(headers) else f"column {position + 1}",
                   values) for position, values in found.items()]


def repeated_columns(html: str) -> list[Repeat]:
    """Every pair of client-body columns, in different tables, that show the same figures."""
    tables = []
    for position, table in enumerate(client_tables(html)):
        caption = table.find("caption")
        name = " ".join(caption.get_text(" ").split())[:80] if caption else f"table {position + 1}"
        tables.append(columns(table, name))
    repeats = []
    for left, right in combinations(tables, 2):
        for first in left:
            for second in right:
                shared = tuple(row for row in first.values if row in second.values)
                if len(shared) >= MIN_SHARED_ROWS and all(
                        first.values[row] == second.values[row] for row in shared):
                    repeats.append(Repeat(first, second, shared))
    return repeats
