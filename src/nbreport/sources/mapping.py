"""The mapping a source is read with: its preset merged with the source's own ``mapping``.

A preset describes what an export of one tool looks like (column names, value words,
rows that are no data); the params file refines it. Where both say something about
the same column, the source's own entry wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from nbreport.sources.presets import PRESETS, Preset
from nbreport.sources.spec import BlankRule, ColumnMapping, SourceSpec

REGEX_PREFIX = "re:"
"""A ``mapping.rename`` key starting with this matches export column names by regular expression."""


@dataclass
class EffectiveMapping:
    """The preset merged with the source's own mapping (the source's entries win)."""

    rename: list[tuple[str, tuple[str, ...], bool]]  # (export name or re:, targets, from preset)
    date_format: list[str] | None
    year: int | None  # the year of dates whose format has none
    scale: dict[str, float]
    constants: dict[str, str]
    preset_constants: dict[str, str]
    values: dict[str, dict[str, str]]
    filter: dict[str, str | list[str]]
    drop: list[tuple[str, str, bool]]  # (export column, pattern, from preset)
    if_blank: dict[str, BlankRule]
    null_values: tuple[str, ...]
    minutes_after: dict[str, tuple[str, str]]
    unique_key: tuple[str, ...] | None


def effective_mapping(spec: SourceSpec) -> EffectiveMapping:
    """The mapping ``spec`` is read with: its preset's entries, overridden by its own."""
    own = spec.mapping
    preset = PRESETS[spec.preset] if spec.preset else None
    return EffectiveMapping(
        rename=_renames(own, preset),
        date_format=_date_formats(own, preset),
        year=own.year,
        scale={**(preset.scale if preset else {}), **own.scale},
        constants={k: str(v) for k, v in own.constants.items()},
        preset_constants=dict(preset.constants) if preset else {},
        values=_value_tables(own, preset),
        filter=dict(own.filter),
        drop=[(c, p, False) for c, p in own.drop.items()]
        + ([(c, p, True) for c, p in preset.drop.items()] if preset else []),
        if_blank={**(preset.if_blank if preset else {}), **own.if_blank},  # type: ignore[dict-item]
        null_values=preset.null_values if preset else (),
        minutes_after=dict(preset.minutes_after) if preset else {},
        unique_key=_unique_key(spec, preset),
    )


def _unique_key(spec: SourceSpec, preset: Preset | None) -> tuple[str, ...] | None:
    """The preset's key (else the kind's grain) extended by the source's ``unique_key``: an export
    finer than that grain, e.g. one row per ad, keeps the day and campaign and adds the ad."""
    from nbreport.sources.canonical import KEYS

    if not spec.unique_key:
        return preset.unique_key if preset else None
    base = tuple((preset.unique_key if preset else None) or KEYS.get(spec.kind, ()))
    return base + tuple(column for column in spec.unique_key if column not in base)


def targets(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The canonical column(s) one ``rename`` entry fills."""
    return (value,) if isinstance(value, str) else tuple(value)


def fold(text: str) -> str:
    """A value as ``mapping.values`` compares it: trimmed, case ignored."""
    return str(text).strip().casefold()


def _renames(own: ColumnMapping, preset: Preset | None) -> list[tuple[str, tuple[str, ...], bool]]:
    """The source's renames first, so that they claim their export columns before the preset's."""
    rename = [(key, targets(value), False) for key, value in own.rename.items()]
    if preset:
        rename += [(key, targets(value), True) for key, value in preset.rename.items()]
    return rename


def _date_formats(own: ColumnMapping, preset: Preset | None) -> list[str] | None:
    date_format = own.date_format or (preset.date_format if preset else None)
    if isinstance(date_format, str):
        return [date_format]
    return list(date_format) if date_format else None


def _value_tables(own: ColumnMapping, preset: Preset | None) -> dict[str, dict[str, str]]:
    """Canonical column -> {folded export word: canonical word}, the source's words over the preset's."""
    values: dict[str, dict[str, str]] = {}
    for source in ([preset.values] if preset else []) + [own.values]:
        for column, table in source.items():
            values.setdefault(column, {}).update({fold(k): str(v) for k, v in table.items()})
    return values
