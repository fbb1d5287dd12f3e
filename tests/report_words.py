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
_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


def visible_texts(html: str) -> list[str]:
    """Every text node and every text attribute a person (or a screen reader) meets."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template", "head"]):
        hidden.decompose()
    texts = [text.strip() for text in soup.find_all(string=True) if text.strip()]
    for tag in soup.find_all(True):
        texts.extend(str(tag[name]).strip() for name in _ATTRIBUTES if tag.has_attr(name))
    title = BeautifulSoup(html, "html.parser").title
    return texts + ([title.get_text()] if title else [])


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
    """Words that are the client's own: its params' values, the text in its rows (campaigns,
    channels, comments), its analyst's commentary, and file names."""
    texts: list[str] = []
    params = yaml.safe_load((project / "params" / f"{client_id}.yaml").read_text(encoding="utf-8"))
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
