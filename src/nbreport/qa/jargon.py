"""Plain language: no statistics, library or settings jargon in what a client reads.

The word list is ``jargon.yaml`` beside this module, each entry with the plain words to use.
A report's text is read section by section (cover, contents, each ``<section>``, footer);
the appendix (``<details id="appendix">``, "How this report was made") may name methods and
is not checked. Names that are the client's own data (a campaign called ``brand_search``:
the segments of the report's figures) are not jargon.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import resources

import yaml

APPENDIX_ID = "appendix"
CONTEXT_CHARS = 40
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Jargon:
    """One entry of the word list: what is matched, how it is named, what to write instead."""

    word: str
    plain: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class JargonHit:
    """One use of a jargon word: the entry, the part of the report, the words around it."""

    jargon: Jargon
    found: str
    where: str
    context: str

    def message(self) -> str:
        return (f"'{self.found}' in {self.where} (\u2026{self.context}\u2026): "
                f"write \"{self.jargon.plain}\" instead")


@functools.cache
def word_list() -> tuple[Jargon, ...]:
    """The entries of ``jargon.yaml``, compiled (a broken entry names its position)."""
    text = resources.files("nbreport.qa").joinpath("jargon.yaml").read_text(encoding="utf-8")
    entries = []
    for number, entry in enumerate(yaml.safe_load(text), start=1):
        if not isinstance(entry, dict) or not entry.get("word") or not entry.get("plain"):
            raise ValueError(f"nbreport/qa/jargon.yaml, entry {number}: needs `word` and `plain`")
        source = entry.get("pattern") or r"(?<![\w-])" + re.escape(entry["word"]) + r"(?![\w-])"
        flags = 0 if entry.get("pattern") else re.IGNORECASE
        entries.append(Jargon(entry["word"], entry["plain"], re.compile(source, flags)))
    return tuple(entries)


def find_jargon(html: str) -> list[JargonHit]:
    """Every jargon word in the client text of ``html`` (outside the appendix), in page order."""
    reader = _SectionText()
    reader.feed(html)
    reader.close()
    data_names = reader.segments
    hits = []
    for where, text in reader.parts:
        for jargon in word_list():
            for match in jargon.pattern.finditer(text):
                if match.group(0) in data_names:
                    continue
                hits.append(JargonHit(jargon, match.group(0), where, _around(text, match)))
    return hits


def describe(hits: list[JargonHit], limit: int = 5) -> str:
    shown = "; ".join(hit.message() for hit in hits[:limit])
    return shown + (f"; and {len(hits) - limit} more" if len(hits) > limit else "")


def _around(text: str, match: re.Match[str]) -> str:
    start, end = max(0, match.start() - CONTEXT_CHARS), match.end() + CONTEXT_CHARS
    return _SPACE.sub(" ", text[start:end]).strip()


class _SectionText(HTMLParser):
    """The page's text, part by part, without the appendix, style sheets and scripts."""

    PARTS = {"header": "the cover", "nav": "the contents", "footer": "the footer"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str]] = []
        self.segments: set[str] = set()
        self._where = "the page"
        self._skip = 0  # inside <style> or <script>
        self._appendix_depth = 0  # <details> levels open inside the appendix

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        label = named.get("data-label") or ""
        if " | " in label:
            self.segments.update(re.findall(r"\w+", label.split(" | ", 1)[1]))
        if self._appendix_depth:
            self._appendix_depth += tag == "details"
        elif tag == "details" and named.get("id") == APPENDIX_ID:
            self._appendix_depth = 1
        elif tag == "section" and (named.get("id") or "").startswith("section-"):
            self._where = f"section '{named['id'].removeprefix('section-')}'"
        elif tag in self.PARTS:
            self._where = self.PARTS[tag]
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        if self._appendix_depth and tag == "details":
            self._appendix_depth -= 1
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._skip or self._appendix_depth or not data.strip():
            return
        if self.parts and self.parts[-1][0] == self._where:
            self.parts[-1] = (self._where, self.parts[-1][1] + " " + data)
        else:
            self.parts.append((self._where, data))
