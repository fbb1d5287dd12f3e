"""Which export column each canonical column is read from.

The source's own ``mapping.rename`` entries come first and claim their export
columns; the preset's entries fill what is left; an export column already named
like a canonical one is read as that. A rename key written ``re:<pattern>``
matches header names by regular expression, and a group named ``currency`` in it
captures the currency from the header (``Amount spent (EUR)``).
"""

from __future__ import annotations

import re

from nbreport.core.errors import DataError
from nbreport.sources.canonical import Column
from nbreport.sources.mapping import REGEX_PREFIX, EffectiveMapping, targets
from nbreport.sources.presets import PRESETS
from nbreport.sources.spec import SourceSpec


def find_export_columns(spec: SourceSpec, mapping: EffectiveMapping, names: list[str],
                        columns: tuple[Column, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """canonical column -> export column, and values captured from header names.

    Raises
    ------
    DataError
        When the source's own renames map two export columns onto one canonical column.
    """
    chosen: dict[str, str] = {}
    captured: dict[str, str] = {}
    used_by_source: set[str] = set()
    for key, canonical, from_preset in mapping.rename:
        name, match = find_column(key, names)
        if name is None or (from_preset and name in used_by_source):
            continue
        for target in canonical:
            if target in chosen:
                if from_preset:
                    continue
                raise DataError(f"mapping.rename maps both '{chosen[target]}' and '{name}' to {target}; keep one",
                                source=spec.name, path=spec.location)
            chosen[target] = name
        if not from_preset:
            used_by_source.add(name)
        if match is not None and "currency" in match.groupdict():
            captured["currency"] = match["currency"]
    for column in columns:
        if column.name not in chosen and column.name in names and column.name not in used_by_source:
            chosen[column.name] = column.name
    return chosen, captured


def find_column(key: str, names: list[str]) -> tuple[str | None, re.Match[str] | None]:
    """The export column a rename key names (``re:`` keys: the first whole match), with its match."""
    if key.startswith(REGEX_PREFIX):
        pattern = re.compile(key[len(REGEX_PREFIX):])
        for name in names:
            match = pattern.fullmatch(name)
            if match:
                return name, match
        return None, None
    return (key, None) if key in names else (None, None)


def check_required(spec: SourceSpec, columns: tuple[Column, ...], names: list[str],
                   chosen: dict[str, str], constants: dict[str, str]) -> None:
    """Raise a :class:`DataError` naming every required column neither the export nor a constant fills.

    The message lists the file's columns and, for a preset, the export columns it reads them from.
    """
    missing = [c.name for c in columns if c.required and c.name not in chosen and c.name not in constants]
    if not missing:
        return
    raise DataError(
        f"missing required column{'s' * (len(missing) > 1)} {', '.join(missing)} for "
        f"{spec.kind} data; the file has: {', '.join(names)}. {_how_to_map(spec, missing)}",
        source=spec.name, path=spec.location)


def _how_to_map(spec: SourceSpec, missing: list[str]) -> str:
    if not spec.preset:
        return "Map export columns with mapping.rename in the params file"
    preset = PRESETS[spec.preset]
    sources_of = {name: [f"'{export}'" for export, canonical in preset.rename.items()
                         if name in targets(canonical)]
                  for name in missing}
    reads = [f"{name} from {' or '.join(exports)}" for name, exports in sources_of.items() if exports]
    hint = (f"The preset {preset.name} ({preset.tool}) reads {', '.join(reads) or 'other columns'}: "
            "export the report again with those columns, or map renamed ones with mapping.rename")
    if preset.needs:
        hint += f"; {preset.needs}"
    return hint
