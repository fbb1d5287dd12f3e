"""Put a report's sections in the order its plan says and drop those it leaves out.

The master notebook holds every section of the outline in the outline's order: a Markdown
heading (``##`` a section, ``###`` a part of one), then the cells that display it. The run
summary (the notebook's last output) says which sections this client's report shows and in
what order (``sections.shown``, :mod:`nbreport.report.plan`); here the cells are grouped by
the heading above them and put in that order before the client view is made
(:mod:`nbreport.render.export`). A notebook without that record (one run by hand on an older
nbreport) keeps its cells as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from nbreport.protocol import SUMMARY_MIME
from nbreport.report.outline import OUTLINE

_HEADING = re.compile(r"^(#{2,3})[ \t]+(.+?)[ \t]*$", re.M)
_ID_OF_TITLE = {section.title: section.id for section in OUTLINE}
PREAMBLE = ""  # the cells before the first section's heading (the cover's, the setup's)


def shown_sections(cells: Sequence[Any]) -> list[str] | None:
    """The ids of the sections the run summary says the report shows, in order (``None``:
    the notebook records no plan)."""
    for cell in reversed(cells):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            summary = output.get("data", {}).get(SUMMARY_MIME)
            if isinstance(summary, dict) and isinstance(summary.get("sections"), dict):
                shown = summary["sections"].get("shown")
                return [str(s) for s in shown] if isinstance(shown, list) else None
    return None


def arrange_sections(cells: Sequence[Any]) -> list[Any]:
    """``cells`` in the planned order of their sections, without the sections left out."""
    shown = shown_sections(cells)
    if shown is None:
        return list(cells)
    groups = _groups(cells)
    arranged = list(groups.pop(PREAMBLE, []))
    for section_id in shown:
        arranged += groups.get(section_id, [])
    return arranged


def _groups(cells: Sequence[Any]) -> dict[str, list[Any]]:
    """Cells by the section whose heading they follow; a heading outside the outline belongs
    to the section above it."""
    groups: dict[str, list[Any]] = {PREAMBLE: []}
    current = PREAMBLE
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            section_id = _section_of(cell.get("source", ""))
            if section_id is not None:
                current = section_id
        groups.setdefault(current, []).append(cell)
    return groups


def _section_of(source: str) -> str | None:
    match = _HEADING.search(source)
    return _ID_OF_TITLE.get(match[2]) if match else None
