"""What a client reads in a report, word by word, and which words are the client's own data.

Used by the language tests: a report rendered in another language may show a client's own
data (campaign names, the analyst's commentary, the params' labels) in whatever language it
was written, but no fixed text of nbreport's in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from babel import Locale
from bs4 import BeautifulSoup

WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# Neither words nor messages: version strings, hashes, times and their zone, file types
_NOT_WORDS = re.compile(r"\S*\d\S*|\bUTC\b|\bnbreport\b|\S+@\S+")


def words_of(text: str) -> list[str]:
    """The words of ``text``, leaving out tokens with digits (hashes, ids), e-mail addresses,
    ``UTC`` and the product's own name."""
    return WORD.findall(_NOT_WORDS.sub(" ", text))
_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


def visible_texts(html: str) -> list[str]:
    """Every text node and every text attribute a person (or a screen reader) meets: the
    text nodes in document order (a message may span several, around its markup), then the
    attributes and the page title."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text() if soup.title else None
    for hidden in soup(["script", "style", "template", "head"]):
        hidden.decompose()
    texts = [text.strip() for text in soup.find_all(string=True) if text.strip()]
    for tag in soup.find_all(True):
        texts.extend(str(tag[name]).strip() for name in _ATTRIBUTES if tag.has_attr(name))
    return texts + ([title] if title else [])


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def data_words(project: Path, client_id: str, period: str, report_dir: Path) -> set[str]:
    """Words that are the client's own: its params' values (and the agency's defaults), the
    text in its rows (campaigns, channels, comments), its analyst's commentary, the names of
    the tools its exports come from."""
    from nbreport.sources.presets import PRESETS

    texts: list[str] = [preset.tool for preset in PRESETS.values()]  # tool names: "Meta Ads Manager"
    for name in (client_id, "_defaults"):  # the client's params and the agency's defaults
        params = yaml.safe_load((project / "params" / f"{name}.yaml").read_text(encoding="utf-8"))
        texts.extend(_strings(params))
    for rows in report_dir.glob("rows-*.parquet"):
        frame = pd.read_parquet(rows)
        texts.extend(str(name) for name in frame.columns)
        for column in frame.select_dtypes(include=["object", "string", "category"]).columns:
            texts.extend(str(value) for value in frame[column].dropna().unique())
    for commentary in (project / "commentary" / client_id).glob("*"):
        texts.append(commentary.read_text(encoding="utf-8"))
    return {word.lower() for text in texts for word in WORD.findall(text)}


def calendar_words(*locales: str) -> set[str]:
    """Month and weekday names, wide and abbreviated, as Babel writes them in ``locales``."""
    words: set[str] = set()
    for name in locales:
        locale = Locale.parse(name)
        for names in (locale.months, locale.days):
            for width in ("wide", "abbreviated"):
                for context in ("format", "stand-alone"):
                    for value in names.get(context, {}).get(width, {}).values():
                        words.update(word.lower() for word in WORD.findall(value))
    return words
