"""Helpers for the schedule tests: a client's ``schedule:`` block rewritten in a copied project."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nbreport.settings import Settings


def _without_schedule(text: str) -> str:
    """``text`` less its top-level ``schedule:`` key and the indented lines under it."""
    kept, inside = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("schedule:"):
            inside = True
        elif inside and line.strip() and not line.startswith((" ", "#")):
            inside = False
        if not inside:
            kept.append(line)
    return "".join(kept)


def set_schedule(settings: Settings, client_id: str, block: str | None) -> None:
    """Replace the ``schedule:`` block of ``params/<client_id>.yaml`` with ``block`` (YAML text
    starting with ``schedule:``), or remove it (``None``)."""
    path = settings.params_dir / f"{client_id}.yaml"
    text = _without_schedule(path.read_text(encoding="utf-8"))
    if block is not None:
        text = text.rstrip("\n") + "\n\n" + block.strip("\n") + "\n"
    path.write_text(text, encoding="utf-8")


def only_scheduled(settings: Settings, blocks: dict[str, str]) -> None:
    """Give the clients of ``blocks`` those schedules and every other client none."""
    for path in settings.params_dir.glob("*.yaml"):
        if not path.name.startswith("_"):
            set_schedule(settings, path.stem, blocks.get(path.stem))


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
