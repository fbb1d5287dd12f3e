"""The master notebook's own words (its Markdown headings and paragraphs) in the client's language.

Each Markdown cell is cut into blocks (a heading, or a paragraph: lines up to a blank line);
each block is one message, its lines joined by spaces. Babel extracts them with
:func:`extract_notebook_text` (``babel.cfg``) and the export translates a cell with
:func:`translate_markdown`. Cells an analyst never shows a client (``remove-cell``) are skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

from nbreport.i18n import _

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
SKIPPED_TAGS = frozenset({"remove-cell", "parameters", "injected-parameters"})


def markdown_blocks(source: str) -> list[tuple[str, str]]:
    """``(prefix, text)`` per block: ``("## ", "Trends")`` or ``("", "One paragraph...")``."""
    blocks: list[tuple[str, str]] = []
    for chunk in re.split(r"\n\s*\n", source.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        heading = _HEADING.match(lines[0])
        if heading and len(lines) == 1:
            blocks.append((heading[1] + " ", heading[2]))
        else:
            blocks.append(("", " ".join(lines)))
    return blocks


def translate_markdown(source: str) -> str:
    """The Markdown cell ``source`` with each block in the language in use."""
    return "\n\n".join(prefix + _(text) for prefix, text in markdown_blocks(source))


def heading_source(source: str) -> dict[str, str]:
    """Translated heading text -> the heading as written, for anchors that stay the same in
    every language."""
    return {_(text): text for prefix, text in markdown_blocks(source) if prefix}


def extract_notebook_text(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                          options: Any) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extractor: every block of the notebook's client-visible Markdown cells."""
    notebook = json.load(fileobj)
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.get("cell_type") != "markdown" or tags & SKIPPED_TAGS:
            continue
        source = "".join(cell.get("source", ""))
        for _prefix, text in markdown_blocks(source):
            yield number, None, text, [f"master notebook, cell {number}"]
