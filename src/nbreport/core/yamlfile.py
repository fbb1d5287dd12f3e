"""Reading YAML params files without YAML's surprises.

* Duplicate keys are errors (PyYAML silently keeps the last one).
* Dates stay text: the schema parses them, so ``2026-10`` and ``2026-10-01``
  are never turned into something else behind the user's back.
* Only ``true``/``false`` are booleans: ``NO`` (Norway) stays the string "NO".
* Every key's line number is kept, so errors can point at it.
* What a file may expand to is bounded (:class:`YamlLimits`): its size, how many aliases it
  uses, how many values they expand to and how deep it nests. A "billion laughs" file of a few
  hundred bytes is refused in a millisecond, naming the line and the limit, instead of growing
  to gigabytes.
"""

from __future__ import annotations

import os
import stat
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
# What a params file may hold: plain values. Any other tag (!!python/object, !!binary, a
# custom !tag) is refused rather than ignored or constructed.
PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in
                       ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge"))


@dataclass(frozen=True)
class YamlLimits:
    """What one YAML file may hold; a params file of a real client uses a small part of each.

    Attributes
    ----------
    max_bytes:
        Size of the file.
    max_aliases:
        Uses of an alias (``*name``) in the file.
    max_values:
        Keys, values and list items once every alias is expanded.
    max_depth:
        Mappings and lists nested in one another.
    """

    max_bytes: int = 1_000_000
    max_aliases: int = 1_000
    max_values: int = 100_000
    max_depth: int = 40


LIMITS = YamlLimits()


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


def read_yaml(path: Path, display_name: str, limits: YamlLimits = LIMITS) -> YamlDocument:
    """Read a YAML file that must hold a mapping; errors name ``display_name``."""
    try:
        text = _read_bounded(path, display_name, limits).decode("utf-8")
    except FileNotFoundError:
        raise ParamsError(display_name, [ParamsIssue("(file)", "file not found")]) from None
    except OSError as exc:
        raise ParamsError(display_name, [ParamsIssue(
            "(file)", f"cannot be read ({exc.strerror or exc}); check its permissions")]) from None
    except UnicodeDecodeError as exc:
        raise ParamsError(display_name, [ParamsIssue(
            "(file)", f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8")]) from None
    return parse_yaml(text, display_name, limits)


def _read_bounded(path: Path, display_name: str, limits: YamlLimits) -> bytes:
    """The bytes of a regular file of at most ``limits.max_bytes``; a pipe or a device (which
    may never end) and a file over the limit are refused before being read."""
    if not path.is_file():
        _refuse_special(path, display_name)
    with path.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > limits.max_bytes:
            raise _too_big(display_name, size, limits)
        data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _too_big(display_name, len(data), limits)
    return data


def _refuse_special(path: Path, display_name: str) -> None:
    mode = path.stat().st_mode  # FileNotFoundError for a missing file or a dangling symlink
    kind = "a folder" if stat.S_ISDIR(mode) else "a pipe, socket or device"
    raise ParamsError(display_name, [ParamsIssue(
        "(file)", f"is {kind}, not a regular file; a YAML file must be a plain text file")])


def _too_big(display_name: str, size: int, limits: YamlLimits) -> ParamsError:
    return ParamsError(display_name, [ParamsIssue(
        "(file)", f"holds {size:,} bytes or more; a YAML file may have at most "
        f"{limits.max_bytes:,} bytes (the limit); keep data in data files")])


def parse_yaml(text: str, display_name: str, limits: YamlLimits = LIMITS) -> YamlDocument:
    """Parse YAML text that must hold a mapping (or nothing), within ``limits``."""
    if len(text) > limits.max_bytes:
        raise _too_big(display_name, len(text), limits)
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
    check_expansion(node, display_name, limits)
    document.data = _build(node, (), document, _Loader(""))
    return document


def check_expansion(root: yaml.Node, display_name: str, limits: YamlLimits = LIMITS) -> None:
    """Refuse a document whose aliases would expand past ``limits`` (or loop), before it is built.

    The composed document is a graph: every use of an alias is the anchored node itself. Each
    node's expanded size is worked out once and reused, so this takes time in proportion to the
    file, not to what it would expand to.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    aliases = 0

    def refuse(node: yaml.Node, key: str, message: str) -> ParamsError:
        return ParamsError(display_name, [ParamsIssue(
            key, message, line=node.start_mark.line + 1, source=display_name)])

    def size(node: yaml.Node, depth: int) -> int:
        nonlocal aliases
        if id(node) in open_nodes:
            raise refuse(node, "(aliases)", "an alias refers to the mapping or list that holds it "
                         "(a loop); write the values out instead")
        if id(node) in sizes:
            aliases += 1
            if aliases > limits.max_aliases:
                raise refuse(node, "(aliases)", f"more than {limits.max_aliases:,} uses of aliases "
                             "(*name) in one file (the limit); write the values out instead")
            return sizes[id(node)]
        if node.tag not in PLAIN_TAGS:
            raise refuse(node, "(tags)", f"the tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' "
                         "is not allowed: a params file holds plain values; remove the tag")
        if depth > limits.max_depth:
            raise refuse(node, "(nesting)", f"nested more than {limits.max_depth} levels deep "
                         "(the limit); a params file needs a few levels")
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        open_nodes.add(id(node))
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > limits.max_values:
                raise refuse(node, "(aliases)", f"expands to more than {limits.max_values:,} "
                             "values through its aliases (*name) (the limit); "
                             "write the values out once instead of nesting aliases")
        open_nodes.discard(id(node))
        sizes[id(node)] = total
        return total

    size(root, 0)


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

