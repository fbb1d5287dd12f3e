"""Sanitising HTML that people wrote (Markdown cells, commentary) before it reaches a client.

Only a small set of formatting tags survives; scripts, event handlers, styles
and ``javascript:`` links are removed (nh3, the Rust ammonia sanitiser).
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "hr", "i",
    "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"https", "http", "mailto"}


def sanitize_markdown_html(html: str) -> str:
    """``html`` with only formatting tags and safe links left."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")
