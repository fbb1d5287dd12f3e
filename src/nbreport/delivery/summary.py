"""What the e-mail says about the report: its headline tiles and the executive summary's sentences.

Both are read from what was produced, never computed again: the tiles from the period's
``manifest.json`` (``summary.headline``: label, value, change, status, as the report shows
them, formatted in the client's locale) and the sentences from the report itself (the
approved executive-summary commentary, else the summary's lede line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup

MAX_SENTENCES = 3
MAX_TILES = 6
# A sentence ends at . ! ? followed by a space and a capital, a digit or a quote; "3.5x" and
# "e.g. the" do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\u00c0-\u00de\"'\u201c\u2018])")


@dataclass(frozen=True)
class Tile:
    """One headline number as the report shows it."""

    label: str
    value: str
    change: str
    arrow: str
    trend: str  # good / bad / flat
    status: str  # green / amber / red / none
    status_word: str


@dataclass(frozen=True)
class MailSummary:
    """The report's first screen, for the body of the e-mail."""

    tiles: list[Tile] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    compared: str = ""  # "vs September 2026", as the report's tiles say it


def mail_summary(entry: dict[str, Any], report_html: str) -> MailSummary:
    """The summary of one client's report from its manifest entry and its HTML."""
    soup = BeautifulSoup(report_html, "html.parser")
    headline = (entry.get("summary") or {}).get("headline") or []
    return MailSummary(tiles=[_tile(item) for item in headline[:MAX_TILES]],
                       sentences=summary_sentences(soup), compared=_compared(soup))


def summary_sentences(soup: BeautifulSoup) -> list[str]:
    """The first three sentences of the executive summary's commentary (the lede line when the
    report has none), as plain text."""
    block = (soup.select_one('.nbr-commentary[data-section="executive-summary"]')
             or soup.select_one("#section-executive-summary .nbr-commentary")
             or soup.select_one(".nbr-lede"))
    if block is None:
        return []
    text = " ".join(block.get_text(" ").split())
    text = re.sub(r"\s+([,.;:!?%)])", r"\1", text)  # "$582,046 , up" from inline spans
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()][:MAX_SENTENCES]


def _compared(soup: BeautifulSoup) -> str:
    muted = soup.select_one(".nbr-tiles .nbr-change .nbr-muted")
    return " ".join(muted.get_text(" ").split()) if muted else ""


def _tile(item: dict[str, Any]) -> Tile:
    return Tile(label=str(item.get("label", "")), value=str(item.get("value", "")),
                change=str(item.get("change", "")), arrow=str(item.get("arrow") or ""),
                trend=str(item.get("trend") or "flat"), status=str(item.get("status") or "none"),
                status_word=str(item.get("status_word") or ""))
