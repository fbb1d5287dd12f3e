"""Reading YAML params files without YAML's surprises.

* Duplicate keys are errors (PyYAML silently keeps the last one).
* Dates stay text: the schema parses them, so ``2026-10`` and ``2026-10-01``
  are never turned into something else behind the user's back.
* Only ``true``/``false`` are booleans: ``NO`` (Norway) stays the string "NO".
* Every key's line number is kept, so errors can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nbreport.core.errors import ParamsError, ParamsIssue

Loc = tuple[str | int, ...]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG_BOOL = "tag:yaml.org,2002:bool"
_TAG_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_TAG_MERGE = "tag:yaml.org,2002:merge"


@dataclass
class YamlDocument:
    """A parsed YAML mapping with the line of every key."""

    data: dict[str, Any]
    source: str
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """Line of the deepest key of ``loc`` present in this document."""
        for depth in range(len(loc), 0, -1):
            if (line := self.lines.get(loc[:depth])) is not None:
                return line
        return None

    def has(self, loc: Loc) -> bool:
        node: Any = self.data
        for part in loc:
            if isinstance(part, int) and isinstance(node, list) and part < len(node):
                node = node[part]
            elif isinstance(part, str) and isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return False
        return True


def read_yaml(path: Path, display_name: str) -> YamlDocument:
    """Read a YAML file that must hold a mapping; errors name ``display_name``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParamsError(display_name, [ParamsIssue("(file)", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise ParamsError(display_name, [ParamsIssue(
            "(file)", f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8")]) from None
    return parse_yaml(text, display_name)


def parse_yaml(text: str, display_name: str) -> YamlDocument:
    """Parse YAML text that must hold a mapping (or nothing)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ParamsError(display_name, [ParamsIssue(
            "(syntax)", f"not valid YAML: {problem}",
            line=mark.line + 1 if mark else None, source=display_name)]) from None
    document = YamlDocument({}, display_name)
    if node is None:
        return document
    if not isinstance(node, yaml.MappingNode):
        raise ParamsError(display_name, [ParamsIssue(
            "(top level)", "expected a mapping of keys such as 'client:' and 'period:'",
            line=node.start_mark.line + 1, source=display_name)])
    document.data = _build(node, (), document, _Loader(""))
    return document


def _build(node: yaml.Node, loc: Loc, document: YamlDocument, loader: Any) -> Any:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves '<<: *anchor' merges
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node))
            key_loc = (*loc, key)
            if key in result:
                first = document.lines.get(key_loc)
                raise ParamsError(document.source, [ParamsIssue(
                    dotted_key(key_loc), f"duplicate key (first given on line {first}); keep one",
                    line=key_node.start_mark.line + 1, source=document.source)])
            document.lines[key_loc] = key_node.start_mark.line + 1
            result[key] = _build(value_node, key_loc, document, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            document.lines[(*loc, index)] = item.start_mark.line + 1
            items.append(_build(item, (*loc, index), document, loader))
        return items
    return _scalar(node, loader)


def _scalar(node: yaml.ScalarNode, loader: Any) -> Any:
    if node.tag == _TAG_TIMESTAMP:
        return node.value
    if node.tag == _TAG_BOOL and node.value.lower() not in ("true", "false"):
        return node.value  # YAML 1.1's yes/no/on/off stay words
    return loader.construct_object(node)


def dotted_key(loc: Loc) -> str:
    """``('kpis', 2, 'target')`` -> ``kpis[2].target``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"

