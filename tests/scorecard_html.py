"""Reading the KPI scorecard out of a report's HTML, the way a client reads the table.

All knowledge of the scorecard's markup lives here, so that a change of the template means a
change of this module only. A row is found by its KPI label (the row header); its cells are
named by role from the column headers:

``actual``     the "Actual" column
``target``, ``attainment``, ``status``
``change``     the change on the previous period ("Change")
``yoy``        the change on last year ("vs last year")
``last_year``  a last-year value column (a header naming last year that is not a change)
``previous``   the previous period's value: the one column whose header is not one of the
               above (it is the previous period's name, e.g. "September 2026")
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

_FIXED_ROLES = (
    ("kpi", re.compile(r"^kpi$", re.IGNORECASE)),
    ("actual", re.compile(r"^actual", re.IGNORECASE)),
    ("target", re.compile(r"^target", re.IGNORECASE)),
    ("attainment", re.compile(r"^attainment", re.IGNORECASE)),
    ("status", re.compile(r"^status", re.IGNORECASE)),
    ("change", re.compile(r"^change(?! on last year)", re.IGNORECASE)),
    ("yoy", re.compile(r"^(vs\.? last year|change on last year|year[- ]on[- ]year)",
                       re.IGNORECASE)),
    ("last_year", re.compile(r"last year|year ago|^same period", re.IGNORECASE)),
)


@dataclass(frozen=True)
class Scorecard:
    """The scorecard table: its caption, the header of each role and each KPI row's cells."""

    caption: str
    headers: dict[str, str]  # role -> header text
    rows: dict[str, dict[str, str]]  # KPI label -> role -> cell text

    def cell(self, label: str, role: str) -> str | None:
        """The text of a KPI's cell, ``None`` when the table has no such column."""
        return self.rows[label].get(role)


def _text(node: Tag) -> str:
    """The text shown, runs of layout whitespace collapsed; no-break spaces kept as they are
    (they are part of how a locale writes a number)."""
    return re.sub(r"[ \t\r\n]+", " ", node.get_text(" ")).strip(" \t\r\n")


def _role(header: str) -> str:
    for role, pattern in _FIXED_ROLES:
        if pattern.search(header):
            return role
    return "previous"


def _table(soup: BeautifulSoup) -> Tag:
    table = soup.select_one("table.nbr-scorecard")
    if table is None:  # a renamed class: the table whose caption presents the KPIs
        table = next((t for t in soup.select("table") if t.caption
                      and _text(t.caption).lower().startswith("kpis for")), None)
    assert table is not None, "no KPI scorecard table in the report"
    return table


def read_scorecard(html: str) -> Scorecard:
    """The scorecard of a report, cells as displayed (whitespace collapsed)."""
    table = _table(BeautifulSoup(html, "html.parser"))
    header_cells = table.select("thead tr th") or table.select("tr")[0].find_all(["th", "td"])
    names = [_text(cell) for cell in header_cells]
    roles = [_role(name) for name in names]
    rows: dict[str, dict[str, str]] = {}
    for tr in table.select("tbody tr"):
        cells = tr.find_all(["th", "td"], recursive=False)
        values = {role: _text(cell) for role, cell in zip(roles, cells, strict=False)}
        values.pop("kpi", None)
        rows[_text(cells[0])] = values  # the row header: the KPI's label
    caption = _text(table.caption) if table.caption else ""
    return Scorecard(caption, dict(zip(roles, names, strict=True)), rows)
