"""A report's page as a browser reads it: elements and their attributes, text, comments, CSS.

The gate's checks on what a page *loads* read attributes and style sheets from here, not
the page's text: ``&lt;img src=https://...&gt;`` written in commentary is text a reader sees,
not an image a browser fetches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements that fetch what their attributes name, and those attributes.
LOADING_TAGS = frozenset({"img", "script", "link", "iframe", "frame", "source", "video", "audio",
                          "embed", "object", "track", "input", "image", "use", "picture"})
LOADING_ATTRIBUTES = frozenset({"src", "href", "data", "srcset", "poster", "background",
                                "xlink:href", "action", "formaction"})
_REMOTE = re.compile(r"^\s*(?:(?:https?|ftp|wss?):)?//", re.I)
_CSS_REMOTE = re.compile(r"url\(\s*[\"']?\s*(?:(?:https?|ftp):)?//|@import\b", re.I)


@dataclass
class Page:
    """What one HTML document holds, element by element."""

    attributes: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, name, value)
    texts: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)  # <style> elements and style attributes

    @classmethod
    def parse(cls, markup: str) -> Page:
        parser = _Collector()
        parser.feed(markup)
        parser.close()
        return parser.page

    def remote_resources(self) -> list[str]:
        """What the page would fetch from elsewhere: ``img src=https://...``, CSS ``url(//...)``."""
        found = [f"<{tag} {name}={value.strip()[:60]}>" for tag, name, value in self.attributes
                 if tag in LOADING_TAGS and name in LOADING_ATTRIBUTES and _loads_remote(name, value)]
        found += [f"{tag} {name}={value[:40]}" for tag, name, value in self.attributes
                  if tag == "meta" and name == "content" and "url=" in value.lower()
                  and _REMOTE.search(value.lower().split("url=", 1)[1])]
        found += [match.group(0) for css in self.styles if (match := _CSS_REMOTE.search(css))]
        return found

    def strings(self) -> list[str]:
        """What a page holds as text: its text, its attribute values (each once) and comments."""
        values = dict.fromkeys(value for _, _, value in self.attributes if value)
        return ["\n".join(self.texts), "\n".join(values), "\n".join(self.comments)]


def _loads_remote(name: str, value: str) -> bool:
    if name == "srcset":
        return any(_REMOTE.match(candidate) for candidate in value.split(","))
    return bool(_REMOTE.match(value))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_style = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.page.attributes.append((tag, name, value or ""))
            if name == "style" and value:
                self.page.styles.append(value)
        self._in_style += tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style -= tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._in_style:
            self._in_style -= 1

    def handle_data(self, data: str) -> None:
        (self.page.styles if self._in_style else self.page.texts).append(data)

    def handle_comment(self, data: str) -> None:
        self.page.comments.append(data)
