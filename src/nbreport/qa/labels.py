"""One label, one number: reading a report's figures as label -> value.

Every figure a section displays is marked by the ``figure`` macro of
``report/templates/_blocks.html.j2``::

    <data class="nbr-figure" value="612345.67" data-label="Revenue"
          data-period="October 2026">$612,346</data>

A figure is known by its label (with its segment, "Ad spend | Paid Search") and its period.
Two figures with the same label and period disagree when both carry a number and the numbers
differ (beyond floating-point noise), or when one of them carries none (``value=""``: a
range, "n/a", "no data") and the texts the reader sees differ. A report in which one label
carries two values tells its client two things under one name.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser

REL_TOLERANCE = 1e-9  # sums added in another order differ in the last bits, not more


@dataclass(frozen=True)
class Figure:
    """One displayed figure: what it is, the period it covers, its number and its text."""

    label: str
    period: str
    value: str
    shown: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.label, self.period)

    @property
    def number(self) -> float | None:
        try:
            number = float(self.value)
        except ValueError:
            return None
        return None if math.isnan(number) else number

    def agrees_with(self, other: Figure) -> bool:
        """Same number (both numbers), else the same text."""
        if self.number is not None and other.number is not None:
            return math.isclose(self.number, other.number, rel_tol=REL_TOLERANCE, abs_tol=1e-9)
        return self.shown == other.shown


class _FigureParser(HTMLParser):
    """Collects every ``<data data-label=...>`` element with the text inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: list[Figure] = []
        self._open: list[dict[str, str]] = []  # data elements being read (they do not nest)
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "data":
            attributes = {name: value or "" for name, value in attrs}
            if "data-label" in attributes:
                self._open.append(attributes)
                self._text = []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "data" and self._open:
            attributes = self._open.pop()
            shown = " ".join("".join(self._text).split())
            self.figures.append(Figure(attributes["data-label"], attributes.get("data-period", ""),
                                       attributes.get("value", ""), shown))


def figures(html: str) -> list[Figure]:
    """Every marked figure of a report, in document order."""
    parser = _FigureParser()
    parser.feed(html)
    parser.close()
    return parser.figures


def conflicting_labels(html: str) -> dict[tuple[str, str], list[Figure]]:
    """Every (label, period) that carries two or more different values, with one figure per
    distinct value (in document order)."""
    seen: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for figure in figures(html):
        distinct = seen[figure.key]
        if not any(figure.agrees_with(other) for other in distinct):
            distinct.append(figure)
    return {key: found for key, found in seen.items() if len(found) > 1}


def describe(conflicts: dict[tuple[str, str], list[Figure]], limit: int = 3) -> str:
    """``'Revenue' (October 2026): $612,346 / $598,001`` for the first ``limit`` conflicts."""
    parts = [f"'{label}'{f' ({period})' if period else ''}: "
             + " / ".join(figure.shown for figure in found)
             for (label, period), found in list(conflicts.items())[:limit]]
    more = len(conflicts) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
