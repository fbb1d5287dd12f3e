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
MIN_KEYWORD_VALUE = 6  # "pwd: 1234" in prose is no credential


def detected_kinds() -> list[str]:
    """Every kind of credential this scan looks for (plugin names, as detect-secrets calls them)."""
    return [*(name for name, _ in _plugins()), KEYWORD, *SUPPLEMENTARY]


def credential_kinds(strings: list[str]) -> list[str]:
    """The kinds of credential found in any of ``strings`` (never the values)."""
    found = [name for name, plugin in _plugins()
             if any(any(True for _ in plugin.analyze_string(text)) for text in strings)]
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


@functools.cache
def _keyword() -> tuple[Any, Any]:
    from detect_secrets.plugins.keyword import REGEX_BY_FILETYPE, KeywordDetector
    from detect_secrets.util.filetype import FileType

    return KeywordDetector(), REGEX_BY_FILETYPE[FileType.YAML]


def _keyword_values(text: str) -> Iterator[str]:
    from detect_secrets.filters import heuristic

    detector, rules = _keyword()
    lowered = text.lower()
    if not any(word in lowered for word in ("pass", "pwd", "secret", "key", "token", "auth", "cred")):
        return  # the keyword rules all need one of these words; most reports hold none
    for line in text.splitlines():
        for value in detector.analyze_string(line, denylist_regex_to_group=rules):
            value = value.strip().strip("\"'")
            if len(value) < MIN_KEYWORD_VALUE or any(placeholder(value) for placeholder in (
                    heuristic.is_sequential_string, heuristic.is_potential_uuid,
                    heuristic.is_templated_secret, heuristic.is_prefixed_with_dollar_sign,
                    heuristic.is_not_alphanumeric_string)):
                continue
            yield value
