"""``--set KEY=VALUE``: one run's overrides of a client's parameters.

A key is a path of mapping keys and list items: ``budget.amount``, ``kpis.0.target`` or
``kpis[0].target``, ``sources[1].path``. The value is read as YAML (``5`` is a number,
``[a, b]`` a list). Overrides are applied one by one onto the merged params files, so a list
item can be changed without repeating the list; an item that does not exist, a list index on
a mapping or a key on a list is an error naming the key.
"""

from __future__ import annotations

import re
from typing import Any

from nbreport.core.errors import ConfigError, ParamsError
from nbreport.core.yamlfile import Loc, YamlDocument, dotted_key, parse_yaml

COMMAND_LINE = "command line"

_OVERRIDE = re.compile(r"^(?P<key>[A-Za-z_][^=]*)=(?P<value>.*)$", re.S)
_PART = re.compile(r"^(?P<name>[A-Za-z_][\w-]*|\d+)?(?P<indices>(?:\[\d+\])*)$")


class ListIndex(int):
    """A list item's number written in brackets (``kpis[0]``): it must index a list."""


def parse_override(text: str) -> tuple[str, Any]:
    """``budget.amount=30000`` -> ``("budget.amount", 30000)``; the value is read as YAML.

    Raises
    ------
    ConfigError
        When ``text`` is not ``KEY=VALUE`` or the key is no path of names and item numbers.
    """
    match = _OVERRIDE.match(text.strip())
    if not match:
        raise ConfigError(f"--set expects KEY=VALUE such as budget.amount=30000, got '{text}'")
    key = match["key"].strip()
    parse_key(key)  # a malformed key fails here, before any file is read
    try:
        value = parse_yaml(f"value: {match['value']}", COMMAND_LINE).data.get("value")
    except ParamsError:
        value = match["value"]  # not YAML (e.g. "Q3 review: final"): take the text as it is
    return key, value


def parse_key(key: str) -> Loc:
    """``kpis.0.target`` and ``kpis[0].target`` -> ``('kpis', 0, 'target')``.

    A bracketed number is a :class:`ListIndex`; a dotted number is an item's number under a
    list and a key under a mapping (a campaign named 2024).
    """
    loc: list[str | int] = []
    for part in key.split("."):
        match = _PART.match(part)
        if not part or not match or not (match["name"] or match["indices"]):
            raise ConfigError(
                f"--set {key}: '{part}' is not a key or an item's number; write keys joined by "
                "dots and list items as [N] counted from 0, e.g. kpis[0].target or "
                "sources[1].path")
        name = match["name"]
        if name:
            loc.append(int(name) if name.isdigit() and loc else name)
        loc.extend(ListIndex(index) for index in re.findall(r"\[(\d+)\]", match["indices"]))
    if isinstance(loc[0], int):
        raise ConfigError(f"--set {key}: a key starts with a name, e.g. kpis[0].target")
    return tuple(loc)


class CommandLine(YamlDocument):
    """The ``--set`` overrides of one run, applied one by one onto the merged files."""

    def __init__(self, overrides: dict[str, Any]) -> None:
        super().__init__({}, COMMAND_LINE)
        self.assignments = [(key, parse_key(key), value) for key, value in overrides.items()]

    def has(self, loc: Loc) -> bool:
        return any(loc[:len(key)] == key for _, key, _ in self.assignments)

    def apply(self, data: dict[str, Any]) -> dict[str, Any]:
        for key, loc, value in self.assignments:
            data = assign(data, loc, value, key)
        return data


def assign(node: Any, loc: Loc, value: Any, key: str, done: Loc = ()) -> Any:
    """A copy of ``node`` with ``value`` at ``loc``; missing mappings on the way are created,
    list items must exist already. ``done``: the part of the key above ``node``."""
    if not loc:
        return value
    part, rest = loc[0], loc[1:]
    here = dotted_key(done) if done else "the params"
    if isinstance(node, list):
        return _assign_item(node, part, rest, value, key, done)
    if isinstance(part, ListIndex):
        raise ConfigError(f"--set {key}: {here} " + (
            "is not set in the params, so it has no item " if node is None else
            "is a mapping, not a list, so it has no item " if isinstance(node, dict) else
            f"holds a single value ({_short_repr(node)}), not a list, so it has no item ")
            + f"[{part}]" + (f"; set one of its keys: {', '.join(map(str, node))}"
                             if isinstance(node, dict) and node else ""))
    if node is None:
        node = {}
    if not isinstance(node, dict):
        raise ConfigError(f"--set {key}: {here} holds a single value ({_short_repr(node)}), "
                          f"so it has no '{part}'; set {here} itself")
    name = str(part)  # a digit under a mapping is a key (a campaign named 2024)
    return {**node, name: assign(node.get(name), rest, value, key, (*done, name))}


def _assign_item(node: list[Any], part: str | int, rest: Loc, value: Any, key: str,
                 done: Loc) -> list[Any]:
    here = dotted_key(done)
    if not isinstance(part, int):
        raise ConfigError(f"--set {key}: {here} is a list, so '{part}' must be an item's "
                          f"number, counted from 0 (e.g. {here}[0])")
    if part >= len(node):
        raise ConfigError(
            f"--set {key}: {here} holds {len(node)} item{'s' * (len(node) != 1)}, so there "
            f"is no item {part} (items are counted from 0" +
            (f": 0 to {len(node) - 1})" if node else ")") + "; add it in the params file")
    copy = list(node)
    copy[part] = assign(node[part], rest, value, key, (*done, part))
    return copy


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
