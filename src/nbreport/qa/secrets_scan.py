"""Credentials in what a client receives, found by Yelp's detect-secrets plugins.

The rules are detect-secrets' own (maintained upstream, one plugin per kind of credential:
AWS, JWT, private keys, Slack, Stripe, GitHub, GitLab, Twilio, SendGrid, OpenAI...), run
here without its file scanning, network verification or baseline: each plugin's patterns on
the page's text, attribute values and comments. Two of its plugins are left out because a
report is full of what they flag: the high-entropy strings (hashes, encoded images) and
public IP addresses. Its keyword plugin (``password = ...``, ``aws_secret_access_key=...``)
reads each line of visible text with the rules for configuration files, where values need
no quotes, and drops what its own heuristics call placeholders ("${PASSWORD}", "xxxx").

detect-secrets has no rule for Google API keys; :data:`SUPPLEMENTARY` adds gitleaks' one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

EXCLUDED = frozenset({"Base64 High Entropy String", "Hex High Entropy String", "Public IP (ipv4)",
                      "Secret Keyword"})
KEYWORD = "Secret Keyword"
SUPPLEMENTARY = {"Google API Key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")}  # gitleaks: gcp-api-key
# the keyword rules all need one of these words in the line they read
_KEYWORD_WORDS = ("pass", "pwd", "secret", "key", "token", "auth", "cred")
MIN_KEYWORD_VALUE = 6  # "pwd: 1234" in prose is no credential


def detected_kinds() -> list[str]:
    """Every kind of credential this scan looks for (plugin names, as detect-secrets calls them)."""
    return [*(name for name, _ in _plugins()), KEYWORD, *SUPPLEMENTARY]


def credential_kinds(strings: list[str]) -> list[str]:
    """The kinds of credential found in any of ``strings`` (never the values)."""
    # One search of all the strings at once per plugin first: a page has thousands of
    # strings and almost never a credential, and calling each plugin on each string costs
    # most of the QA gate's time. Only a plugin whose patterns match somewhere is asked,
    # string by string, what its own rules (and checks beyond the patterns) find.
    joined = "\n".join(strings)
    found = [name for name, plugin in _plugins()
             if _may_match(name, joined)
             and any(any(True for _ in plugin.analyze_string(text)) for text in strings)]
    if any(any(True for _ in _keyword_values(text)) for text in strings):
        found.append(KEYWORD)
    found += [name for name, pattern in SUPPLEMENTARY.items()
              if any(pattern.search(text) for text in strings)]
    return found


@functools.cache
def _plugins() -> tuple[tuple[str, Any], ...]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    mapping = get_mapping_from_secret_type_to_class()
    return tuple((name, plugin()) for name, plugin in sorted(mapping.items()) if name not in EXCLUDED)


def _may_match(name: str, joined: str) -> bool:
    """Whether any of plugin ``name``'s patterns matches ``joined`` (the strings, one per line).

    Every match within one string is a match here too: the line breaks between the strings
    are not word characters (so ``\\b``, ``\\W`` and ``(?!\\w)`` hold at them as at a string's
    ends), and the patterns are searched in multi-line mode (so ``^`` and ``$`` hold there as
    well). A plugin with no pattern list, or one anchored with ``\\A`` or ``\\Z``, is always asked.
    """
    patterns = _line_patterns()[name]
    return patterns is None or any(pattern.search(joined) for pattern in patterns)


@functools.cache
def _line_patterns() -> dict[str, tuple[re.Pattern[str], ...] | None]:
    """Each plugin's patterns in multi-line mode (None: the plugin is always asked)."""
    return {name: _multi_line(plugin) for name, plugin in _plugins()}


def _multi_line(plugin: Any) -> tuple[re.Pattern[str], ...] | None:
    denylist = list(getattr(plugin, "denylist", None) or ())
    if not denylist or not all(isinstance(p, re.Pattern) for p in denylist) or any(
            r"\A" in p.pattern or r"\Z" in p.pattern for p in denylist):
        return None
    return tuple(re.compile(p.pattern, p.flags | re.MULTILINE) for p in denylist)


@functools.cache
def _keyword() -> tuple[Any, Any]:
    from detect_secrets.plugins.keyword import REGEX_BY_FILETYPE, KeywordDetector
    from detect_secrets.util.filetype import FileType

    return KeywordDetector(), REGEX_BY_FILETYPE[FileType.YAML]


def _keyword_values(text: str) -> Iterator[str]:
    from detect_secrets.filters import heuristic

    detector, rules = _keyword()
    lowered = text.lower()
    if not any(word in lowered for word in _KEYWORD_WORDS):
        return  # the keyword rules all need one of these words; most reports hold none
    for line in text.splitlines():
        low_line = line.lower()
        if not any(word in low_line for word in _KEYWORD_WORDS):
            continue  # as for the whole text above, line by line: the rules read one line
        for value in detector.analyze_string(line, denylist_regex_to_group=rules):
            value = value.strip().strip("\"'")
            if len(value) < MIN_KEYWORD_VALUE or any(placeholder(value) for placeholder in (
                    heuristic.is_sequential_string, heuristic.is_potential_uuid,
                    heuristic.is_templated_secret, heuristic.is_prefixed_with_dollar_sign,
                    heuristic.is_not_alphanumeric_string)):
                continue
            yield value
